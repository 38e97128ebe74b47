"""Participatory budgeting: budgets of a process, their projects and ballots, and counts by
greedy selection or the Method of Equal Shares that say why each project won or lost."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "agora.budgets"
    label = "budgets"
    verbose_name = _("Participatory budgets")
