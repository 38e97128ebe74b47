"""Public holidays: the days an authority's offices do not count as working days, one by one
or from a CSV file."""

import csv
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from agora.cases.models import PublicHoliday
from agora.cases.services.errors import CaseError
from agora.core import audit
from agora.directory.models import Authority


@transaction.atomic
def add_public_holiday(
    authority: Authority, *, day, name_en: str, name_es: str = "", by=None
) -> PublicHoliday:
    """A day the authority's offices do not count as a working day, from the next clock that
    starts: due dates already set stay as they were promised."""
    holiday, _created = PublicHoliday.objects.update_or_create(
        authority=authority,
        date=day,
        defaults={"name_en": name_en.strip(), "name_es": name_es.strip()},
    )
    audit.record(
        "cases.holiday_added", holiday, actor=by, authority=authority.slug, date=day.isoformat()
    )
    return holiday


class HolidayFileError(CaseError):
    """What is wrong with a holidays file, line by line; nothing was saved."""

    code = "invalid_holidays"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@transaction.atomic
def import_holidays(authority: Authority, lines, *, by=None) -> int:
    """Add or update the authority's holidays from CSV lines with the columns `date`
    (YYYY-MM-DD), `name_en` and `name_es` (optional). Every line is checked first; one bad
    line saves nothing. Returns how many holidays were read."""
    reader = csv.DictReader(lines)
    if reader.fieldnames is None or not {"date", "name_en"} <= set(reader.fieldnames):
        raise HolidayFileError([_("The first line must name the columns: date, name_en, name_es.")])
    problems, rows, seen = [], [], {}
    for row in reader:
        line = reader.line_num
        try:
            day = date.fromisoformat((row.get("date") or "").strip())
        except ValueError:
            problems.append(
                _("Line %(line)d: the date must be written YYYY-MM-DD.") % {"line": line}
            )
            continue
        name_en, name_es = (row.get("name_en") or "").strip(), (row.get("name_es") or "").strip()
        if not name_en:
            problems.append(_("Line %(line)d: name_en is required.") % {"line": line})
        elif len(name_en) > 120 or len(name_es) > 120:
            problems.append(
                _("Line %(line)d: a name is limited to 120 characters.") % {"line": line}
            )
        elif day in seen:
            problems.append(
                _("Line %(line)d: %(date)s is already on line %(first)d.")
                % {"line": line, "date": day.isoformat(), "first": seen[day]}
            )
        else:
            seen[day] = line
            rows.append((day, name_en, name_es))
    if problems:
        raise HolidayFileError(problems)
    for day, name_en, name_es in rows:
        add_public_holiday(authority, day=day, name_en=name_en, name_es=name_es, by=by)
    return len(rows)
