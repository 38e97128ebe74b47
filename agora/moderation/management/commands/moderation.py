"""`agora moderation report --from YYYY-MM-DD --to YYYY-MM-DD [--format csv|json] [--output DIR]`:
the figures an authority's transparency report needs for a period (Digital Services Act,
Articles 15 and 24), as CSV or JSON. Counts and medians only: nothing names a person."""

import csv
import io
import json
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agora.moderation import figures, registry
from agora.moderation.models import Action, Reason

#: The CSV's columns: one figure per row, so that a new breakdown adds rows, never columns.
CSV_COLUMNS = ("figure", "category", "value")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date: write it as YYYY-MM-DD.") from None


def _month_after(day: date) -> date:
    year, month = divmod(day.year * 12 + day.month, 12)
    return date(year, month + 1, 1)


def period_counts(first: date, last: date) -> Counter:
    """The period's counts by (figure, category): its whole months read from the kept monthly
    counts (`moderation.figures`), the days before and after them counted from the rows."""
    zone = timezone.get_current_timezone()

    def moment(day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time.min), zone)

    start, end = moment(first), moment(last + timedelta(days=1))
    whole_from = first if first.day == 1 else _month_after(first)
    whole_to = (last + timedelta(days=1)).replace(day=1)  # the first month not whole in it
    if whole_from < whole_to:
        last_whole = (whole_to - timedelta(days=1)).replace(day=1)
        counts = figures.stored(whole_from, last_whole)
        counts += figures.tally(start, moment(whole_from))
        counts += figures.tally(moment(whole_to), end)
    else:
        counts = figures.tally(start, end)
    period: Counter = Counter()
    for (_month, figure, category), count in counts.items():
        period[(figure, category)] += count
    return period


def _of(counts: Counter, figure: str) -> dict[str, int]:
    return {category: count for (name, category), count in counts.items() if name == figure}


def _hours(histogram: dict[str, int]) -> float | None:
    hours = figures.median_hours(histogram)
    return None if hours is None else round(hours, 2)


def transparency_figures(first: date, last: date) -> dict:
    """The period's figures, from the first day to the last, both whole, in the site's time
    zone. Keys are documented in docs/moderation.md."""
    zone = timezone.get_current_timezone()
    counts = period_counts(first, last)
    by_reason = dict.fromkeys(Reason.values, 0) | _of(counts, "report")
    by_kind = dict.fromkeys(sorted(kind.name for kind in registry.kinds()), 0)
    by_kind |= _of(counts, "report_kind")
    by_action = dict.fromkeys(Action.values, 0) | _of(counts, "action")
    automated = dict.fromkeys(Action.values, 0) | _of(counts, "automated")
    decided_after = _of(counts, "decided_after")
    answers = _of(counts, "appeal_answer")
    appeal_after = _of(counts, "appeal_after")
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
            "on_appeal": counts[("on_appeal", "")],
        },
        "decisions": {
            "items_decided": sum(decided_after.values()),
            "median_hours_from_report_to_decision": _hours(decided_after),
        },
        "appeals": {
            "received": counts[("appeal", "")],
            "decided": sum(answers.values()),
            "upheld": answers.get("upheld", 0),
            "reversed": answers.get("reversed", 0),
            "median_hours_to_decide": _hours(appeal_after),
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
