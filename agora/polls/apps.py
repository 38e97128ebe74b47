"""Polls and surveys of a process: questions of seven kinds in sections, one response per person
(or per browser, when the owner allows visitors), and results as the owner chose to show them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "agora.polls"
    label = "polls"
    verbose_name = _("Polls and surveys")
    api_router = "agora.polls.api.router"
    api_prefix = "/polls"
    demo_data = ("agora.polls.demo.load_demo_polls",)

    def ready(self) -> None:
        from agora.polls import (
            parts,
            permissions,  # noqa: F401 - declares the action "respond"
        )

        parts.connect()
