"""Participation processes: spaces with phases, who may take part, and what each phase allows
(declared once in `features`, asked by every participation app)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "agora.processes"
    label = "processes"
    verbose_name = _("Participation processes")
    # What the site layer assembles (see agora.site.registry).
    api_router = "agora.processes.api.router"
    api_prefix = "/processes"
    demo_data = ("agora.processes.demo.load_demo_processes",)
    periodic_jobs = ("agora.processes.tasks.queue_phase_announcements",)

    def ready(self) -> None:
        # The notification kind, the declared actions, and the process as a followable source.
        from agora.processes import (  # noqa: F401
            features,
            moderating,
            notifying,
            pagemeta,
            pages,
            sources,
        )
        from agora.processes.models import Phase, Process

        moderating.connect()
        pagemeta.connect()
        # A visitor's kept process page shows a change to the process or its phases at once.
        pages.VISITORS_PAGES.watch(Process, Phase)
