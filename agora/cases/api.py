"""The cases part of the JSON API: ask or report, read a case with its timeline, act on it as
its office, list your cases and an office's inbox. Errors use the API's one shape."""

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from agora.accounts.models import User
from agora.api.auth import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.api.errors import ApiError, error_responses
from agora.api.schemas import Input, Page, Text
from agora.cases import services
from agora.cases.models import Case, CaseEvent
from agora.cases.models.case import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH
from agora.cases.permissions import can_view_case, can_view_inbox
from agora.directory.index import get_index
from agora.directory.models import Office

router = Router(tags=["cases"])

READ = {**error_responses(401, 404, 422, 429)}
WRITE = {**error_responses(400, 401, 403, 404, 409, 422, 429)}
CASE_RELATED = ("topic", "area", "office", "office__parent", "submitted_by", "assigned_to")

Action = Literal[
    "acknowledge",
    "assign",
    "transfer",
    "request_information",
    "answer",
    "resolve",
    "reopen",
    "close",
]


class Named(Schema):
    slug: str
    name: str


class CaseOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    topic: Named
    area: Named | None
    office: Named = Field(description="The one accountable office.")
    state: str
    is_public: bool
    channel: str
    address: str
    longitude: float | None
    latitude: float | None
    created_at: datetime
    updated_at: datetime
    acknowledge_due_at: datetime
    answer_due_at: datetime
    overdue: bool
    transfers: int
    me_too: int = Field(description="How many other people said “me too”.")
    url: str

    @staticmethod
    def resolve_overdue(case: Case) -> bool:
        return case.is_overdue

    @staticmethod
    def resolve_transfers(case: Case) -> int:
        return case.transfer_count

    @staticmethod
    def resolve_me_too(case: Case) -> int:
        return case.support_count

    @staticmethod
    def resolve_url(case: Case) -> str:
        return settings.SITE_URL + case.get_absolute_url()


class EventOut(Schema):
    kind: str
    created_at: datetime
    actor: str | None = Field(description="The handle of who did it, when known.")
    from_office: Named | None
    to_office: Named | None
    assignee: str | None
    text: str

    @staticmethod
    def resolve_actor(event: CaseEvent) -> str | None:
        """Officials act in their office's name; the resident who raised the case is not named
        on it (pseudonymous participation)."""
        if event.actor is None or event.actor_id == event.case.submitted_by_id:
            return None
        return event.actor.handle

    @staticmethod
    def resolve_assignee(event: CaseEvent) -> str | None:
        return event.assignee.handle if event.assignee else None


