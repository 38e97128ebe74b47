"""The moderation figures by month (`MonthlyCount`): kept by the services in the transaction
of each report, decision and appeal, so the public log and `agora moderation report` read
them rather than count rows: the same few rows a month whatever the month held.

Each row is a month (its first day, in the site's time zone), a figure and a category:

| figure | category | counts |
|---|---|---|
| `report` | the reason | reports received |
| `report_kind` | the kind of item | reports received |
| `action` | the action | decisions taken |
| `automated` | the action | decisions taken by automated means |
| `on_appeal` | | decisions that answer an appeal |
| `decided_after` | minutes | items' first decisions by a moderator, by time since 1st report |
| `appeal` | | appeals received |
| `appeal_answer` | `upheld` or `reversed` | appeals answered |
| `appeal_after` | minutes | appeals answered, by the time since the appeal |

Times are kept in steps (`step_minutes`): to the minute within an hour, to six minutes (a
tenth of an hour) within a day, to the hour within a week, to six hours within 90 days, to
the day beyond; so a month has a bounded number of rows, and a median read from them is
exact to the tenth of an hour the log shows within a day.

`tally(start, end)` counts the same figures from the rows themselves: the data migration and
`recount()` rebuild the table with it, and the report command uses it for the days of a period
that are not whole months."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

#: Key of a count: (month, figure, category).
Key = tuple[date, str, str]

STEPS = ((60, 1), (24 * 60, 6), (7 * 24 * 60, 60), (90 * 24 * 60, 360))


def step_minutes(waited: timedelta) -> int:
    minutes = max(0, round(waited.total_seconds() / 60))
    for below, step in STEPS:
        if minutes < below:
            return round(minutes / step) * step
    return round(minutes / 1440) * 1440


def month_of(moment: datetime) -> date:
    return timezone.localtime(moment).date().replace(day=1)


def _add(model, key: Key, count: int = 1) -> None:
    """Raise one count by `count`, creating its row the first time (two transactions creating
    it at once: the second finds it)."""
    month, figure, category = key
    rows = model.objects.filter(month=month, figure=figure, category=category)
    if rows.update(count=F("count") + count):
        return
    try:
        with transaction.atomic():
            model.objects.create(month=month, figure=figure, category=category, count=count)
    except IntegrityError:
        rows.update(count=F("count") + count)


def _model():
    from agora.moderation.models import MonthlyCount

    return MonthlyCount


def count_report(report) -> None:
    month = month_of(report.created_at)
    _add(_model(), (month, "report", report.reason))
    _add(_model(), (month, "report_kind", report.item.kind))


def count_decision(decision, *, first_report_at=None) -> None:
    """A decision; `first_report_at` when it is the item's first decision by a moderator (the
    time to decision counts from it)."""
    month = month_of(decision.created_at)
    _add(_model(), (month, "action", decision.action))
    if decision.automated:
        _add(_model(), (month, "automated", decision.action))
    if decision.reviews_id is not None:
        _add(_model(), (month, "on_appeal", ""))
    if first_report_at is not None:
        waited = step_minutes(decision.created_at - first_report_at)
        _add(_model(), (month, "decided_after", str(waited)))


def count_appeal(appeal) -> None:
    _add(_model(), (month_of(appeal.created_at), "appeal", ""))


def count_answer(appeal, answer) -> None:
    from agora.moderation.models import Action

    month = month_of(answer.created_at)
    outcome = "upheld" if answer.action == Action.UPHOLD else "reversed"
    _add(_model(), (month, "appeal_answer", outcome))
    waited = step_minutes(answer.created_at - appeal.created_at)
    _add(_model(), (month, "appeal_after", str(waited)))


def is_first_by_a_moderator(decision) -> bool:
    """Whether the decision is its item's first by a moderator (not automated, not an appeal's
    answer). One query."""
    if decision.automated or decision.reviews_id is not None:
        return False
    return (
        not type(decision)
        .objects.filter(
            item_id=decision.item_id,
            automated=False,
            reviews__isnull=True,
            created_at__lte=decision.created_at,
        )
        .exclude(pk=decision.pk)
        .exists()
    )


def counted(decision) -> None:
    """Count a decision just made (the services call it in the same transaction)."""
    first = decision.item.first_reported_at if is_first_by_a_moderator(decision) else None
    count_decision(decision, first_report_at=first)


def tally(start: datetime, end: datetime, *, models=None) -> Counter:
    """The figures counted from the rows between `start` and `end`, by month. `models` are
    (Report, Decision, Appeal) (the migration passes its historical models)."""
    if models is None:
        from agora.moderation.models import Appeal, Decision, Report

        models = (Report, Decision, Appeal)
    report_model, decision_model, appeal_model = models
    counts: Counter = Counter()
    window = {"created_at__gte": start, "created_at__lt": end}
    for created_at, reason, kind in report_model.objects.filter(**window).values_list(
        "created_at", "reason", "item__kind"
    ):
        month = month_of(created_at)
        counts[(month, "report", reason)] += 1
        counts[(month, "report_kind", kind)] += 1
    earlier = decision_model.objects.filter(
        item=OuterRef("item"),
        automated=False,
        reviews__isnull=True,
        created_at__lt=OuterRef("created_at"),
    )
    decisions = (
        decision_model.objects.filter(**window)
        .annotate(has_earlier=Exists(earlier))
        .values_list(
            "created_at",
            "action",
            "automated",
            "reviews_id",
            "has_earlier",
            "item__first_reported_at",
        )
    )
    for created_at, action, automated, reviews_id, has_earlier, first_report_at in decisions:
        month = month_of(created_at)
        counts[(month, "action", action)] += 1
        if automated:
            counts[(month, "automated", action)] += 1
        if reviews_id is not None:
            counts[(month, "on_appeal", "")] += 1
        elif not automated and not has_earlier:
            waited = step_minutes(created_at - first_report_at)
            counts[(month, "decided_after", str(waited))] += 1
    for (created_at,) in appeal_model.objects.filter(**window).values_list("created_at"):
        counts[(month_of(created_at), "appeal", "")] += 1
    answered = appeal_model.objects.filter(
        answer__created_at__gte=start, answer__created_at__lt=end
    ).values_list("created_at", "answer__created_at", "answer__action")
    for appealed_at, answered_at, action in answered:
        month = month_of(answered_at)
        counts[(month, "appeal_answer", "upheld" if action == "uphold" else "reversed")] += 1
        counts[(month, "appeal_after", str(step_minutes(answered_at - appealed_at)))] += 1
    return counts


EVER = (datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC))


def recount(*, models=None, count_model=None) -> None:
    """Rebuild the whole table from the rows (the data migration; after rows were changed by
    hand)."""
    count_model = count_model or _model()
    counts = tally(*EVER, models=models)
    count_model.objects.all().delete()
    count_model.objects.bulk_create(
        count_model(month=month, figure=figure, category=category, count=count)
        for (month, figure, category), count in counts.items()
    )


def stored(first_month: date, last_month: date) -> Counter:
    """The kept counts of the months from `first_month` to `last_month` (first days), by
    month. One query."""
    rows = _model().objects.filter(month__gte=first_month, month__lte=last_month)
    return Counter(
        {
            (month, figure, category): count
            for month, figure, category, count in rows.values_list(
                "month", "figure", "category", "count"
            )
        }
    )


def median_hours(histogram: dict[str, int]) -> float | None:
    """The median of times kept as minutes (category) and how many (count), in hours."""
    values = sorted((int(minutes), count) for minutes, count in histogram.items() if count)
    total = sum(count for _minutes, count in values)
    if not total:
        return None

    def at(position: int) -> int:
        seen = 0
        for minutes, count in values:
            seen += count
            if position < seen:
                return minutes
        return values[-1][0]

    middle = (at((total - 1) // 2) + at(total // 2)) / 2
    return middle / 60
