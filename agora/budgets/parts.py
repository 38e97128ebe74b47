"""The budgets' part of the process page (processes' slot `PROCESS_BODY`): the process's
budgets, each with a link to vote while open or to its result once closed (one query)."""

from agora.budgets.models import Budget
from agora.core.sections import Section
from agora.processes.pages import PROCESS_BODY, VISITORS_PAGES


def process_budgets(request, process) -> Section | None:
    budgets = list(Budget.objects.filter(process=process).order_by("pk"))
    if not budgets:
        return None
    return Section("budgets/_process_budgets.html", {"budgets": budgets})


def connect() -> None:
    PROCESS_BODY.add(process_budgets, order=40)
    VISITORS_PAGES.watch(Budget)
