"""The privacy app's records: exports of a person's data and deletions waiting for their
grace period to end."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportState(models.TextChoices):
    BUILDING = "building", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Export(models.Model):
    """One download of everything the site holds about a person. The file lives outside the
    media directory (`AGORA_EXPORT_DIR`) and is served only to its owner, until it expires."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    state = models.CharField(
        max_length=10, choices=ExportState.choices, default=ExportState.BUILDING
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        indexes = [
            models.Index(fields=["person", "-requested_at"]),
            models.Index(fields=["expires_at"]),
        ]
        constraints = [
            # A second request while one is being built gets that one, even when two arrive
            # at once.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(state="building"),
                name="privacy_one_export_building_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"export {self.pk}"

    @property
    def path(self):
        return settings.AGORA_EXPORT_DIR / f"{self.token}.zip"


class PendingDeletion(models.Model):
    """A deletion the person asked for, carried out when the grace period
    (`AGORA_DELETION_GRACE_DAYS`) ends unless they sign in again before."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    keep_public_writing = models.BooleanField()
    requested_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("pending deletion")
        verbose_name_plural = _("pending deletions")

    def __str__(self) -> str:
        return f"deletion due {self.due_at:%Y-%m-%d}"


class UnconfirmedWarning(models.Model):
    """When an unconfirmed account was told it would be removed (`agora retention`)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unconfirmed_warning"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("warning to an unconfirmed account")
        verbose_name_plural = _("warnings to unconfirmed accounts")

    def __str__(self) -> str:
        return f"warned {self.sent_at:%Y-%m-%d}"
