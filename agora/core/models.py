"""The audit log: who did what to which object, and when."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change made through a service function. Rows are only ever added."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the system itself acted."),
    )
    action = models.CharField(_("what"), max_length=64)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.CharField(_("object id"), max_length=64)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "-created_at"]),
            models.Index(fields=["actor", "-created_at"]),
            models.Index(fields=["action", "-created_at"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type_id}:{self.target_id}"
        )


class RateCount(models.Model):
    """How many times one caller did one thing since their window began: the counters behind
    `core.ratelimit`, shared by every process that uses the database. Windows that ended long
    ago are deleted as new ones are counted."""

    key = models.CharField(max_length=200, unique=True)
    started_ms = models.BigIntegerField(help_text="When the window began, in ms since 1970.")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")
        indexes = [models.Index(fields=["started_ms"])]

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class SiteIdentity(models.Model):
    """Who runs this site, as its pages show it: the authority's name, crest, colours and
    contact details. There is one row (id 1), made the first time an administrator saves the
    identity; until then the pages use the defaults from settings. Pages read it through
    `agora.core.identity.current()`, from the cache, never with a query of their own."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    authority_name_en = models.CharField(
        _("authority's name in English"),
        max_length=120,
        blank=True,
        help_text=_("Shown beside the product's name in every page's header."),
    )
    authority_name_es = models.CharField(
        _("authority's name in Spanish"),
        max_length=120,
        blank=True,
        help_text=_("Leave empty to use the English name."),
    )
    crest = models.FileField(
        _("crest"),
        upload_to="identity/",
        blank=True,
        help_text=_("A JPEG, PNG, WebP or GIF image; it is re-encoded, keeping only its pixels."),
    )
    crest_width = models.PositiveSmallIntegerField(default=0, editable=False)
    crest_height = models.PositiveSmallIntegerField(default=0, editable=False)
    main_colour = models.CharField(
        _("main colour"),
        max_length=7,
        help_text=_(
            "As #rrggbb. The header's background and the colour of links and buttons; it needs "
            "a contrast of at least 4.5:1 with white and with the footer's pale grey."
        ),
    )
    main_text_colour = models.CharField(
        _("text colour on the main colour"),
        max_length=7,
        help_text=_("As #rrggbb. Needs a contrast of at least 4.5:1 with the main colour."),
    )
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    opening_hours_en = models.TextField(_("opening hours in English"), blank=True)
    opening_hours_es = models.TextField(_("opening hours in Spanish"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("site identity")
        verbose_name_plural = _("site identity")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="site_identity_is_one_row"),
        ]

    def __str__(self) -> str:
        return self.authority_name_en or str(_("Site identity"))


class SpentChallenge(models.Model):
    """A sign-up challenge (`core.challenge`) already used: each is accepted once. Kept until
    the challenge would have expired anyway, then deleted as new ones are spent."""

    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return self.digest


class IdempotencyKey(models.Model):
    """A client's `Idempotency-Key` on an API write, or a page form's one-time token, and the
    answer it got (`core.idempotency`, `core.formonce`): empty `status` while the first request
    runs."""

    caller = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    #: For a page form (`core.formonce`): the redirect and the cookies it set.
    headers = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="core_idempotency_key_once")
        ]
        indexes = [models.Index(fields=["created_at"], name="core_idempotency_created")]

    def __str__(self) -> str:
        return f"{self.caller} {self.key}"


class WorkerHeartbeat(models.Model):
    """A background worker's last sign of life (`agora worker` writes it every few seconds),
    read by `/metrics` (`core.metrics`)."""

    name = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
