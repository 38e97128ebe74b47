"""Participatory budgeting: budgets of a process, their projects and ballots, and counts by
greedy selection or the Method of Equal Shares that say why each project won or lost."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "agora.budgets"
    label = "budgets"
    verbose_name = _("Participatory budgets")
    api_router = "agora.budgets.api.router"
    api_prefix = "/budgets"
    demo_data = ("agora.budgets.demo.load_demo_budgets",)
    periodic_jobs = ("agora.budgets.tasks.queue_closing",)

    def ready(self) -> None:
        from agora.budgets import parts
        from agora.processes.features import Who, register_action
        from agora.processes.models import PhaseKind

        register_action(
            "vote",
            label=_("Vote in participatory budgets"),
            who=Who.RESIDENTS,
            phases=[PhaseKind.SUPPORT],
        )
        parts.connect()
