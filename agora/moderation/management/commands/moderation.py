"""`agora moderation report --from YYYY-MM-DD --to YYYY-MM-DD [--format csv|json] [--output DIR]`:
the figures an authority's transparency report needs for a period (Digital Services Act,
Articles 15 and 24), as CSV or JSON. Counts and medians only: nothing names a person."""

import csv
import io
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from statistics import median

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from agora.moderation import registry
from agora.moderation.models import Action, Appeal, Decision, Reason, Report

#: The CSV's columns: one figure per row, so that a new breakdown adds rows, never columns.
CSV_COLUMNS = ("figure", "category", "value")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date: write it as YYYY-MM-DD.") from None


def _hours(durations: list[timedelta]) -> float | None:
    if not durations:
        return None
    return round(median(duration.total_seconds() for duration in durations) / 3600, 2)


def first_decisions(start: datetime, end: datetime):
    """Each item's first decision by a moderator (not an automated hiding, not an appeal's
    answer), when it was taken between `start` and `end`."""
    earlier = Decision.objects.filter(
        item=OuterRef("item"),
        automated=False,
        reviews__isnull=True,
        created_at__lt=OuterRef("created_at"),
    )
    return Decision.objects.filter(
        created_at__gte=start, created_at__lt=end, automated=False, reviews__isnull=True
    ).exclude(Exists(earlier))


def transparency_figures(first: date, last: date) -> dict:
    """The period's figures, from the first day to the last, both whole, in the site's time
    zone. Keys are documented in docs/moderation.md."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(first, time.min), zone)
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), zone)

    reports = Report.objects.filter(created_at__gte=start, created_at__lt=end)
    by_reason = dict.fromkeys(Reason.values, 0)
    by_reason.update(reports.values_list("reason").annotate(count=Count("pk")).order_by())
    by_kind = dict.fromkeys(sorted(kind.name for kind in registry.kinds()), 0)
    by_kind.update(reports.values_list("item__kind").annotate(count=Count("pk")).order_by())

    decisions = Decision.objects.filter(created_at__gte=start, created_at__lt=end)
    by_action = dict.fromkeys(Action.values, 0)
    by_action.update(decisions.values_list("action").annotate(count=Count("pk")).order_by())
    automated = dict.fromkeys(Action.values, 0)
    automated.update(
        decisions.filter(automated=True)
        .values_list("action")
        .annotate(count=Count("pk"))
        .order_by()
    )

    waited = [
        decided - reported
        for decided, reported in first_decisions(start, end)
        .values_list("created_at", "item__first_reported_at")
        .iterator()
    ]

    received = Appeal.objects.filter(created_at__gte=start, created_at__lt=end).count()
    answered = Appeal.objects.filter(
        answer__created_at__gte=start, answer__created_at__lt=end
    ).values_list("created_at", "answer__created_at", "answer__action")
    appeal_waits, reversed_count = [], 0
    for appealed_at, answered_at, action in answered.iterator():
        appeal_waits.append(answered_at - appealed_at)
        reversed_count += action != Action.UPHOLD

    return {
        "period": {"from": first.isoformat(), "to": last.isoformat(), "time_zone": str(zone)},
        "reports": {
            "received": sum(by_reason.values()),
            "by_reason": by_reason,
            "by_kind": by_kind,
        },
        "actions": {
            "total": sum(by_action.values()),
            "by_type": by_action,
            "automated": sum(automated.values()),
            "automated_by_type": automated,
            "on_appeal": decisions.filter(reviews__isnull=False).count(),
        },
        "decisions": {
            "items_decided": len(waited),
            "median_hours_from_report_to_decision": _hours(waited),
        },
        "appeals": {
            "received": received,
            "decided": len(appeal_waits),
            "upheld": len(appeal_waits) - reversed_count,
            "reversed": reversed_count,
            "median_hours_to_decide": _hours(appeal_waits),
        },
    }


def as_rows(figures: dict, name: str = "") -> list[tuple[str, str, object]]:
    """The figures as (figure, category, value) rows: the figure is the path of keys to a
    group ("reports.by_reason"), the category the key in it ("spam")."""
    rows = []
    for key, value in figures.items():
        if isinstance(value, dict):
            rows.extend(as_rows(value, f"{name}.{key}" if name else key))
        else:
            rows.append((name, key, value))
    return rows


def as_csv(figures: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for figure, category, value in as_rows(figures):
        writer.writerow((figure, category, "" if value is None else value))
    return out.getvalue()


def as_json(figures: dict) -> str:
    return json.dumps(figures, indent=2) + "\n"


class Command(BaseCommand):
    help = "Moderation figures for the authority's transparency report."
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        report = actions.add_parser(
            "report",
            help="Write the period's moderation figures (DSA Articles 15 and 24) as CSV or JSON.",
        )
        report.add_argument("--from", dest="first", required=True, help="first day, YYYY-MM-DD")
        report.add_argument("--to", dest="last", required=True, help="last day, YYYY-MM-DD")
        report.add_argument(
            "--format",
            choices=("csv", "json"),
            help="one format (default: JSON on standard output, both formats into --output)",
        )
        report.add_argument(
            "--output",
            help="a folder to write moderation-report-FROM-TO.csv and .json into "
            "(default: standard output)",
        )

    def handle(self, *args, action, **options):
        if action == "report":
            self.report(**options)

    def report(self, *, first, last, format=None, output=None, **_options):
        first_day, last_day = _day(first), _day(last)
        if last_day < first_day:
            raise CommandError(
                f"The period ends ({last_day}) before it begins ({first_day}): swap --from and "
                "--to."
            )
        figures = transparency_figures(first_day, last_day)
        writers = {"csv": as_csv, "json": as_json}
        if output is None:
            self.stdout.write(writers[format or "json"](figures), ending="")
            return
        folder = Path(output)
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name in [format] if format else ["csv", "json"]:
                path = folder / f"moderation-report-{first_day}-{last_day}.{name}"
                path.write_text(writers[name](figures), encoding="utf-8")
                self.stdout.write(f"Wrote {path}.")
        except OSError as error:
            raise CommandError(f"Cannot write into {folder}: {error.strerror}.") from None
