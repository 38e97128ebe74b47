"""The reads of the proposal list and page, each in a fixed number of queries whatever the
number of proposals: filters (topic, area, state, mine) and sorts (newest, most supported,
most commented, a random order stable for one visitor), keyset-paged on (key, id) descending,
never by offset."""

import re
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from agora.moderation.models import ModerationState
from agora.proposals.models import Proposal, ProposalState
from agora.proposals.models.proposal import SHUFFLE, SHUFFLE_PRIME
from agora.social.models import Alignment

SORTS = ("newest", "supported", "commented", "random")
STATES = tuple(ProposalState.values)
# A random order stable per visitor: each id mapped through a multiplicative hash with the
# visitor's seed, modulo a prime, so the order is the same page after page and costs two
# index range scans, not a shuffle of the table.
_PRIME = SHUFFLE_PRIME
SEED_RANGE = range(1, _PRIME)


def visible(viewer) -> QuerySet:
    """What moderation leaves visible, and the viewer's own proposals however they stand."""
    shown = Q(moderation_state=ModerationState.VISIBLE)
    if viewer.is_authenticated:
        shown |= Q(author=viewer)
    return Proposal.objects.filter(shown)


def filtered(process, viewer, *, topic=None, area=None, state="", mine=False) -> QuerySet:
    rows = visible(viewer).filter(process=process)
    if topic is not None:
        rows = rows.filter(topic=topic)
    if area is not None:
        rows = rows.filter(area=area)
    if state in STATES:
        rows = rows.filter(state=state)
    if mine and viewer.is_authenticated:
        rows = rows.filter(author=viewer)
    return rows.select_related("author", "topic", "area")


@dataclass
class Page:
    items: list
    next_cursor: str | None


def _key(sort: str):
    return F("support_count") if sort == "supported" else F("comment_count")


def _cursor(value: str | None) -> tuple[int, int] | None:
    found = re.fullmatch(r"(\d{1,19})\.(\d{1,19})", value or "")
    if not found:
        return None
    key, pk = int(found[1]), int(found[2])
    return (key, pk) if key < 2**63 and pk < 2**63 else None


def page(rows: QuerySet, *, sort: str, cursor: str | None, size: int, seed: int = 1) -> Page:
    """One page in the sort's order, after the cursor (`key.id`, or an id for the newest)."""
    if sort not in SORTS or sort == "newest":
        before = _cursor(f"0.{cursor}") if cursor else None
        if before is not None:
            rows = rows.filter(pk__lt=before[1])
        items = list(rows.order_by("-pk")[: size + 1])
        more = str(items[size - 1].pk) if len(items) > size else None
        return Page(items[:size], more)
    if sort == "random":
        return _random_page(rows, cursor=cursor, size=size, seed=seed)
    rows = rows.annotate(sort_key=_key(sort))
    position = _cursor(cursor)
    if position is not None:
        key, pk = position
        # `sort_key <= key` adds nothing to the condition but gives PostgreSQL the index
        # range to start from, so a later page does not read every row before it.
        rows = rows.filter(Q(sort_key__lt=key) | Q(sort_key=key, pk__lt=pk), sort_key__lte=key)
    items = list(rows.order_by("-sort_key", "-pk")[: size + 1])
    more = None
    if len(items) > size:
        last = items[size - 1]
        more = f"{last.sort_key}.{last.pk}"
    return Page(items[:size], more)


def _random_page(rows: QuerySet, *, cursor: str | None, size: int, seed: int) -> Page:
    """The visitor's random order: key = (id × 48271 + seed) mod 2³¹−1, descending, which is
    the fixed shuffle (id × 48271 mod 2³¹−1, indexed) rotated by the seed. Descending keys
    are the shuffle values below 2³¹−1−seed, descending, then those at or above it,
    descending: two range scans of the index, always both (the second may find nothing), so
    a page costs the same two queries whatever the number of proposals. Keys are unique (the
    multiplier is invertible modulo the prime), so the cursor's key alone places the next
    page."""
    split = _PRIME - seed
    rows = rows.annotate(shuffle=SHUFFLE)
    position = _cursor(cursor)
    if position is None:
        ranges = [(0, split), (split, _PRIME)]
    elif position[0] >= seed:  # still among the higher keys, then all of the lower ones
        ranges = [(0, position[0] - seed), (split, _PRIME)]
    else:  # among the lower keys: what is left of them (the second range is empty)
        ranges = [(split, position[0] + split), (split, split)]
    items = []
    for low, high in ranges:
        found = rows.filter(shuffle__gte=low, shuffle__lt=high).order_by("-shuffle")
        items += list(found[: size + 1])
    items = items[: size + 1]
    for item in items:
        item.sort_key = (int(item.shuffle) + seed) % _PRIME
    more = None
    if len(items) > size:
        last = items[size - 1]
        more = f"{last.sort_key}.{last.pk}"
    return Page(items[:size], more)


def similar(process, title: str, *, limit: int = 5) -> list[Proposal]:
    """Proposals of the process whose titles share a word of four letters or more with this
    title: what the propose form shows before publishing."""
    words = sorted(set(re.findall(r"\w{4,}", title.casefold())))[:8]
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(title__icontains=word)
    rows = Proposal.objects.filter(
        match, process=process, moderation_state=ModerationState.VISIBLE
    ).exclude(state__in=[ProposalState.WITHDRAWN, ProposalState.MERGED])
    return list(rows.order_by("-support_count", "-pk")[:limit])


def answer_figures(*, office=None, now) -> dict[str, int]:
    """For the accountability page: the proposals whose support threshold started the answer
    clock (in published processes, of the office or of all offices, visible), counted by how
    their answer stands, in one aggregate query on the partial index of clocked proposals."""
    rows = Proposal.objects.filter(
        threshold_reached_at__isnull=False,
        moderation_state=ModerationState.VISIBLE,
        process__is_published=True,
    )
    if office is not None:
        rows = rows.filter(process__office=office)
    awaiting = Q(state=ProposalState.AWAITING_ANSWER)
    return rows.aggregate(
        on_time=Count("pk", filter=Q(answered_at__lte=F("answer_due_at"))),
        late=Count("pk", filter=Q(answered_at__gt=F("answer_due_at"))),
        overdue=Count("pk", filter=awaiting & Q(answer_due_at__lt=now)),
        awaiting=Count("pk", filter=awaiting & Q(answer_due_at__gte=now)),
    )


def alignment_counts(thread) -> list[tuple[str, str, int]]:
    """How many of the comments shown (moderation leaves them visible) are in favour, against
    or neutral, counted from the thread already read: no query of its own."""
    counts = dict.fromkeys(Alignment.values, 0)
    nodes = list(thread)
    while nodes:
        node = nodes.pop()
        nodes += node.replies
        comment = node.comment
        if comment.alignment in counts and comment.moderation_state == ModerationState.VISIBLE:
            counts[comment.alignment] += 1
    return [(value, label, counts[value]) for value, label in Alignment.choices]
