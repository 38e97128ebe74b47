"""The cases part of the JSON API: ask or report (with a photo, as multipart), read a case with
its timeline, act on it as its office or its resident, follow it, comment on it, list your
cases, the cases you follow and an office's inbox. Errors use the API's one shape."""

import json
from datetime import datetime
from typing import Literal

import pydantic
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate

from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.accounts.models import User
from agora.accounts.naming import shown
from agora.accounts.schemas import COUNT_DESCRIPTION, Author, caller, shown_author, shown_count
from agora.cases import services
from agora.cases.actions import ACTIONS
from agora.cases.models import Case, CaseEvent
from agora.cases.models.case import (
    DESCRIPTION_MAX_LENGTH,
    PHOTO_ALT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    normal_reference,
)
from agora.cases.permissions import can_comment_on_case, can_view_case, can_view_inbox
from agora.cases.queries import case_comments, followed_cases
from agora.core.api.errors import ApiError, error_responses
from agora.core.api.schemas import Id, Input, Page, Said, Text
from agora.directory.index import get_index
from agora.directory.models import Office
from agora.social import queries as social_queries
from agora.social.models import Comment
from agora.social.models.comments import COMMENT_MAX_LENGTH

router = Router(tags=["cases"])

# The error statuses beyond those every operation answers (see error_responses).
READ = error_responses(404, 422)
WRITE = error_responses(400, 404, 409, 422)
CASE_RELATED = ("topic", "area", "office", "office__parent", "submitted_by", "assigned_to")

# The declared actions' names, in their order, for the path and the API's documentation.
Action = Literal[tuple(ACTIONS)]


class Named(Schema):
    slug: str
    name: str


class CaseOut(Schema):
    id: int
    reference: str = Field(
        description="Short and readable aloud, such as K7MQ-4XHD: what residents quote and "
        "officials search by."
    )
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
    photo_url: str | None = Field(
        description="The case's photo, as a full address; as private as the case."
    )
    photo_alt: str = Field(description="What the photo shows, for people who cannot see it.")
    media_url: str | None = Field(
        description="A link to a photo elsewhere, sent by an Open311 application; never fetched."
    )
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
    def resolve_photo_url(case: Case) -> str | None:
        if not case.photo:
            return None
        return settings.SITE_URL + reverse("cases:photo", kwargs={"case_id": case.pk})

    @staticmethod
    def resolve_media_url(case: Case) -> str | None:
        return case.media_url or None

    @staticmethod
    def resolve_url(case: Case) -> str:
        return settings.SITE_URL + case.get_absolute_url()


class EventOut(Schema):
    id: int
    kind: str
    created_at: datetime
    actor: str | None = Field(
        description="The handle of who did it, when known and their profile is visible to you "
        "(otherwise the office acted)."
    )
    from_office: Named | None
    to_office: Named | None
    assignee: str | None = Field(
        description="The official's handle, when their profile is visible to you."
    )
    text: str

    @staticmethod
    def resolve_actor(event: CaseEvent, context) -> str | None:
        """Officials act in their office's name; the resident who raised the case is not named
        on it (pseudonymous participation)."""
        if event.actor is None or event.actor_id == event.case.submitted_by_id:
            return None
        return shown(event.actor, caller(context)).handle or None

    @staticmethod
    def resolve_assignee(event: CaseEvent, context) -> str | None:
        if event.assignee is None:
            return None
        return shown(event.assignee, caller(context)).handle or None


class CaseDetail(CaseOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(case: Case) -> list:
        return case.timeline


class NewCase(Input):
    kind: Literal["question", "report"]
    title: Said = Field(max_length=TITLE_MAX_LENGTH)
    description: Said = Field(max_length=DESCRIPTION_MAX_LENGTH)
    topic: str = Field(min_length=1, max_length=80, description="A topic's slug.")
    area: str = Field("", max_length=80, description="An area's slug, if known.")
    is_public: bool = True
    address: Text = Field("", max_length=200)
    longitude: float | None = Field(None, ge=-180, le=180)
    latitude: float | None = Field(None, ge=-90, le=90)


class NewCaseWithPhoto(NewCase):
    """The same fields as a multipart form, with the photo and its description."""

    photo_alt: Text = Field(
        "",
        max_length=PHOTO_ALT_MAX_LENGTH,
        description="What the photo shows; required with a photo.",
    )


def _multipart_schema() -> dict:
    schema = NewCaseWithPhoto.model_json_schema()
    # A form cannot send null: a coordinate is left out instead.
    for name, limit in (("longitude", 180), ("latitude", 90)):
        schema["properties"][name] = {"type": "number", "minimum": -limit, "maximum": limit}
    schema["properties"]["photo"] = {
        "type": "string",
        "format": "binary",
        "description": "A JPEG, PNG, WebP or GIF image; re-encoded without its metadata.",
    }
    return schema


NEW_CASE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": NewCase.model_json_schema()},
            "multipart/form-data": {"schema": _multipart_schema()},
        },
    }
}


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
        services.InvalidPhoto: 422,
    }.get(type(error), 400)
    return ApiError(status, error.code, error.message)


