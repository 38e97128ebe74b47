"""Notifications: in-app list, per-kind preferences, emails now or as a daily digest."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "agora.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
