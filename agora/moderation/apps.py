"""Moderation: reports on anything people write, a queue, decisions with a statement of reasons,
appeals and a public log, as the EU Digital Services Act asks of a host (Articles 16, 17, 20
and 24). Apps make their content reportable by registering it (`moderation.registry`)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "agora.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        # Its notification kinds, and profiles as reportable content (accounts stands below).
        from agora.moderation import notifying, registry

        notifying.connect()
        registry.register_profiles()
