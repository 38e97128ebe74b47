"""The results part of the JSON API: a process's results (filtered by status, paged by
cursor), a result with its updates, making a result, and writing an update. Refusals answer
the one error shape: 403 with the reason's code (`not_the_office`, `not_started`...), 422 for
bad input, 404 for what the caller may not see."""

from datetime import datetime
from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.core.api.errors import ApiError, error_responses
from agora.core.api.schemas import Id, Input, Said, Text
from agora.directory.models import Office
from agora.processes.models import Process
from agora.processes.permissions import can_view_process
from agora.results import origins, queries, services
from agora.results.models import Result, ResultStatus
from agora.results.models.result import (
    DESCRIPTION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    UPDATE_MAX_LENGTH,
)
from agora.results.permissions import can_create_result, can_update_result

router = Router(tags=["results"])

PAGE_SIZE = 20
STATUS = Literal[tuple(ResultStatus.values)]


class UpdateOut(Schema):
    id: int
    body_html: str
    status: STATUS | None
    progress: int | None
    reason: str
    office: str = Field(description="The office's slug.")
    created_at: datetime

    @staticmethod
    def resolve_status(update) -> str | None:
        return update.status or None

    @staticmethod
    def resolve_office(update) -> str:
        return update.office.slug


class OriginOut(Schema):
    kind: str
    id: int
    title: str
    url: str


class ResultOut(Schema):
    id: int
    process: str = Field(description="The process's slug.")
    office: str = Field(description="The responsible office's slug.")
    title: str
    description_html: str
    status: STATUS
    progress: int = Field(description="Percentage delivered, 0 to 100.")
    dropped_reason: str
    created_at: datetime
    updated_at: datetime
    url: str

    @staticmethod
    def resolve_process(result) -> str:
        return result.process.slug

    @staticmethod
    def resolve_office(result) -> str:
        return result.office.slug

    @staticmethod
    def resolve_url(result) -> str:
        return result.get_absolute_url()


class ResultDetail(ResultOut):
    updates: list[UpdateOut] = Field(description="Newest first (the latest 50).")
    cases: list[str] = Field(description="References of the linked cases the caller may read.")
    origins: list[OriginOut] = Field(description="What it came from, as the caller may see.")

    @staticmethod
    def resolve_updates(result) -> list:
        return queries.updates_of(result)

    @staticmethod
    def resolve_cases(result, context) -> list[str]:
        return [case.reference for case in queries.cases_for(result, _person(context["request"]))]

    @staticmethod
    def resolve_origins(result, context) -> list[dict]:
        return [
            {"kind": kind.key, "id": thing.pk, "title": title, "url": url}
            for kind, thing, title, url in queries.origins_of(result, _person(context["request"]))
        ]


class ResultPage(Schema):
    items: list[ResultOut]
    next_cursor: str | None


class ResultListParams(Schema):
    process: Text = Field(max_length=80, description="The process's slug.")
    status: STATUS | None = None
    before: Text | None = Field(None, max_length=24, description="The `next_cursor` before.")


class OriginIn(Input):
    kind: str = Field(max_length=24, description="A registered kind: `proposal`.")
    id: Id


class NewResult(Input):
    process: str = Field(max_length=80, description="The process's slug.")
    title: Said = Field(max_length=TITLE_MAX_LENGTH)
    description: Said = Field(max_length=DESCRIPTION_MAX_LENGTH)
    office: str | None = Field(
        None, max_length=80, description="The responsible office's slug; the process's if none."
    )
    status: STATUS = ResultStatus.PLANNED
    progress: int = Field(0, ge=0, le=100)
    reason: Text = Field("", max_length=REASON_MAX_LENGTH, description="Required for dropped.")
    cases: list[Text] = Field([], max_length=services.MAX_CASES, description="Case references.")
    origins: list[OriginIn] = Field([], max_length=10)


class UpdateIn(Input):
    body: Said = Field(max_length=UPDATE_MAX_LENGTH)
    status: STATUS | None = None
    progress: int | None = Field(None, ge=0, le=100)
    reason: Text = Field("", max_length=REASON_MAX_LENGTH, description="Required for dropped.")


def _person(request):
    return getattr(request, "auth", None) or request.user


def _process(request, slug: str) -> Process:
    """The process named in the query or the body: unknown is invalid input (422)."""
    process = Process.objects.select_related("office__parent").filter(slug=slug).first()
    if process is None or not can_view_process(_person(request), process):
        raise ApiError(422, "invalid", f"process: unknown {slug}")
    return process


def _result(request, pk: int) -> Result:
    result = queries.for_page(Result.objects.filter(pk=pk)).first()
    if result is None or not can_view_process(_person(request), result.process):
        raise Http404
    return result


@router.get(
    "",
    auth=ANYONE,
    response={200: ResultPage, **error_responses(422)},
    summary="The results of a process",
    description="Open to everyone for a published process; newest first. Filter: `status`. "
    "Paged by cursor: send `next_cursor` back as `before`.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def list_results(request, params: Query[ResultListParams]):
    found = _process(request, params.process)
    rows = queries.of_process(found, status=params.status or "").select_related("process")
    page = queries.page(rows, params.before, size=PAGE_SIZE)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get(
    "/{int:result_id}",
    auth=ANYONE,
    response={200: ResultDetail, **error_responses(404, 422)},
    summary="A result, with its updates, cases and origins",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def read_result(request, result_id: int):
    return _result(request, result_id)


@router.post(
    "",
    response={201: ResultDetail, **error_responses(400, 403, 422)},
    summary="Make a result",
    description="For the officials of the process's responsible office and administrators, "
    "once the process has begun: otherwise 403 with the reason (`not_the_office`, "
    "`not_started`, `not_published`). Dropped needs a `reason`; done sets progress to 100.",
)
def create_result(request, body: NewResult):
    process = _process(request, body.process)
    decision = can_create_result(request.auth, process)
    if not decision:
        raise ApiError(403, decision.reason, decision.message)
    office = process.office
    if body.office:
        office = Office.objects.filter(slug=body.office).first()
        if office is None:
            raise ApiError(422, "invalid", f"office: unknown {body.office}")
    things = []
    for wanted in body.origins:
        thing = origins.find(wanted.kind, wanted.id)
        kind = origins.kind_named(wanted.kind)
        if thing is None or not kind.visible_to(request.auth, thing):
            raise ApiError(422, "invalid", f"origins: unknown {wanted.kind} {wanted.id}")
        things.append(thing)
    result = services.create_result(
        process,
        by=request.auth,
        title=body.title,
        description=body.description,
        office=office,
        status=body.status,
        progress=body.progress,
        reason=body.reason,
        cases=services.find_cases(body.cases),
        origins_of=things,
    )
    return Status(201, _result(request, result.pk))


@router.post(
    "/{int:result_id}/updates",
    response={201: ResultDetail, **error_responses(400, 403, 404, 422)},
    summary="Write an update of a result",
    description="For the officials of the result's responsible office and administrators: "
    "otherwise 403 `not_the_office`. Optional new `status` (dropped needs a `reason`) and "
    "`progress`. Its followers, and the authors and supporters of what it came from, are told.",
)
def add_update(request, result_id: int, body: UpdateIn):
    result = _result(request, result_id)
    decision = can_update_result(request.auth, result)
    if not decision:
        raise ApiError(403, decision.reason, decision.message)
    services.add_update(
        result,
        by=request.auth,
        body=body.body,
        status=body.status or "",
        progress=body.progress,
        reason=body.reason,
    )
    return Status(201, _result(request, result_id))
