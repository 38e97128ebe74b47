"""Cases on the directory's map page (`directory.pages.MAP_BODY`): the count of public cases in
each place as a table, and the public cases with a latitude and longitude as GeoJSON points for
the map's script. Private cases are never counted nor drawn."""

import json

from django.db.models import Count
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from agora.cases.models import Case
from agora.core.pagecache import PageCache
from agora.core.sections import Section
from agora.directory import pages
from agora.directory.index import get_index

#: The most recent public cases drawn as points; older ones stay in the counts.
MAX_POINTS = 500

#: The counts by place, kept until a case changes (and at most its `max_age`).
COUNTS = PageCache("map-case-counts")


def public_cases():
    return Case.objects.filter(is_public=True)


def _counted() -> str:
    rows = (
        public_cases()
        .filter(area__isnull=False)
        .values("area_id")
        .annotate(count=Count("pk"))
        .values_list("area_id", "count")
    )
    return json.dumps(list(rows))


def counts_by_area(request) -> Section:
    """The number of public cases in each place that has any: counted once per change to the
    cases (`COUNTS` watches them), not on every view. The places and their names (in the
    reader's language, by the directory's rule) come from the cached index."""
    areas = get_index().areas
    rows = json.loads(COUNTS.fragment(_counted))
    counts = sorted(
        (
            {"name": areas[area_id].name, "url": areas[area_id].get_absolute_url(), "count": n}
            for area_id, n in rows
            if area_id in areas
        ),
        key=lambda row: row["name"].casefold(),
    )
    return Section(
        "cases/_map_counts.html",
        {"counts": counts, "points_url": reverse("cases:map_points")},
    )


@require_safe
def points(request):
    """The most recent public cases with a place, as a GeoJSON FeatureCollection of points:
    one query, at most MAX_POINTS."""
    rows = (
        public_cases()
        .filter(latitude__isnull=False, longitude__isnull=False)
        # The newest by time alone, from the partial index `cases_public_points`: a tie-break
        # on the id, or no such index, sorted or scanned every public case (bench/cases.py).
        .order_by("-created_at")
        .values_list("pk", "title", "longitude", "latitude")[:MAX_POINTS]
    )
    features = [
        {
            "type": "Feature",
            "id": pk,
            "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
            "properties": {"title": title, "url": reverse("cases:detail", args=[pk])},
        }
        for pk, title, longitude, latitude in rows
    ]
    response = HttpResponse(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        content_type="application/geo+json",
    )
    response["Cache-Control"] = "public, max-age=60"
    return response


def connect() -> None:
    COUNTS.watch(Case)
    pages.MAP_BODY.add(counts_by_area)
