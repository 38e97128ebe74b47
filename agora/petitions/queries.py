"""The reads of the petition pages, each in a fixed number of queries whatever the number of
petitions or signatures: the list (keyset-paged by id, never by offset), signatures by area
with the bars of their chart, the names signers chose to show, and what moderators read to
judge a petition's signatures (hourly rate, email domains and network ranges)."""

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncHour
from django.utils.translation import gettext as _

from agora.core.prepared import load
from agora.directory.index import get_index
from agora.moderation.models import ModerationState
from agora.petitions.models import AreaTally, Petition, PetitionState, Signature
from agora.petitions.permissions import can_moderate

PAGE_SIZE = 20
#: A domain or range signs "unusually often" with at least so many signatures and so large
#: a share of the petition's.
UNUSUAL_COUNT = 5
UNUSUAL_SHARE = 0.10
CHART_WIDTH = 240
BAR_SPACING = 52


def to_sign(pk: int) -> Petition | None:
    """A petition as signing reads it, in a statement compiled once (`core.prepared.load`)
    rather than a queryset joining five tables: in a surge every signature asks. Its office,
    with the offices above it, comes from the directory's index in memory (no query); anything
    else it refers to is read when asked for."""
    found = load(
        ("petition",),
        {"pk": "int"},
        lambda stand_ins: Petition.objects.filter(pk=stand_ins["pk"]),
        pk=pk,
    )
    if not found:
        return None
    petition = found[0][0]
    office = get_index().offices.get(petition.office_id)
    if office is not None:
        petition.office = office
    return petition


def listed(viewer, *, state: str = "", mine: bool = False) -> QuerySet:
    """What a viewer may list: the published petitions moderation leaves visible; their own
    petitions in any state with `mine`; those awaiting moderation for moderators."""
    rows = Petition.objects.select_related("office", "authority")
    if mine and viewer.is_authenticated:
        return rows.filter(author=viewer)
    if state == PetitionState.AWAITING_MODERATION and can_moderate(viewer):
        return rows.filter(state=state)
    states = (
        [state]
        if state in (PetitionState.OPEN, PetitionState.CLOSED)
        else [
            PetitionState.OPEN,
            PetitionState.CLOSED,
        ]
    )
    return rows.filter(state__in=states, moderation_state=ModerationState.VISIBLE)


@dataclass
class Page:
    items: list
    next_cursor: str | None


def page(rows: QuerySet, cursor: str | None, size: int = PAGE_SIZE) -> Page:
    if cursor and re.fullmatch(r"\d{1,18}", cursor):
        rows = rows.filter(pk__lt=int(cursor))
    items = list(rows.order_by("-pk")[: size + 1])
    more = str(items[size - 1].pk) if len(items) > size else None
    return Page(items[:size], more)


def counted(petition) -> QuerySet:
    return Signature.objects.filter(
        petition=petition, confirmed_at__isnull=False, invalidation__isnull=True
    )


@dataclass
class Bar:
    label: str
    count: int
    y: int = 0
    width: int = 0


def _bars(rows: list[Bar]) -> list[Bar]:
    largest = max((row.count for row in rows), default=0)
    for number, row in enumerate(rows):
        row.y = number * BAR_SPACING
        row.width = round(CHART_WIDTH * row.count / largest) if largest else 0
    return rows


def chart_height(bars: list[Bar]) -> int:
    return max(len(bars), 1) * BAR_SPACING


def by_area(petition) -> list[Bar]:
    """Counted signatures by the area signers named as their home, read from the tallies the
    services keep (one query, a row per area); those who named no area the directory knows
    are counted apart."""
    rows = (
        AreaTally.objects.filter(petition=petition, count__gt=0)
        .select_related("area")
        .order_by("-count", "area_key")
    )
    return _bars(
        [Bar(row.area.name if row.area else _("Area not known"), row.count) for row in rows]
    )


def shown_names(petition, limit: int = 20) -> list:
    """The latest signers who chose to show their name."""
    rows = counted(petition).filter(show_name=True).select_related("person")
    return [signature.person for signature in rows.order_by("-pk")[:limit]]


def hourly(petition, limit: int = 48) -> list[Bar]:
    """Signatures per hour, latest hours first (counted or not: moderators judge them all)."""
    rows = (
        Signature.objects.filter(petition=petition)
        .annotate(hour=TruncHour("created_at"))
        .values("hour")
        .annotate(count=Count("pk"))
        .order_by("-hour")[:limit]
    )
    return _bars([Bar(row["hour"].strftime("%Y-%m-%d %H:00"), row["count"]) for row in rows])


def _frequent(petition, field: str, total: int, limit: int = 20) -> list[dict]:
    rows = (
        Signature.objects.filter(petition=petition, invalidation__isnull=True)
        .exclude(**{field: ""})
        .values(field)
        .annotate(count=Count("pk"))
        .order_by("-count", field)[:limit]
    )
    return [
        {
            "value": row[field],
            "count": row["count"],
            "share": round(100 * row["count"] / total) if total else 0,
            "unusual": row["count"] >= UNUSUAL_COUNT
            and total
            and row["count"] / total >= UNUSUAL_SHARE,
        }
        for row in rows
    ]


def integrity(petition) -> dict:
    """What moderators read: the rate by hour, the most frequent email domains and network
    ranges among the valid signatures with their share, and the invalidations made."""
    total = Signature.objects.filter(petition=petition, invalidation__isnull=True).count()
    return {
        "total": total,
        "hours": hourly(petition),
        "domains": _frequent(petition, "email_domain", total),
        "networks": _frequent(petition, "network", total),
        "invalidations": list(petition.invalidations.select_related("by")),
        "unconfirmed": Signature.objects.filter(
            Q(confirmed_at__isnull=True), petition=petition
        ).count(),
    }