def _new_case_from(request) -> tuple[NewCase, object]:
    """The new case from a JSON body, or from a multipart (or URL-encoded) form with an
    optional photo; checked by the same schema either way."""
    photo = None
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        unknown_files = sorted(set(request.FILES) - {"photo"})
        if unknown_files or len(request.FILES.getlist("photo")) > 1:
            raise ApiError(422, "invalid", _("Send at most one file, named “photo”."))
        photo = request.FILES.get("photo")
        data = {name: value for name, value in request.POST.items() if value != ""}
        schema = NewCaseWithPhoto
    else:
        try:
            data = json.loads(request.body or b"null")
        except ValueError as error:
            raise ApiError(
                400, "malformed_json", _("The request body is not valid JSON.")
            ) from error
        schema = NewCase
    try:
        new_case = schema.model_validate(data)
    except pydantic.ValidationError as error:
        problems = [
            {**problem, "loc": ("body", "new_case", *problem["loc"])} for problem in error.errors()
        ]
        raise NinjaValidationError(problems) from error
    return new_case, photo


@router.get("", response={200: list[CaseOut], **error_responses(422)}, summary="Your cases")
@paginate(Page)
def list_my_cases(request):
    cases = Case.objects.filter(submitted_by=request.auth).select_related(*CASE_RELATED)
    return cases.order_by("-pk")


@router.post(
    "",
    response={201: CaseDetail, **error_responses(400, 409, 422)},
    summary="Ask a question or report a problem",
    description="The case is routed at once to the one office responsible for the topic in the "
    "area (or at the point given). An unknown topic or area, or a topic no office handles "
    "there, answers 422. Send JSON, or a multipart form with the same fields plus `photo` "
    "(an image, at most 5 MB, re-encoded) and `photo_alt` (required with a photo): a file that "
    "is not an image, too large or without a description answers 422 and creates nothing.",
    openapi_extra=NEW_CASE_BODY,
)
def submit_case(request):
    new_case, photo = _new_case_from(request)
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
            photo=photo,
            photo_alt=getattr(new_case, "photo_alt", ""),
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


@router.get(
    "/following",
    response={200: list[CaseOut], **error_responses(422)},
    summary="The cases you follow",
    description="The latest followed first; only cases you may still see.",
)
@paginate(Page)
def list_followed_cases(request):
    follows = followed_cases(request.auth).select_related(
        *(f"case__{name}" for name in CASE_RELATED)
    )
    return [follow.case for follow in follows.order_by("-pk")]


class Following(Schema):
    following: bool


@router.post(
    "/{int:case_id}/follow",
    response={200: Following, **error_responses(404, 409, 422)},
    summary="Follow a case",
    description="Be told of every step and comment. Anyone signed in may follow a public case; "
    "a private one only its resident and its office's officials (others get 404).",
)
def follow_case(request, case_id: int):
    case = _visible_case(request, case_id)
    try:
        services.follow_case(case, by=request.auth)
    except services.CaseError as error:
        raise _case_error(error) from error
    return {"following": True}


@router.delete(
    "/{int:case_id}/follow",
    response={200: Following, **error_responses(404, 409, 422)},
    summary="Stop following a case",
)
def unfollow_case(request, case_id: int):
    case = _visible_case(request, case_id)
    services.unfollow_case(case, by=request.auth)
    return {"following": False}


