"""Meetings on the pages other apps own: the process page (`processes.pages.PROCESS_BODY`),
an office's page (`directory.pages.OFFICE_BODY`), a proposal's page (the meetings that
discussed it, `proposals.pages.PROPOSAL_BODY`) and the directory's map
(`directory.pages.MAP_BODY`, a list of the coming meetings with a place, and their points for
the map's script). Each part makes a fixed number of queries, whatever the number of
meetings."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_safe

from agora.core.pagecache import PageCache
from agora.core.sections import Section
from agora.directory import pages as directory_pages
from agora.meetings.models import Meeting, Mode
from agora.meetings.permissions import can_create_meeting
from agora.processes.pages import PROCESS_BODY, VISITORS_PAGES, keep_short_list, short_list
from agora.proposals.pages import PROPOSAL_BODY

#: The coming meetings a page lists; the calendar feed holds the rest.
COMING_SIZE = 5
#: The latest past meetings a process page lists (with their minutes, once published).
PAST_SIZE = 3
#: The coming meetings with a place drawn on the map, and listed under it.
MAX_POINTS = 300
MAP_LISTED = 20

#: The list under the map, kept until a meeting changes (and at most a minute).
LISTED = PageCache("map-meetings", max_age=60)


def _coming(meetings, now):
    return list(meetings.filter(ends_at__gt=now).order_by("starts_at", "pk")[:COMING_SIZE])


def coming_and_past(meetings, now, *, coming: int, past: int) -> tuple[list, list]:
    """The first `coming` meetings not yet ended (soonest first) and the latest `past` ones
    (latest first), in one query: each group numbered by a window function, and each kept
    up to its size."""
    is_coming = Q(ends_at__gt=now)
    rows = meetings.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[ExpressionWrapper(is_coming, output_field=BooleanField())],
            order_by=[
                Case(When(is_coming, then=F("starts_at"))).asc(nulls_last=True),
                F("starts_at").desc(),
                F("pk").desc(),
            ],
        )
    ).filter(rank__lte=Case(When(is_coming, then=Value(coming)), default=Value(past)))
    found = list(rows)
    soon = sorted((m for m in found if not m.has_ended(now)), key=lambda m: (m.starts_at, m.pk))
    gone = sorted((m for m in found if m.has_ended(now)), key=lambda m: (m.starts_at, m.pk))
    return soon, gone[::-1]


def _process_meetings(process) -> tuple[list, list]:
    return coming_and_past(
        Meeting.objects.filter(process=process), timezone.now(), coming=COMING_SIZE, past=PAST_SIZE
    )


def process_meetings(request, process) -> Section | None:
    """The process's coming meetings and its latest past ones: one query, kept with the
    process's other short lists (`processes.pages.short_list`)."""
    coming, past = short_list(process, "meetings")
    may_add = can_create_meeting(request.user, process=process)
    if not (coming or past or may_add):
        return None
    return Section(
        "meetings/_meetings_part.html",
        {
            "coming": coming,
            "past": past,
            "feed_url": reverse("meetings:process_feed", args=[process.slug]),
            "new_url": may_add and reverse("meetings:new_for_process", args=[process.slug]),
        },
    )


def office_meetings(request, office) -> Section | None:
    """The coming meetings of the office and of its published processes: one query."""
    meetings = Meeting.objects.filter(office=office) | Meeting.objects.filter(
        process__office=office, process__is_published=True
    )
    coming = _coming(meetings, timezone.now())
    may_add = can_create_meeting(request.user, office=office)
    if not (coming or may_add):
        return None
    return Section(
        "meetings/_meetings_part.html",
        {
            "coming": coming,
            "past": [],
            "feed_url": reverse("meetings:office_feed", args=[office.slug]),
            "new_url": may_add and reverse("meetings:new_for_office", args=[office.slug]),
        },
    )


def _placed():
    """Coming in-person meetings with a place, of offices or of published processes."""
    return (
        Meeting.objects.filter(
            ends_at__gt=timezone.now(),
            latitude__isnull=False,
            longitude__isnull=False,
            mode__in=(Mode.IN_PERSON, Mode.HYBRID),
        )
        .exclude(process__is_published=False)
        .order_by("starts_at", "pk")
    )


def _listed() -> str:
    rows = _placed().values("pk", "title_en", "title_es", "starts_at", "ends_at", "address")
    return json.dumps(list(rows[:MAP_LISTED]), cls=DjangoJSONEncoder)


def map_meetings(request) -> Section:
    """The coming meetings with a place, listed under the map, and the address of their
    points for the map's script. The list is read once per change to the meetings (`LISTED`
    watches them, and forgets it after a minute, when a meeting may have ended), not on every
    view of the map."""
    now = timezone.now()
    placed = []
    for row in json.loads(LISTED.fragment(_listed)):
        row["starts_at"] = parse_datetime(row["starts_at"])
        row["ends_at"] = parse_datetime(row["ends_at"])
        meeting = Meeting(**row)
        if not meeting.has_ended(now):
            placed.append(meeting)
    return Section(
        "meetings/_map_meetings.html",
        {
            "placed": placed,
            "points_url": reverse("meetings:map_points"),
        },
    )


@require_safe
def map_points(request):
    """The coming meetings with a place, as GeoJSON points: one query, at most MAX_POINTS."""
    rows = _placed()[:MAX_POINTS]
    features = [
        {
            "type": "Feature",
            "id": meeting.pk,
            "geometry": {
                "type": "Point",
                "coordinates": [float(meeting.longitude), float(meeting.latitude)],
            },
            "properties": {
                "title": meeting.title,
                "url": meeting.get_absolute_url(),
                "kind": "meeting",
            },
        }
        for meeting in rows.only("pk", "title_en", "title_es", "latitude", "longitude", "starts_at")
    ]
    response = HttpResponse(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        content_type="application/geo+json",
    )
    response["Cache-Control"] = "public, max-age=60"
    response["Vary"] = "Cookie, Accept-Language"
    return response


def proposal_meetings(request, proposal) -> Section | None:
    """The meetings that discussed the proposal, latest first: one query."""
    meetings = list(
        Meeting.objects.filter(discussed_proposals=proposal).order_by("-starts_at", "-pk")[
            :COMING_SIZE
        ]
    )
    if not meetings:
        return None
    return Section("meetings/_proposal_meetings.html", {"meetings": meetings})


def connect() -> None:
    PROCESS_BODY.add(process_meetings, order=45)
    keep_short_list("meetings", _process_meetings, Meeting)
    VISITORS_PAGES.watch(Meeting)
    LISTED.watch(Meeting)
    directory_pages.OFFICE_BODY.add(office_meetings, order=30)
    directory_pages.MAP_BODY.add(map_meetings, order=60)
    PROPOSAL_BODY.add(proposal_meetings, order=50)
