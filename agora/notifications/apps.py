"""Notifications: in-app list, per-kind preferences, emails now or as a daily digest."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "agora.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    # What the site layer assembles (see agora.site.registry).
    api_router = "agora.notifications.api.router"
    api_prefix = "/notifications"
    periodic_jobs = (
        "agora.notifications.tasks.queue_next_digest",
        "agora.notifications.tasks.queue_weekly_summaries",
    )

    def ready(self) -> None:
        from agora.accounts.pages import add_settings_link

        add_settings_link("notifications:calm", _("Calm settings"))
