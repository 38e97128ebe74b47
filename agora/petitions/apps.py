"""Petitions: residents ask an office or the authority, with co-sponsors, moderation,
signatures kept exact, thresholds that start the office's clock, responses and debates."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "agora.petitions"
    label = "petitions"
    verbose_name = _("Petitions")
    api_router = "agora.petitions.api.router"
    api_prefix = "/petitions"
    demo_data = ("agora.petitions.demo.load_demo_petitions",)
    periodic_jobs = ("agora.petitions.tasks.queue_closing",)

    def ready(self) -> None:
        from agora.petitions import moderating, notifying, parts, resulting  # noqa: F401

        moderating.connect()
        parts.connect()
        resulting.connect()
