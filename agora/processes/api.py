"""The processes part of the JSON API: the list (open now, upcoming, past; paged by cursor),
a process with its phases and what the current phase allows the caller, creating one, and
following one. Errors use the API's one shape."""

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.core.api.errors import ApiError, error_responses
from agora.core.api.schemas import Input, Said, Text
from agora.core.paging import page_by_id
from agora.directory.models import Area, Office, Topic
from agora.processes import features, queries, services
from agora.processes.models import Participation, PhaseKind, Process
from agora.processes.models.phase import PHASE_TITLE_MAX_LENGTH
from agora.processes.models.process import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH
from agora.processes.permissions import can_view_process
from agora.social import services as social_services

router = Router(tags=["processes"])

PAGE_SIZE = 20
State = Literal[tuple(queries.STATES)]
Kind = Literal[tuple(PhaseKind.values)]


class Named(Schema):
    slug: str
    name: str


class PhaseOut(Schema):
    id: int
    kind: Kind
    title: str = Field(description="Its own title, else the name of its kind, in your language.")
    starts_at: datetime
    ends_at: datetime | None = Field(description="Empty only for an open-ended last phase.")
    allows: list[str] = Field(description="The actions this phase allows.")

    @staticmethod
    def resolve_title(phase) -> str:
        return phase.name

    @staticmethod
    def resolve_allows(phase) -> list[str]:
        return [action.name for action in features.allowed_in(phase.kind)]


class ProcessOut(Schema):
    slug: str
    title: str = Field(description="In your language (Spanish when asked and written).")
    office: Named = Field(description="The responsible office.")
    participation: Literal[tuple(Participation.values)] = Field(
        description="Who may take part: anyone signed in, verified residents, or verified "
        "residents of the process's areas."
    )
    minimum_age: int | None
    is_published: bool
    state: State | None = Field(description="By the dates of its phases; empty without phases.")
    current_phase: PhaseOut | None
    starts_at: datetime | None
    ends_at: datetime | None
    url: str

    @staticmethod
    def resolve_office(process) -> dict:
        return {"slug": process.office.slug, "name": process.office.name}

    @staticmethod
    def resolve_state(process) -> str | None:
        return process.state_at()

    @staticmethod
    def resolve_current_phase(process):
        return features.current_phase(process)

    @staticmethod
    def resolve_url(process) -> str:
        return settings.SITE_URL + process.get_absolute_url()


class ProcessPage(Schema):
    items: list[ProcessOut]
    next_cursor: str | None = Field(description="Send back as `before` for the next page.")


class ActionNow(Schema):
    action: str
    label: str
    allowed: bool
    reason: str = Field(
        description="`allowed`, or why not: `outside_phase`, `not_signed_in`, `not_verified`, "
        "`outside_areas`, `too_young`, `office_takes_no_part`, `not_the_office`."
    )
    message: str


class ProcessDetail(ProcessOut):
    description: str = Field(description="In the house Markdown, in your language.")
    description_html: str = Field(description="The description as sanitised HTML.")
    image_url: str | None
    image_alt: str
    areas: list[Named]
    topics: list[Named]
    phases: list[PhaseOut]
    now: list[ActionNow] = Field(
        description="Each action the current phase allows, and whether you may do it now."
    )

    @staticmethod
    def resolve_description(process) -> str:
        from agora.directory.models.base import in_language

        return in_language(process, "description")

    @staticmethod
    def resolve_image_url(process) -> str | None:
        if not process.image:
            return None
        return settings.SITE_URL + reverse("processes:image", kwargs={"slug": process.slug})

    @staticmethod
    def resolve_areas(process) -> list[dict]:
        return [{"slug": area.slug, "name": area.name} for area in process.areas.all()]

    @staticmethod
    def resolve_topics(process) -> list[dict]:
        return [{"slug": topic.slug, "name": topic.name} for topic in process.topics.all()]

    @staticmethod
    def resolve_phases(process) -> list:
        return list(process.phases.all())

    @staticmethod
    def resolve_now(process, context) -> list[dict]:
        request = context["request"]
        person = getattr(request, "auth", None) or request.user
        return [
            {
                "action": action.name,
                "label": str(action.label),
                "allowed": decision.allowed,
                "reason": decision.reason,
                "message": decision.message,
            }
            for action, decision in features.what_now(person, process)
        ]


