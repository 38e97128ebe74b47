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