class CaseDetail(CaseOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(case: Case) -> list:
        return case.timeline


class NewCase(Input):
    kind: Literal["question", "report"]
    title: Text = Field(min_length=1, max_length=TITLE_MAX_LENGTH)
    description: Text = Field(min_length=1, max_length=DESCRIPTION_MAX_LENGTH)
    topic: str = Field(max_length=80, description="A topic's slug.")
    area: str = Field("", max_length=80, description="An area's slug, if known.")
    is_public: bool = True
    address: Text = Field("", max_length=200)
    longitude: float | None = Field(None, ge=-180, le=180)
    latitude: float | None = Field(None, ge=-90, le=90)


class ActionIn(Input):
    text: Text = Field(
        "",
        max_length=4000,
        description="The answer, the question, the reason for a transfer or reopening, a note.",
    )
    office: str = Field("", max_length=80, description="For a transfer: the office's slug.")
    assignee: str = Field("", max_length=40, description="For assign: the official's handle.")


def _detail(case: Case) -> Case:
    """The case with its timeline read in one query, for CaseDetail."""
    case.timeline = list(
        CaseEvent.objects.filter(case=case).select_related(
            "actor", "from_office", "to_office", "assignee"
        )
    )
    for event in case.timeline:
        event.case = case
    return case


def _visible_case(request, case_id: int) -> Case:
    case = get_object_or_404(Case.objects.select_related(*CASE_RELATED), pk=case_id)
    if not can_view_case(request.auth, case):
        raise Http404
    return case


def _by_slug(entries, slug: str, code: str, what: str):
    found = next((entry for entry in entries if entry.slug == slug), None)
    if found is None:
        raise ApiError(
            422, code, _("%(what)s: there is no “%(slug)s”.") % {"what": what, "slug": slug}
        )
    return found


def _case_error(error: services.CaseError) -> ApiError:
    status = {
        services.NotAllowed: 403,
        services.InvalidTransition: 409,
        services.MissingText: 422,
        services.NotRoutable: 422,
    }.get(type(error), 400)
    return ApiError(status, error.code, error.message)


@router.get("", response={200: list[CaseOut], **READ}, summary="Your cases")
@paginate(Page)
def list_my_cases(request):
    cases = Case.objects.filter(submitted_by=request.auth).select_related(*CASE_RELATED)
    return cases.order_by("-pk")


@router.post(
    "",
    response={201: CaseDetail, **WRITE},
    summary="Ask a question or report a problem",
    description="The case is routed at once to the one office responsible for the topic in the "
    "area (or at the point given). An unknown topic or area, or a topic no office handles "
    "there, answers 422.",
)
def submit_case(request, new_case: NewCase):
    index = get_index()
    topic = _by_slug(index.topics.values(), new_case.topic, "unknown_topic", "topic")
    area = (
        _by_slug(index.areas.values(), new_case.area, "unknown_area", "area")
        if new_case.area
        else None
    )
    if (new_case.longitude is None) != (new_case.latitude is None):
        raise ApiError(
            422, "incomplete_location", _("Send both longitude and latitude, or neither.")
        )
    try:
        case = services.submit_case(
            by=request.auth,
            kind=new_case.kind,
            title=new_case.title,
            description=new_case.description,
            topic=topic,
            area=area,
            is_public=new_case.is_public,
            address=new_case.address,
            longitude=new_case.longitude,
            latitude=new_case.latitude,
        )
    except services.CaseError as error:
        raise _case_error(error) from error
    return Status(201, _detail(case))


@router.get(
    "/{int:case_id}",
    auth=ANYONE,
    response={200: CaseDetail, **READ},
    summary="A case and its timeline",
    description="Public cases are open to everyone; a private one answers 404 except to its "
    "submitter, the accountable office and moderators.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def read_case(request, case_id: int):
    return _detail(_visible_case(request, case_id))


@router.post(
    "/{int:case_id}/{action}",
    response={200: CaseDetail, **WRITE},
    summary="Act on a case",
    description="Officials of the accountable office acknowledge, assign (`assignee`), "
    "transfer (`office` and `text`, the reason), request information (`text`), answer "
    "(`text`) and resolve; the submitter or the office reopen and close. A move the case's "
    "state does not allow answers 409.",
)
def act_on_case(request, case_id: int, action: Action, body: ActionIn):
    case = _visible_case(request, case_id)
    by = request.auth
    try:
        if action == "acknowledge":
            services.acknowledge_case(case, by=by)
        elif action == "assign":
            assignee = User.objects.filter_handle(body.assignee).first()
            if assignee is None:
                raise ApiError(422, "unknown_person", _("assignee: there is no such person."))
            services.assign_case(case, to=assignee, by=by)
        elif action == "transfer":
            office = Office.objects.filter(slug=body.office).first()
            if office is None:
                raise ApiError(422, "unknown_office", _("office: there is no such office."))
            services.transfer_case(case, to_office=office, by=by, reason=body.text)
        elif action == "request_information":
            services.request_information(case, by=by, question=body.text)
        elif action == "answer":
            services.answer_case(case, by=by, answer=body.text)
        elif action == "resolve":
            services.resolve_case(case, by=by, note=body.text)
        elif action == "reopen":
            services.reopen_case(case, by=by, reason=body.text)
        else:
            services.close_case(case, by=by)
    except services.CaseError as error:
        raise _case_error(error) from error
    return _detail(_visible_case(request, case_id))


@router.get(
    "/offices/{office_slug}/inbox",
    response={200: list[CaseOut], **READ},
    summary="An office's inbox",
    description="For the office's officials and moderators; newest first.",
)
@paginate(Page)
def office_inbox(request, office_slug: str, state: str = ""):
    office = get_object_or_404(Office.objects.select_related("parent"), slug=office_slug)
    if not can_view_inbox(request.auth, office):
        raise Http404
    cases = Case.objects.filter(office=office).select_related(*CASE_RELATED)
    if state:
        cases = cases.filter(state=state)
    return cases.order_by("-pk")