class PhaseIn(Input):
    kind: Kind
    title_en: Text = Field("", max_length=PHASE_TITLE_MAX_LENGTH)
    title_es: Text = Field("", max_length=PHASE_TITLE_MAX_LENGTH)
    starts_at: datetime = Field(description="With a time zone offset.")
    ends_at: datetime | None = Field(None, description="Leave out only for the last phase.")


class NewProcess(Input):
    title_en: Said = Field(max_length=TITLE_MAX_LENGTH)
    title_es: Text = Field("", max_length=TITLE_MAX_LENGTH)
    description_en: Text = Field("", max_length=DESCRIPTION_MAX_LENGTH)
    description_es: Text = Field("", max_length=DESCRIPTION_MAX_LENGTH)
    office: str = Field(max_length=80, description="The responsible office's slug.")
    areas: list[str] = Field([], max_length=200, description="Areas' slugs.")
    topics: list[str] = Field([], max_length=200, description="Topics' slugs.")
    participation: Literal[tuple(Participation.values)] = Participation.VERIFIED
    minimum_age: int | None = Field(None, ge=1, le=120)
    is_published: bool = False
    phases: list[PhaseIn] = Field([], max_length=20)


def _person(request):
    return getattr(request, "auth", None) or request.user


def _read(request, slug: str) -> Process:
    process = queries.for_page(Process.objects.all()).filter(slug=slug).first()
    if process is None or not can_view_process(_person(request), process):
        raise Http404
    return process


@router.get(
    "",
    auth=ANYONE,
    response={200: ProcessPage, **error_responses(422)},
    summary="Participation processes",
    description="Open to everyone: published processes (and the drafts of the offices you "
    "run processes for), newest first, paged by cursor: send `next_cursor` back as `before`. "
    "`state` keeps those open now, upcoming or past.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def list_processes(request, state: State | None = None, before: str | None = None):
    visible = queries.visible_processes(_person(request))
    processes = queries.for_list(queries.in_state(visible, state))
    page = page_by_id(processes, before, size=PAGE_SIZE)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get(
    "/{slug}",
    auth=ANYONE,
    response={200: ProcessDetail, **error_responses(404)},
    summary="A participation process",
    description="Open to everyone for a published process. Its phases, and under `now` each "
    "action the current phase allows with whether you may do it and, if not, why.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def read_process(request, slug: str):
    return _read(request, slug)


def _by_slugs(model, slugs: list[str], field: str) -> list:
    found = list(model.objects.filter(slug__in=slugs))
    missing = sorted(set(slugs) - {thing.slug for thing in found})
    if missing:
        raise ApiError(422, "invalid", f"{field}: unknown {', '.join(missing)}")
    return found


@router.post(
    "",
    response={201: ProcessDetail, **error_responses(400, 422)},
    summary="Create a participation process",
    description="For administrators, and officials of the office given (or of an office it is "
    "part of). Phases must run forwards without overlapping, and only the last may have no "
    "end: otherwise 422 `invalid_phases`, saying which, and nothing is created.",
)
def create_process(request, body: NewProcess):
    office = Office.objects.filter(slug=body.office).first()
    if office is None:
        raise ApiError(422, "invalid", f"office: unknown {body.office}")
    fields = body.dict(exclude={"office", "areas", "topics", "phases"})
    phases = [
        services.PhaseInput(
            kind=phase.kind,
            title_en=phase.title_en,
            title_es=phase.title_es,
            starts_at=phase.starts_at,
            ends_at=phase.ends_at,
        )
        for phase in body.phases
    ]
    try:
        process = services.create_process(
            by=request.auth,
            office=office,
            areas=_by_slugs(Area, body.areas, "areas"),
            topics=_by_slugs(Topic, body.topics, "topics"),
            phases=phases,
            **fields,
        )
    except ValidationError as error:
        if getattr(error, "code", None) == "phases" or not hasattr(error, "error_dict"):
            raise ApiError(422, "invalid_phases", " ".join(error.messages)) from error
        raise
    return Status(201, _read(request, process.slug))


@router.post(
    "/{slug}/follow",
    response={204: None, **error_responses(404)},
    summary="Follow a process",
    description="Its news comes to your home feed, and you are told when a phase starts.",
)
def follow_process(request, slug: str):
    social_services.follow_source(_read(request, slug), by=request.auth)
    return Status(204, None)


@router.delete(
    "/{slug}/follow",
    response={204: None, **error_responses(404)},
    summary="Unfollow a process",
)
def unfollow_process(request, slug: str):
    social_services.unfollow_source(_read(request, slug), by=request.auth)
    return Status(204, None)
