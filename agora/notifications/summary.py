"""The weekly summary email, for people who chose it instead of visiting the feed: once a week,
from `AGORA_SUMMARY_HOUR` on Monday in their own time zone (and not in their quiet hours nor
while they pause), how many new things came from what they follow and the newest few, with
links. No streaks, no "you missed", no counts of likes: what happened, then the end.

Notifications keeps no list of what goes in it: each app registers its sections
(`register_section`) when Django starts, as it registers its kinds of notification. A section
reads in a fixed number of bounded queries (a capped count and the newest `TOP`), so one
person's summary costs the same however large the tables grow. The sections built from the
person's own notifications (answers, updates) are `notified_section`'s."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet

from agora.notifications import calm

#: How many items each section lists, and above how many it says only "more than".
TOP = 5
CAP = 99
#: What a summary covers at most: the week before it.
WEEK = timedelta(days=7)

UNSUBSCRIBE_SALT = "agora.notifications.summary-stop"


@dataclass(frozen=True)
class SummaryItem:
    title: str
    #: The item's path on the site (the email adds the site's address).
    path: str


@dataclass(frozen=True)
class SummarySection:
    heading: str
    #: How many new things there were, counted up to `CAP + 1` (shown as "more than CAP").
    count: int
    items: list[SummaryItem] = field(default_factory=list)

    @property
    def more_than_cap(self) -> bool:
        return self.count > CAP

    @property
    def shown_count(self) -> int:
        return min(self.count, CAP)


#: A section: (person, since) -> what happened since then, or None when nothing did.
Section = Callable[[object, datetime], SummarySection | None]

_sections: list[tuple[int, Section]] = []


def register_section(section: Section, *, order: int = 50) -> None:
    """Add a section to every summary; lower `order` comes first."""
    if all(known is not section for _order, known in _sections):
        _sections.append((order, section))
        _sections.sort(key=lambda pair: pair[0])


def sections_for(person, since: datetime) -> list[SummarySection]:
    """The person's summary since `since`: each registered section that has something."""
    found = (section(person, since) for _order, section in _sections)
    return [section for section in found if section is not None and section.count]


def capped_count(queryset: QuerySet) -> int:
    """How many rows, counted up to `CAP + 1` (one bounded query)."""
    return queryset.order_by()[: CAP + 1].count()


def notified_section(heading, kinds: Iterable[str]) -> Section:
    """A section of the notifications of these kinds the person was sent since then (their
    index by recipient and time keeps it bounded): answers to what they asked, updates of
    what they follow."""
    kinds = tuple(kinds)

    def section(person, since: datetime) -> SummarySection | None:
        from agora.notifications.models import Notification

        told = Notification.objects.filter(
            recipient=person, kind__in=kinds, created_at__gte=since
        ).order_by("-created_at", "-id")
        count = capped_count(told)
        if not count:
            return None
        newest = told.only("subject", "excerpt", "url", "kind")[:TOP]
        items = [
            SummaryItem(title=one.subject or one.excerpt or str(one.kind_label), path=one.url)
            for one in newest
        ]
        return SummarySection(heading=str(heading), count=count, items=items)

    return section


def due_from(now: datetime, zone_name: str) -> datetime:
    """When this week's summary falls due for someone in this time zone: Monday at
    `AGORA_SUMMARY_HOUR`, their time."""
    local = now.astimezone(calm.zone_of(zone_name))
    monday = (local - timedelta(days=local.weekday())).date()
    return datetime(
        monday.year, monday.month, monday.day, settings.AGORA_SUMMARY_HOUR, tzinfo=local.tzinfo
    )


def is_due(row, now: datetime) -> bool:
    """Whether a person's summary (their `models.Calm` row) should go now: chosen, this
    week's moment reached in their time zone, not sent since, not paused, not in their quiet
    hours (it goes at the first run after they end)."""
    if not row.weekly_summary or settings.AGORA_SUMMARY_HOUR < 0:
        return False
    if row.paused_until is not None and row.paused_until > now:
        return False
    due = due_from(now, row.time_zone)
    if now < due or (row.summary_sent_at is not None and row.summary_sent_at >= due):
        return False
    return calm.quiet_end(now, row.quiet_from, row.quiet_until, row.time_zone) is None


def unsubscribe_token(person) -> str:
    """A signed token that stops this person's weekly summary without signing in."""
    return signing.dumps(person.pk, salt=UNSUBSCRIBE_SALT)


def person_of_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
