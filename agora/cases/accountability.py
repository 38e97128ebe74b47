"""Public accountability figures: how many cases an office (or the whole authority) received
and how fast it answered, over the last 30, 90 and 365 days. Everything is computed by
aggregate queries in the database, a fixed number per page, never by loading cases."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.cases.models import Case
from agora.core.durations import duration_text

PERIODS = (30, 90, 365)


@dataclass(frozen=True)
class Figures:
    days: int
    received: int
    median_to_acknowledge: timedelta | None
    median_to_answer: timedelta | None
    acknowledged: int
    answered: int
    answered_in_time: int
    due: int  # answered, or past their answer date: the cases the service level can be judged on
    transfers_per_case: float | None

    @property
    def share_in_time(self) -> float | None:
        return self.answered_in_time / self.due if self.due else None

    @property
    def acknowledge_text(self) -> str:
        return median_text(self.median_to_acknowledge, self.acknowledged)

    @property
    def answer_text(self) -> str:
        return median_text(self.median_to_answer, self.answered)

    @property
    def too_few_due(self) -> bool:
        """Cases are due, but too few to give a share of."""
        return bool(self.due) and too_few(self.due)

    @property
    def percent_in_time(self) -> int | None:
        share = self.share_in_time
        return None if share is None else round(share * 100)


def too_few(count: int) -> bool:
    """Whether a figure stands on too few cases to say anything (one case answered in time is
    not "100%"): fewer than AGORA_ACCOUNTABILITY_MIN_CASES."""
    return count < settings.AGORA_ACCOUNTABILITY_MIN_CASES


def median_text(value: timedelta | None, count: int) -> str:
    """A median time over `count` cases as the pages show it."""
    if value is None:
        return "—"
    if too_few(count):
        return _("Too few cases to say")
    return duration_text(value)


def _median(cases, start_field: str, end_field: str, count: int) -> timedelta | None:
    """The median of end - start over the cases where end is set, in one query: the database
    sorts the durations and returns the middle one (or two)."""
    if count == 0:
        return None
    duration = ExpressionWrapper(F(end_field) - F(start_field), output_field=DurationField())
    middle = list(
        cases.filter(**{f"{end_field}__isnull": False})
        .annotate(duration=duration)
        .order_by("duration")
        .values_list("duration", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    return sum(middle, timedelta()) / len(middle)


def figures(days: int, *, office=None, now=None) -> Figures:
    now = now or timezone.now()
    cases = Case.objects.filter(created_at__gte=now - timedelta(days=days))
    if office is not None:
        cases = cases.filter(office=office)
    totals = cases.aggregate(
        received=Count("pk"),
        acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        answered_in_time=Count("pk", filter=Q(answered_at__lte=F("answer_due_at"))),
        due=Count("pk", filter=Q(answered_at__isnull=False) | Q(answer_due_at__lt=now)),
        transfers=Avg("transfer_count"),
    )
    return Figures(
        days=days,
        received=totals["received"],
        median_to_acknowledge=_median(
            cases, "created_at", "acknowledged_at", totals["acknowledged"]
        ),
        median_to_answer=_median(cases, "created_at", "answered_at", totals["answered"]),
        acknowledged=totals["acknowledged"],
        answered=totals["answered"],
        answered_in_time=totals["answered_in_time"],
        due=totals["due"],
        transfers_per_case=totals["transfers"],
    )


def all_periods(*, office=None) -> list[Figures]:
    now = timezone.now()
    return [figures(days, office=office, now=now) for days in PERIODS]


def offices_by_cases(days: int = 365):
    """Offices with cases in the period and how many, in one grouped query."""
    since = timezone.now() - timedelta(days=days)
    return (
        Case.objects.filter(created_at__gte=since)
        .values("office__slug", "office__name_en", "office__name_es")
        .annotate(received=Count("pk"))
        .order_by("-received", "office__name_en")
    )


BAR_LENGTH = 240  # the chart's width for 100%, in SVG units; see accountability.html
BAR_SPACING = 60  # a label's line, the bar below it and a gap


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # percent; None when no case is due
    too_few: bool  # cases are due, but too few to say
    y: int  # the top of the label's line; the bar is 24 units below
    width: int


def chart_bars(periods: list[Figures], labels: dict[int, str]) -> list[Bar]:
    """Horizontal bars for the share answered within the service level, for an SVG drawn
    by the template (no script: readable anywhere). Each label stands on its own line above
    its bar, so the chart stays narrow enough for a phone without shrinking its text."""
    bars = []
    for position, period in enumerate(periods):
        too_few_due = period.too_few_due
        percent = None if too_few_due else period.percent_in_time
        bars.append(
            Bar(
                label=labels[period.days],
                value=percent,
                too_few=too_few_due,
                y=position * BAR_SPACING,
                width=round(BAR_LENGTH * (percent or 0) / 100),
            )
        )
    return bars


def chart_height(bars: list[Bar]) -> int:
    return len(bars) * BAR_SPACING
