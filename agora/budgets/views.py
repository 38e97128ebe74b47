"""Budget pages: the ballot (a plain form that works without JavaScript, with a "check my
ballot" step that shows the running total), the result of a counted budget with its chart and
table, the administrator's override, and the exports. Each page reads a constant number of
queries, whatever the number of ballots (the count is kept on the budget)."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from agora.budgets import ballots, export, services, wording
from agora.budgets.models import Ballot, BallotKind, Budget, Override, Project
from agora.processes.features import Reason
from agora.processes.models import Phase
from agora.processes.permissions import can_view_process

CHART_WIDTH = 320
BAR_AREA = 230


@dataclass
class Row:
    project: Project
    won: bool
    counted: bool
    votes: int
    score: float
    because: str


def _budget(request, pk: int, *, for_voting: bool = False) -> Budget:
    budgets = Budget.objects.select_related("process", "area")
    if for_voting:
        budgets = budgets.prefetch_related(
            Prefetch("process__phases", queryset=Phase.objects.all()), "process__areas"
        )
    budget = get_object_or_404(budgets, pk=pk)
    if not can_view_process(request.user, budget.process):
        raise Http404
    return budget


@require_http_methods(["GET", "HEAD", "POST"])
def ballot(request, pk: int):
    budget = _budget(request, pk, for_voting=True)
    if budget.is_closed:
        return redirect(budget.get_result_url())
    projects = list(budget.projects.order_by("position"))
    decision = services.can_vote(request.user, budget)
    mine = None
    if request.user.is_authenticated:
        mine = Ballot.objects.filter(budget=budget, voter=request.user).first()
    entered, checked, status = None, None, 200
    if request.method == "POST":
        if not decision:
            messages.error(request, decision.message)
            return redirect(budget.get_absolute_url())
        if request.POST.get("action") == "withdraw":
            services.withdraw_ballot(budget, by=request.user)
            messages.success(request, _("Your ballot was withdrawn. You can cast a new one."))
            return redirect(budget.get_absolute_url())
        entered = ballots.read_form(budget, projects, request.POST)
        checked = services.check_ballot(budget, projects, entered.chosen, entered.points)
        checked.errors = entered.errors + checked.errors
        if request.POST.get("action") == "cast" and checked.valid:
            try:
                services.vote(
                    budget, by=request.user, projects=checked.projects, points=checked.points
                )
            except services.BallotRefused as refused:
                checked.errors = refused.messages
            else:
                messages.success(
                    request,
                    _("Your ballot was cast. You can change it until the vote closes."),
                )
                return redirect(budget.get_absolute_url())
    elif mine is not None:
        typed = ballots.typed_from_ballot(budget, mine.projects, mine.points)
        entered = ballots.Entered(mine.projects, mine.points, typed)
        checked = services.check_ballot(budget, projects, mine.projects, mine.points)
    typed = entered.typed if entered else {}
    given = sum(
        value
        for value in (ballots._whole(text) for text in typed.values())
        if value and budget.ballot_kind == BallotKind.CUMULATIVE
    )
    choices = [
        {
            "project": project,
            "cost": wording.amount(project.cost, budget.currency),
            "value": typed.get(project.key, ""),
        }
        for project in projects
    ]
    context = {
        "budget": budget,
        "process": budget.process,
        "choices": choices,
        "decision": decision,
        "needs_login": decision.reason == Reason.NOT_SIGNED_IN,
        "mine": mine,
        "checked": checked,
        "given": given,
        "chosen_count": len(checked.projects) if checked else 0,
        "total": wording.money(checked.total if checked else 0),
        "left": wording.money(checked.left if checked else budget.amount),
        "amount": wording.amount(budget.amount, budget.currency),
        "limits": wording.ballot_rules(budget),
        "rule_explained": wording.rule_explained(budget.rule),
        "ranked": budget.ballot_kind == BallotKind.ORDINAL,
        "cumulative": budget.ballot_kind == BallotKind.CUMULATIVE,
    }
    return render(request, "budgets/ballot.html", context, status=status)


def _rows(budget: Budget, projects: list[Project]) -> tuple[list[Row], list[Row]]:
    if budget.result is None:
        return [], []
    verdicts = {verdict["key"]: verdict for verdict in budget.result["projects"]}
    winners = services.final_winners(budget, projects)
    funded_keys = set(winners)
    rows = []
    for project in projects:
        verdict = verdicts[project.key]
        because = wording.because(verdict, minimum_votes=budget.minimum_votes)
        if project.override == Override.FUNDED:
            because = _("Funded by a decision against the count: %(reason)s") % {
                "reason": project.override_reason
            }
        elif project.override == Override.NOT_FUNDED:
            because = _("Not funded by a decision against the count: %(reason)s") % {
                "reason": project.override_reason
            }
        rows.append(
            Row(
                project=project,
                won=project.key in funded_keys,
                counted=verdict["won"],
                votes=verdict["votes"],
                score=verdict["score"],
                because=because,
            )
        )
    by_key = {row.project.key: row for row in rows}
    return rows, [by_key[key] for key in winners]


def _chart(budget: Budget, rows: list[Row]) -> dict:
    """The money chart, drawn on the server: a bar per project, as long as its cost against
    the most expensive one, filled when funded. Coordinates are whole numbers in a 320-wide
    viewBox that scales with the page."""
    largest = max((float(row.project.cost) for row in rows), default=0) or 1
    bars = []
    for number, row in enumerate(rows):
        bars.append(
            {
                "row": row,
                "y": number * 46,
                "width": max(1, round(float(row.project.cost) / largest * BAR_AREA)),
                "cost": wording.money(row.project.cost),
            }
        )
    return {"bars": bars, "height": len(bars) * 46 + 4, "width": CHART_WIDTH}


@require_safe
def result(request, pk: int):
    budget = _budget(request, pk)
    projects = list(budget.projects.order_by("position"))
    rows, funded = _rows(budget, projects)
    outcome = budget.result
    spent = sum((row.project.cost for row in funded), 0)
    overridden = [row for row in rows if row.project.override]
    context = {
        "budget": budget,
        "process": budget.process,
        "outcome": outcome,
        "rows": rows,
        "funded": funded,
        "overridden": overridden,
        "chart": _chart(budget, rows),
        "rule_explained": wording.rule_explained(budget.rule),
        "spent": wording.amount(spent, budget.currency) if outcome else "",
        "left": wording.amount(budget.amount - spent, budget.currency) if outcome else "",
        "amount": wording.amount(budget.amount, budget.currency),
        "may_override": services.can_override(request.user, budget),
    }
    return render(request, "budgets/result.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def override(request, pk: int):
    budget = _budget(request, pk)
    if not services.can_override(request.user, budget):
        raise PermissionDenied
    projects = list(budget.projects.order_by("position"))
    typed = {"project": "", "override": "", "reason": ""}
    errors: list[str] = []
    if request.method == "POST":
        typed = {name: request.POST.get(name, "")[:2000] for name in typed}
        project = next((item for item in projects if item.key == typed["project"]), None)
        if project is None:
            errors.append(_("Choose a project of this budget."))
        else:
            project.budget = budget
            try:
                services.override_project(
                    project, by=request.user, override=typed["override"], reason=typed["reason"]
                )
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                messages.success(request, _("The result was changed, with its reason shown."))
                return redirect(budget.get_result_url())
    counted = set(budget.result["winners"])
    context = {
        "budget": budget,
        "process": budget.process,
        "projects": [(project, project.key in counted) for project in projects],
        "typed": typed,
        "errors": errors,
        "choices": Override.choices,
    }
    return render(request, "budgets/override.html", context)


@require_safe
def download(request, pk: int, what: str):
    """A closed budget's data: `pabulib` (.pb, ballots without names), `results` or `ballots`
    (CSV). An open vote's ballots are not given out."""
    budget = _budget(request, pk)
    if not budget.is_closed or budget.result is None:
        raise Http404
    writers = {
        "pabulib": (export.pabulib_text, "text/plain; charset=utf-8", "pb"),
        "results": (export.results_csv, "text/csv; charset=utf-8", "csv"),
        "ballots": (export.ballots_csv, "text/csv; charset=utf-8", "csv"),
    }
    if what not in writers:
        raise Http404
    write, content_type, extension = writers[what]
    response = HttpResponse(write(budget), content_type=content_type)
    name = f"budget-{budget.pk}-{what}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
