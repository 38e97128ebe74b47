"""The reads of the result pages and the API, each in a fixed number of queries whatever the
number of results, updates and cases: a process's results (filtered by status, newest first,
paged by id), a result with its updates, cases and origins, and the result of a thing."""

from django.db.models import Count, Prefetch, QuerySet

from agora.cases.models import Case
from agora.cases.permissions import can_view_case
from agora.core.paging import Page, page_by_id
from agora.results import origins
from agora.results.models import Result, ResultOrigin, ResultStatus, ResultUpdate

STATUSES = tuple(ResultStatus.values)
UPDATES_SHOWN = 50


def of_process(process, *, status: str = "") -> QuerySet:
    rows = Result.objects.filter(process=process)
    if status in STATUSES:
        rows = rows.filter(status=status)
    return rows.select_related("office")


def page(rows: QuerySet, cursor: str | None, *, size: int) -> Page:
    return page_by_id(rows, cursor, size=size)


def counts_by_status(process) -> dict[str, int]:
    """How many results of the process stand in each status (one query)."""
    found = dict.fromkeys(STATUSES, 0)
    rows = Result.objects.filter(process=process).values("status").annotate(count=Count("id"))
    for row in rows.order_by():
        found[row["status"]] = row["count"]
    return found


def for_page(rows: QuerySet) -> QuerySet:
    """A result with its process and office, and its cases with their offices."""
    return rows.select_related("process__office__parent", "office__parent").prefetch_related(
        Prefetch("cases", queryset=Case.objects.select_related("office__parent").order_by("-pk"))
    )


def updates_of(result: Result) -> list[ResultUpdate]:
    """Its newest updates, newest first (one query)."""
    rows = ResultUpdate.objects.filter(result=result).select_related("office")
    return list(rows.order_by("-created_at", "-pk")[:UPDATES_SHOWN])


def cases_for(result: Result, viewer) -> list[Case]:
    """The linked cases the viewer may read (a private case only for those who may)."""
    return [case for case in result.cases.all() if can_view_case(viewer, case)]


def origins_of(result: Result, viewer) -> list[tuple]:
    """The things the result came from that the viewer may see: (kind, thing, title, url)."""
    found = origins.things_of(ResultOrigin.objects.filter(result=result))
    return [
        (kind, thing, kind.title_of(thing), kind.url_of(thing))
        for kind, thing in found
        if kind.visible_to(viewer, thing)
    ]


def result_of(thing) -> Result | None:
    """The result a thing (a proposal, a petition) became, if any (one query)."""
    kind = origins.kind_of(thing)
    row = (
        ResultOrigin.objects.filter(kind=kind.key, object_id=thing.pk)
        .select_related("result")
        .first()
    )
    return row.result if row else None
