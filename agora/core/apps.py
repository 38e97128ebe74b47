"""Shared pieces: audit log, background tasks, health check, base templates."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "agora.core"
    label = "core"
    verbose_name = _("Core")
