"""Budget pages: the ballot (a plain form that works without JavaScript, with a "check my
ballot" step that shows the running total), the result of a counted budget with its chart and
table, the administrator's override, the exports, and the managers' pages that add, change and
remove projects (or make one of an accepted proposal). The ballot and the result read a
constant number of queries, whatever the number of ballots or projects (the count is kept on
the budget)."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agora.budgets import ballots, export, services, wording
from agora.budgets.forms import BudgetForm, ProjectForm, ProposalChoiceForm
from agora.budgets.models import Ballot, BallotKind, Budget, Override, Project
from agora.core.forms import add_errors
from agora.core.images import image_response
from agora.processes.features import Reason
from agora.processes.models import Phase, Process
from agora.processes.permissions import can_manage_process, can_view_process
from agora.proposals.models import Proposal

CHART_WIDTH = 320
PROPOSAL_TEXTS = ("body", "body_html", "answer_body", "answer_html")
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
    projects = list(_shown_projects(budget))
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
        "may_manage": services.can_manage_projects(request.user, budget),
        "vote_over": services.vote_is_over(budget),
    }
    return render(request, "budgets/ballot.html", context, status=status)


@require_POST
@login_required
def close(request, pk: int):
    """A manager closes the vote and counts it now, once its phase has ended (the worker does
    it within minutes otherwise)."""
    budget = _budget(request, pk)
    if not services.can_manage_projects(request.user, budget):
        raise Http404
    try:
        services.close_and_count(budget, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(reverse("budgets:ballot", args=[budget.pk]))
    messages.success(request, _("The vote is closed and counted: here is the result."))
    return redirect(budget.get_result_url())


def _shown_projects(budget: Budget):
    """The budget's projects in the list's order with their area, topic and proposal (one
    query; the proposal's long texts are left behind)."""
    return (
        budget.projects.select_related("area", "topic", "proposal")
        .defer(*(f"proposal__{name}" for name in PROPOSAL_TEXTS))
        .order_by("position")
    )


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
    projects = list(_shown_projects(budget))
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


@require_safe
def image(request, pk: int, project: int):
    """A project's image, through here so a draft process's images stay as private as it."""
    budget = _budget(request, pk)
    return image_response(get_object_or_404(Project, budget=budget, pk=project).image)


# The managers' project pages.


def _managed_budget(request, pk: int) -> Budget | None:
    """The budget if the reader may change its projects: 404 for whoever may not see it, 403
    for whoever may see it but not manage it; None (with a message) when it is closed."""
    budget = _budget(request, pk)
    if not can_manage_process(request.user, budget.process):
        raise PermissionDenied
    if budget.is_closed:
        messages.error(request, _("The vote is closed: its projects can no longer change."))
        return None
    return budget


def _offered_proposals(budget: Budget, project: Project | None = None) -> list[Proposal]:
    offered = list(services.proposals_to_make_projects(budget))
    if project is not None and project.proposal is not None:
        offered.insert(0, project.proposal)
    return offered


def _form_values(form: ProjectForm) -> dict:
    """The form's values for the service, with the proposal fetched by its number (the
    service says why one is refused; a number of no proposal is refused here)."""
    values = form.service_fields()
    number = form.cleaned_data.get("proposal")
    values["proposal"] = None
    if number:
        proposal = Proposal.objects.filter(pk=number).first()
        if proposal is None:
            raise ValidationError({"proposal": _("There is no proposal with that number.")})
        values["proposal"] = proposal
    return values


@never_cache
@login_required
@require_safe
def projects(request, pk: int):
    budget = _managed_budget(request, pk)
    if budget is None:
        return redirect(reverse("budgets:result", kwargs={"pk": pk}))
    context = {
        "budget": budget,
        "process": budget.process,
        "projects": [
            (project, wording.amount(project.cost, budget.currency))
            for project in _shown_projects(budget)
        ],
        "locked": services.has_ballots(budget),
        "waiting": services.proposals_to_make_projects(budget).exists(),
    }
    return render(request, "budgets/projects.html", context)


def _project_page(request, budget: Budget, project: Project | None):
    """Add (`project` None) or change a project; a new one may start from `?proposal=N`,
    prefilled with the proposal's title, description, area and topic."""
    locked = services.has_ballots(budget)
    if project is None and locked:
        messages.error(
            request,
            _("Ballots are cast already: projects can no longer be added to this budget."),
        )
        return redirect(reverse("budgets:projects", kwargs={"pk": budget.pk}))
    offered = _offered_proposals(budget, project)
    posted = request.method == "POST"
    initial, refusal = {}, None
    if project is not None:
        initial = {
            "title": project.title,
            "cost": project.cost,
            "description": project.description,
            "area": project.area,
            "topic": project.topic,
            "image_alt": project.image_alt,
            "proposal": project.proposal_id,
        }
    elif not posted and request.GET.get("proposal", "").isdigit():
        chosen = Proposal.objects.filter(pk=int(request.GET["proposal"])).first()
        if chosen is None:
            refusal = _("There is no proposal with that number.")
        else:
            try:
                services.check_proposal(budget, chosen)
            except ValidationError as error:
                refusal = " ".join(error.messages)
            else:
                initial = {
                    "title": chosen.title,
                    "description": chosen.body,
                    "area": chosen.area_id,
                    "topic": chosen.topic_id,
                    "proposal": chosen.pk,
                }
    form = ProjectForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial,
        proposals=offered,
        has_image=bool(project and project.image),
        locked=locked,
    )
    if posted and form.is_valid():
        try:
            values = _form_values(form)
            image = form.cleaned_data.get("image")
            if project is None:
                project = services.add_project(budget, by=request.user, image=image, **values)
                messages.success(request, _("The project is added to the ballot."))
            else:
                project = services.change_project(
                    project,
                    by=request.user,
                    image=image,
                    remove_image=form.cleaned_data.get("remove_image", False),
                    **values,
                )
                messages.success(request, _("The project is saved."))
            return redirect(reverse("budgets:projects", kwargs={"pk": budget.pk}))
        except ValidationError as error:
            add_errors(form, error)
    context = {
        "budget": budget,
        "process": budget.process,
        "project": project,
        "form": form,
        "locked": locked,
        "refusal": refusal,
    }
    return render(request, "budgets/project_form.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def add_project(request, pk: int):
    budget = _managed_budget(request, pk)
    if budget is None:
        return redirect(reverse("budgets:result", kwargs={"pk": pk}))
    return _project_page(request, budget, None)


def _managed_project(request, pk: int, project: int) -> tuple[Budget | None, Project]:
    budget = _managed_budget(request, pk)
    found = get_object_or_404(
        Project.objects.select_related("area", "topic", "proposal"), budget_id=pk, pk=project
    )
    return budget, found


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_project(request, pk: int, project: int):
    budget, found = _managed_project(request, pk, project)
    if budget is None:
        return redirect(reverse("budgets:result", kwargs={"pk": pk}))
    return _project_page(request, budget, found)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def remove_project(request, pk: int, project: int):
    budget, found = _managed_project(request, pk, project)
    if budget is None:
        return redirect(reverse("budgets:result", kwargs={"pk": pk}))
    back = reverse("budgets:projects", kwargs={"pk": pk})
    locked = services.has_ballots(budget)
    if request.method == "POST":
        try:
            services.remove_project(found, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("“%(title)s” is taken off the ballot.") % {"title": found.title}
            )
        return redirect(back)
    context = {"budget": budget, "process": budget.process, "project": found, "locked": locked}
    return render(request, "budgets/project_remove.html", context)


@never_cache
@login_required
@require_safe
def from_proposal(request, pk: int):
    """The process's accepted proposals not yet projects of this budget: the one chosen opens
    the project form prefilled with it."""
    budget = _managed_budget(request, pk)
    if budget is None:
        return redirect(reverse("budgets:result", kwargs={"pk": pk}))
    offered = list(services.proposals_to_make_projects(budget))
    form = ProposalChoiceForm(request.GET if "proposal" in request.GET else None, proposals=offered)
    if form.is_bound and form.is_valid():
        new = reverse("budgets:add_project", kwargs={"pk": pk})
        return redirect(f"{new}?proposal={form.cleaned_data['proposal']}")
    context = {
        "budget": budget,
        "process": budget.process,
        "form": form,
        "offered": offered,
        "locked": services.has_ballots(budget),
    }
    return render(request, "budgets/from_proposal.html", context)


# The managers' budget pages.


def _budget_page(request, process, budget: Budget | None):
    locked = budget is not None and services.has_ballots(budget)
    form = BudgetForm(request.POST or None, instance=budget, locked=locked)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.BUDGET_FIELDS}
        try:
            if budget is None:
                budget = services.create_budget(process, by=request.user, **fields)
                messages.success(request, _("The budget is added. Now add its projects."))
                return redirect(reverse("budgets:projects", args=[budget.pk]))
            services.change_budget(budget, by=request.user, **fields)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The budget is saved."))
            return redirect(reverse("budgets:ballot", args=[budget.pk]))
    context = {"form": form, "budget": budget, "process": process, "locked": locked}
    return render(request, "budgets/budget_edit.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def create_budget(request, slug: str):
    process = get_object_or_404(Process.objects.select_related("office__parent"), slug=slug)
    if not can_view_process(request.user, process):
        raise Http404
    if not can_manage_process(request.user, process):
        raise PermissionDenied
    return _budget_page(request, process, None)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_budget(request, pk: int):
    budget = _managed_budget(request, pk)
    if budget is None:
        return redirect(reverse("budgets:result", kwargs={"pk": pk}))
    return _budget_page(request, budget.process, budget)
