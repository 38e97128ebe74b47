"""Keys that let an Open311 application submit requests. The key is shown once; only its
SHA-256 hash is stored."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311ApiKey(models.Model):
    name = models.CharField(_("application"), max_length=120)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def new_key() -> str:
        return "o311_" + secrets.token_urlsafe(24)

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
