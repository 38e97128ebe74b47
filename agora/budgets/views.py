"""The result page of a budget: for every project, whether it won and why, in words, with a
table. Two queries whatever the number of ballots: the budget with its process, and its
projects (the count is kept on the budget)."""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from agora.budgets import wording
from agora.budgets.models import Budget, Project
from agora.processes.permissions import can_view_process


@dataclass
class Row:
    project: Project
    won: bool
    votes: int
    score: float
    because: str


def result(request, pk: int):
    budget = get_object_or_404(Budget.objects.select_related("process"), pk=pk)
    if not can_view_process(request.user, budget.process):
        raise Http404
    rows, funded = [], []
    outcome = budget.result
    if outcome is not None:
        verdicts = {verdict["key"]: verdict for verdict in outcome["projects"]}
        for project in budget.projects.order_by("position"):
            verdict = verdicts[project.key]
            row = Row(
                project=project,
                won=verdict["won"],
                votes=verdict["votes"],
                score=verdict["score"],
                because=wording.because(verdict, minimum_votes=budget.minimum_votes),
            )
            rows.append(row)
        by_key = {row.project.key: row for row in rows}
        funded = [by_key[key] for key in outcome["winners"]]
    context = {
        "budget": budget,
        "process": budget.process,
        "outcome": outcome,
        "rows": rows,
        "funded": funded,
        "rule_explained": wording.rule_explained(budget.rule),
        "spent": wording.amount(outcome["spent"], budget.currency) if outcome else "",
        "left": wording.amount(outcome["left"], budget.currency) if outcome else "",
        "amount": wording.amount(budget.amount, budget.currency),
    }
    return render(request, "budgets/result.html", context)
