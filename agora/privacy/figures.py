"""The transparency report's figures by month (`MonthlyCount`), kept in the transaction of
each data request from an authority, each export and each account deletion, so the public
page and `agora transparency report` read a few rows a month and never count the records.

| figure | category | counts |
|---|---|---|
| `request` | the kind of requester | requests from authorities received |
| `outcome` | the outcome | those requests, by what was done |
| `accounts` | the kind of requester | accounts those requests concerned |
| `gagged` | | requests under an order not to tell the people concerned |
| `export` | | downloads of their data people asked for |
| `deletion` | | accounts their owners deleted |
"""

from collections import defaultdict
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

FIGURES = ("request", "outcome", "accounts", "gagged", "export", "deletion")


def month_of(moment: datetime | date) -> date:
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date()
    return moment.replace(day=1)


def add(figure: str, category: str = "", *, on: datetime | date | None = None, count=1) -> None:
    """Raise one month's count, creating its row the first time (two transactions creating it
    at once: the second finds it)."""
    from agora.privacy.models import MonthlyCount

    month = month_of(on or timezone.now())
    rows = MonthlyCount.objects.filter(month=month, figure=figure, category=category)
    if rows.update(count=F("count") + count):
        return
    try:
        with transaction.atomic():
            MonthlyCount.objects.create(month=month, figure=figure, category=category, count=count)
    except IntegrityError:
        rows.update(count=F("count") + count)


def half_of(month: date) -> str:
    return f"{month.year}-H{1 if month.month <= 6 else 2}"


def by_half_year() -> list[tuple[str, dict]]:
    """Every half-year with figures, newest first: {figure: {category: count}}. One query."""
    from agora.privacy.models import MonthlyCount

    halves: dict[str, dict] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for month, figure, category, count in MonthlyCount.objects.values_list(
        "month", "figure", "category", "count"
    ):
        halves[half_of(month)][figure][category] += count
    return sorted(halves.items(), reverse=True)
