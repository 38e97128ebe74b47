"""Notifications: what happened that concerns a person, and how each kind reaches them."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.notifications import registry


class Delivery(models.TextChoices):
    IN_APP = "in_app", _("Only here")
    EMAIL = "email", _("Here and by email at once")
    DIGEST = "digest", _("Here and in a daily email digest")
    OFF = "off", _("Off")


class EmailState(models.TextChoices):
    NONE = "", _("No email")
    NOW = "now", _("To send at once")
    DIGEST = "digest", _("Waiting for the digest")
    HELD = "held", _("Held until quiet hours end")
    SENT = "sent", _("Sent")


class Notification(models.Model):
    """One thing that happened, for one person. `actor` is the person who did it, or empty when
    nobody did (a case routed by the directory) or the person is not named (the resident who
    raised a case); `office` is the office that speaks, when one does."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # A kind registered by the app that sends it (`notifications.registry.register_kind`).
    kind = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    office = models.ForeignKey(
        "directory.Office",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # For kinds that cover several events (a case's news): which one, and the case's title.
    event = models.CharField(max_length=24, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.CharField(max_length=300, blank=True)
    excerpt = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        max_length=8, choices=EmailState.choices, default=EmailState.NONE, blank=True
    )
    #: For an email held through the person's quiet hours: when they end.
    email_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notif_recipient_new"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notif_unread",
            ),
            models.Index(
                fields=["email_state"],
                condition=models.Q(email_state="digest"),
                name="notif_digest_pending",
            ),
            models.Index(
                fields=["email_after"],
                condition=models.Q(email_state="held"),
                name="notif_held",
            ),
            models.Index(fields=["target_type", "target_id"], name="notif_target"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_label(self) -> str:
        registered = registry.kind(self.kind)
        return registered.label if registered else self.kind

    @property
    def text_template(self) -> str:
        """The template that says what happened; a kind no app registers any more (its app
        was removed) still reads as something that happened."""
        registered = registry.kind(self.kind)
        return registered.template if registered else "notifications/kinds/unknown.html"


class Preference(models.Model):
    """How one kind reaches one person; no row means the default, in-app only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=24)
    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.IN_APP)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notif_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class DigestOnly(models.TextChoices):
    AS_CHOSEN = "", _("No: each kind as chosen in the notification settings")
    DAILY = "daily", _("Yes, once a day")
    WEEKLY = "weekly", _("Yes, once a week, on Mondays")


class Calm(models.Model):
    """When a person may be reached at all, above the choice for each kind: every email in one
    digest, no email in their quiet hours (held until they end), none at all while paused. No
    row means none of these. Urgent announcements (`notify_many(at_once=True)`) pass over all
    of it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_calm"
    )
    digest_only = models.CharField(
        _("all emails in one summary"),
        max_length=8,
        choices=DigestOnly.choices,
        default=DigestOnly.AS_CHOSEN,
        blank=True,
    )
    quiet_from = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet hours until"), null=True, blank=True)
    #: The person's time zone for the quiet hours; empty for the site's.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    paused_until = models.DateTimeField(_("paused until"), null=True, blank=True)
    #: A weekly email of what happened in what the person follows (`notifications.summary`),
    #: instead of visiting the feed; and when the last one went (the worker's claim on it).
    weekly_summary = models.BooleanField(_("weekly summary email"), default=False)
    summary_sent_at = models.DateTimeField(_("last weekly summary sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("calm setting")
        verbose_name_plural = _("calm settings")
        indexes = [
            models.Index(
                fields=["summary_sent_at"],
                condition=models.Q(weekly_summary=True),
                name="notif_calm_summary_due",
            )
        ]

    def __str__(self) -> str:
        return f"calm for {self.user_id}"
