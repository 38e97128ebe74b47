"""The budgets part of the JSON API: the list of budgets (paged by cursor), a budget with its
ballot's limits and its projects (with their area, topic, image and the proposal they came
from), the caller's ballot (read, cast or changed, withdrawn) and
a counted budget's result with each project's reason and any decision against the count.
Casting goes through the page's checks: 403 with the rule's reason when the caller may not
vote, 409 `closed` after the vote, 422 `invalid_ballot` with every problem in the message."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.budgets import counting, services, wording
from agora.budgets.models import Ballot, BallotKind, Budget, Override, Rule
from agora.core.api.errors import ApiError, error_responses
from agora.core.api.schemas import Input, Text
from agora.processes.permissions import can_view_process

router = Router(tags=["budgets"])
PAGE = 20


class BudgetOut(Schema):
    id: int
    title: str
    process: str = Field(description="The process's slug.")
    area: str | None = Field(description="The area's slug, when only its residents vote.")
    amount: Decimal
    currency: str
    ballot_kind: Literal[tuple(BallotKind.values)]
    knapsack: bool = Field(description="The chosen projects' cost must fit the amount.")
    minimum_share: int = Field(description="Per cent of the amount a knapsack ballot spends.")
    minimum_projects: int
    maximum_projects: int = Field(description="0: no limit.")
    points: int = Field(description="The points a cumulative ballot distributes, exactly.")
    rule: Literal[tuple(Rule.values)]
    minimum_votes: int
    is_closed: bool
    url: str
    result_url: str

    @staticmethod
    def resolve_title(budget) -> str:
        return budget.title

    @staticmethod
    def resolve_process(budget) -> str:
        return budget.process.slug

    @staticmethod
    def resolve_area(budget) -> str | None:
        return budget.area.slug if budget.area else None

    @staticmethod
    def resolve_url(budget) -> str:
        return budget.get_absolute_url()

    @staticmethod
    def resolve_result_url(budget) -> str:
        return budget.get_result_url()


def _image_url(project) -> str | None:
    if not project.image:
        return None
    return settings.SITE_URL + reverse(
        "budgets:project_image", kwargs={"pk": project.budget_id, "project": project.pk}
    )


def _about(project) -> dict:
    """The project's area and topic (slugs), the proposal it came from (its id, unless
    moderation hid it) and its image."""
    shown = project.shown_proposal
    return {
        "area": project.area.slug if project.area_id else None,
        "topic": project.topic.slug if project.topic_id else None,
        "proposal": shown.pk if shown else None,
        "image_url": _image_url(project),
        "image_alt": project.image_alt,
    }


class ProjectOut(Schema):
    key: str = Field(description="The id a ballot names the project by.")
    title: str
    description: str
    cost: Decimal
    area: str | None = Field(description="The area's slug.")
    topic: str | None = Field(description="The topic's slug.")
    proposal: int | None = Field(description="The id of the accepted proposal it came from.")
    image_url: str | None
    image_alt: str = Field(description="What the image shows.")

    @staticmethod
    def resolve_area(project) -> str | None:
        return _about(project)["area"]

    @staticmethod
    def resolve_topic(project) -> str | None:
        return _about(project)["topic"]

    @staticmethod
    def resolve_proposal(project) -> int | None:
        return _about(project)["proposal"]

    @staticmethod
    def resolve_image_url(project) -> str | None:
        return _image_url(project)


class BudgetDetail(BudgetOut):
    rules: list[str] = Field(description="How to vote and how it is counted, in words.")
    may_vote: bool
    why_not: str | None = Field(description="The reason's code when the caller may not vote.")
    projects: list[ProjectOut]

    @staticmethod
    def resolve_projects(budget) -> list:
        return budget.project_list


class BudgetPage(Schema):
    items: list[BudgetOut]
    next_cursor: str | None


class BudgetListParams(Schema):
    process: Text | None = Field(None, max_length=80, description="A process's slug.")
    after: Text | None = Field(None, max_length=20, description="The `next_cursor` before.")


class BallotIn(Input):
    projects: list[Text] = Field(
        max_length=1000, description="Project keys; on a ranked ballot, best first."
    )
    points: list[int] | None = Field(
        None, max_length=1000, description="Cumulative ballots: the points of each project."
    )


class BallotOut(Schema):
    projects: list[str]
    points: list[int] | None
    total: Decimal = Field(description="What the chosen projects cost together.")
    cast_at: datetime


class VerdictOut(Schema):
    key: str
    title: str
    cost: Decimal
    votes: int
    score: float
    counted: bool = Field(description="Whether the count funded it.")
    funded: bool = Field(description="Whether it is funded, after any override.")
    reason: str = Field(description="The count's reason: " + ", ".join(counting.REASONS))
    because: str = Field(description="Why, in words.")
    override: Literal[tuple(Override.values)]
    override_reason: str
    area: str | None = Field(description="The area's slug.")
    topic: str | None = Field(description="The topic's slug.")
    proposal: int | None = Field(description="The id of the accepted proposal it came from.")
    image_url: str | None
    image_alt: str


class BudgetResultOut(Schema):
    budget: int
    rule: str
    winners: list[str] = Field(description="Funded projects' keys, after any override.")
    spent: Decimal
    left: Decimal
    counted_at: datetime | None
    projects: list[VerdictOut]


def _person(request):
    return getattr(request, "auth", None) or request.user


def _projects(budget: Budget):
    """The budget's projects in the ballot's order, with their area, topic and proposal."""
    return (
        budget.projects.select_related("area", "topic", "proposal")
        .only(*PROJECT_COLUMNS)
        .order_by("position")
    )


PROJECT_COLUMNS = (
    "budget_id",
    "key",
    "title",
    "description",
    "cost",
    "position",
    "override",
    "override_reason",
    "image",
    "image_alt",
    "area__slug",
    "topic__slug",
    "proposal__moderation_state",
)


def _budget(request, pk: int, *, for_voting: bool = False) -> Budget:
    budgets = Budget.objects.select_related("process", "area")
    if for_voting:
        budgets = budgets.prefetch_related("process__phases", "process__areas")
    budget = budgets.filter(pk=pk).first()
    if budget is None or not can_view_process(_person(request), budget.process):
        raise Http404
    return budget


@router.get(
    "",
    auth=ANYONE,
    response={200: BudgetPage, **error_responses(422)},
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
    summary="List budgets",
    description="Budgets of published processes, newest first, 20 a page.",
)
def list_budgets(request, params: Query[BudgetListParams]):
    budgets = Budget.objects.filter(process__is_published=True).select_related("process", "area")
    if params.process:
        budgets = budgets.filter(process__slug=params.process)
    if params.after:
        if not params.after.isdigit():
            raise ApiError(422, "invalid", _("This cursor is not one the API gave."))
        budgets = budgets.filter(pk__lt=int(params.after))
    rows = list(budgets.order_by("-pk")[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return {"items": rows, "next_cursor": str(rows[-1].pk) if more else None}


@router.get(
    "/{int:budget_id}",
    auth=ANYONE,
    response={200: BudgetDetail, **error_responses(404, 422)},
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
    summary="Read a budget",
    description="Its ballot's limits, the rules in words, its projects in the ballot's "
    "order, and whether the caller may vote now (`why_not` gives the reason's code).",
)
def read_budget(request, budget_id: int):
    budget = _budget(request, budget_id, for_voting=True)
    decision = services.can_vote(_person(request), budget)
    budget.rules = [*wording.ballot_rules(budget), wording.rule_explained(budget.rule)]
    budget.may_vote = bool(decision)
    budget.why_not = None if decision else decision.reason
    budget.project_list = list(_projects(budget))
    return budget


def _ballot_out(budget: Budget, ballot: Ballot) -> dict:
    costs = dict(budget.projects.values_list("key", "cost"))
    return {
        "projects": ballot.projects,
        "points": ballot.points,
        "total": sum((costs[key] for key in ballot.projects if key in costs), Decimal(0)),
        "cast_at": ballot.cast_at,
    }


@router.get(
    "/{int:budget_id}/ballot",
    response={200: BallotOut, **error_responses(401, 404, 422)},
    summary="Read your ballot",
    description="404 `no_ballot` when you have not cast one.",
)
def read_ballot(request, budget_id: int):
    budget = _budget(request, budget_id)
    ballot = Ballot.objects.filter(budget=budget, voter=request.auth).first()
    if ballot is None:
        raise ApiError(404, "no_ballot", _("You have no ballot in this budget."))
    return _ballot_out(budget, ballot)


def _refusal(error: services.BallotRefused) -> ApiError:
    if error.code == "invalid_ballot":
        return ApiError(422, "invalid_ballot", " ".join(error.messages))
    return ApiError(403, error.code, " ".join(error.messages))


@router.post(
    "/{int:budget_id}/ballot",
    response={201: BallotOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Cast or change your ballot",
    description="The last ballot counts. Approval ballots list the projects; cumulative ones "
    "give `points` in the same order; ranked ones list the projects best first. 403 with the "
    "reason's code (`not_signed_in`, `not_verified`, `outside_areas`, `outside_phase`...) "
    "when you may not vote; 409 `closed` after the vote; 422 `invalid_ballot`, with every "
    "problem in the message, when the ballot breaks the budget's limits.",
)
def cast(request, budget_id: int, body: BallotIn):
    budget = _budget(request, budget_id, for_voting=True)
    if budget.is_closed:
        raise ApiError(409, "closed", _("The vote in this budget is closed."))
    try:
        ballot = services.vote(budget, by=request.auth, projects=body.projects, points=body.points)
    except services.BallotRefused as error:
        raise _refusal(error) from error
    return Status(201, _ballot_out(budget, ballot))


@router.delete(
    "/{int:budget_id}/ballot",
    response={204: None, **error_responses(401, 403, 404, 409, 422)},
    summary="Withdraw your ballot",
    description="While the vote is open; 404 `no_ballot` when you have none.",
)
def withdraw(request, budget_id: int):
    budget = _budget(request, budget_id, for_voting=True)
    if budget.is_closed:
        raise ApiError(409, "closed", _("The vote in this budget is closed."))
    try:
        withdrawn = services.withdraw_ballot(budget, by=request.auth)
    except services.BallotRefused as error:
        raise _refusal(error) from error
    if not withdrawn:
        raise ApiError(404, "no_ballot", _("You have no ballot in this budget."))
    return Status(204, None)


@router.get(
    "/{int:budget_id}/result",
    auth=ANYONE,
    response={200: BudgetResultOut, **error_responses(404, 409, 422)},
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
    summary="Read a budget's result",
    description="Every project with the count's verdict, its reason in data and in words, "
    "and any decision against the count with its public reason. 409 `not_counted` before "
    "the count.",
)
def read_result(request, budget_id: int):
    budget = _budget(request, budget_id)
    if budget.result is None:
        raise ApiError(409, "not_counted", _("This budget has not been counted yet."))
    projects = list(_projects(budget))
    winners = services.final_winners(budget, projects)
    verdicts = {verdict["key"]: verdict for verdict in budget.result["projects"]}
    funded = set(winners)
    spent = sum((project.cost for project in projects if project.key in funded), Decimal(0))
    return {
        "budget": budget.pk,
        "rule": budget.rule,
        "winners": winners,
        "spent": spent,
        "left": budget.amount - spent,
        "counted_at": budget.counted_at,
        "projects": [
            {
                "key": project.key,
                "title": project.title,
                "cost": project.cost,
                "votes": verdicts[project.key]["votes"],
                "score": verdicts[project.key]["score"],
                "counted": verdicts[project.key]["won"],
                "funded": project.key in funded,
                "reason": verdicts[project.key]["reason"],
                "because": wording.because(
                    verdicts[project.key], minimum_votes=budget.minimum_votes
                ),
                "override": project.override,
                "override_reason": project.override_reason,
                **_about(project),
            }
            for project in projects
        ],
    }
