"""Moderation: reports on anything people write, a queue, decisions with a statement of reasons,
appeals and a public log, as the EU Digital Services Act asks of a host (Articles 16, 17, 20
and 24). Apps make their content reportable by registering it (`moderation.registry`)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "agora.moderation"
    label = "moderation"
    verbose_name = _("Moderation")
    # What the site layer assembles (see agora.site.registry).
    api_router = "agora.moderation.api.router"

    def ready(self) -> None:
        # Its notification kinds, suspended people as kept apart, profiles as reportable
        # content (accounts stands below) and "Report" on a profile page.
        from agora.moderation import notifying, parts, registry, restrictions
        from agora.notifications.registry import register_barrier

        notifying.connect()
        register_barrier(restrictions.kept_apart)
        parts.connect()
        registry.register_profiles()
