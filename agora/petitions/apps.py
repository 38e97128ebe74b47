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
        from django.db.models.signals import post_delete, post_save

        from agora.petitions import (  # noqa: F401
            moderating,
            notifying,
            pagemeta,
            parts,
            resulting,
            services,
        )
        from agora.petitions.models import Threshold

        moderating.connect()
        pagemeta.connect()
        parts.connect()
        resulting.connect()
        for signal in (post_save, post_delete):
            signal.connect(services.forget_thresholds, sender=Threshold, dispatch_uid="thresholds")