class CaseCommentOut(Schema):
    id: int
    author: Author
    office: Named | None = Field(
        description="The office an official wrote for, when the comment speaks for one."
    )
    parent_id: int | None
    depth: int
    body: str
    body_html: str
    created_at: datetime
    like_count: int | None = Field(description=COUNT_DESCRIPTION)

    @staticmethod
    def resolve_like_count(comment: Comment, context) -> int | None:
        return shown_count(comment.like_count, context, comment.author)

    @staticmethod
    def resolve_author(comment: Comment, context) -> dict:
        return shown_author(comment.author, context, office=getattr(comment, "office", None))

    @staticmethod
    def resolve_office(comment: Comment):
        return getattr(comment, "office", None)


class NewCaseComment(Input):
    body: Said = Field(max_length=COMMENT_MAX_LENGTH)
    parent_id: Id | None = Field(None, description="The comment this replies to.")


@router.get(
    "/{int:case_id}/comments",
    auth=ANYONE,
    response={200: list[CaseCommentOut], **READ},
    summary="The comments on a case",
    description="Oldest first, flat with `parent_id` and `depth`; nothing from people blocked "
    "either way or muted by you. Private cases have no comments.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def list_case_comments(request, case_id: int):
    case = _visible_case(request, case_id)
    return social_queries.flatten(case_comments(request.auth, case))


@router.post(
    "/{int:case_id}/comments",
    response={201: CaseCommentOut, **WRITE},
    summary="Comment on a case",
    description="On a public case. An official of the accountable office speaks for the office "
    "(`office` is set). You follow the case from then on.",
)
def comment_on_case(request, case_id: int, new_comment: NewCaseComment):
    case = _visible_case(request, case_id)
    if not can_comment_on_case(request.auth, case):
        raise ApiError(403, "not_allowed", _("You cannot comment on this case."))
    parent = None
    if new_comment.parent_id is not None:
        parent = Comment.objects.select_related("author").filter(pk=new_comment.parent_id).first()
        if parent is None:
            raise ApiError(422, "unknown_parent", _("parent_id: there is no such comment."))
    try:
        created = services.comment_on_case(
            case, by=request.auth, body=new_comment.body, parent=parent
        )
    except PermissionDenied as error:
        raise ApiError(403, "not_allowed", str(error)) from error
    return Status(201, created)


@router.post(
    "/{int:case_id}/{action}",
    response={200: CaseDetail, **WRITE},
    summary="Act on a case",
    description="Officials of the accountable office acknowledge, assign (`assignee`), "
    "transfer (`office` and `text`, the reason), request information (`text`), answer "
    "(`text`) and resolve; the submitter or the office reopen and close; the submitter "
    "answers the office's questions with `provide_information` (`text`), which hands the case "
    "back to the office. A move the case's state does not allow answers 409.",
)
def act_on_case(request, case_id: int, action: Action, body: ActionIn):
    case = _visible_case(request, case_id)
    assignee = office = None
    arguments = ACTIONS[action].arguments
    if "assignee" in arguments:
        assignee = User.objects.filter_handle(body.assignee).first()
        if assignee is None:
            raise ApiError(422, "unknown_person", _("assignee: there is no such person."))
    if "office" in arguments:
        office = Office.objects.filter(slug=body.office).first()
        if office is None:
            raise ApiError(422, "unknown_office", _("office: there is no such office."))
    try:
        services.take_action(
            case, action, by=request.auth, text=body.text, assignee=assignee, office=office
        )
    except services.CaseError as error:
        raise _case_error(error) from error
    return _detail(_visible_case(request, case_id))


@router.get(
    "/offices/{office_slug}/inbox",
    response={200: list[CaseOut], **READ},
    summary="An office's inbox",
    description="For the office's officials and moderators; newest first. It holds the cases "
    "of the offices that are part of this one too, at any depth, as the inbox page does.",
)
@paginate(Page)
def office_inbox(request, office_slug: str, state: str = "", reference: str = ""):
    office = get_object_or_404(Office.objects.select_related("parent"), slug=office_slug)
    if not can_view_inbox(request.auth, office):
        raise Http404
    cases = Case.objects.filter(office__in=[each.pk for each in office.subtree()])
    cases = cases.select_related(*CASE_RELATED)
    if state:
        cases = cases.filter(state=state)
    if reference:
        wanted = normal_reference(reference)
        if wanted is None:
            raise ApiError(
                422,
                "invalid_reference",
                _("reference: eight letters and digits, such as K7MQ-4XHD."),
            )
        cases = cases.filter(reference=wanted)
    return cases.order_by("-pk")
