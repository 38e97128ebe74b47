"""Working days skip weekends and the public holidays of the office's authority: in due dates,
and so in the overdue flag. Holidays come from the admin or `agora load_holidays`."""

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from agora.cases import services
from agora.cases.models import PublicHoliday, ServiceLevel
from agora.cases.models.service_level import add_working_days
from agora.directory.models import Authority
from tests.directory.factories import AuthorityFactory

pytestmark = pytest.mark.django_db

THURSDAY = datetime(2026, 12, 3, 10, tzinfo=UTC)  # Monday 7 and Tuesday 8 are holidays


def test_working_days_skip_holidays_as_well_as_weekends():
    holidays = {date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 25)}
    assert add_working_days(THURSDAY, 1, holidays) == THURSDAY + timedelta(days=1)  # Friday
    assert add_working_days(THURSDAY, 2, holidays) == THURSDAY + timedelta(days=6)  # Wednesday
    assert add_working_days(THURSDAY, 2) == THURSDAY + timedelta(days=4)  # Monday, no holidays
    friday_before_christmas = datetime(2026, 12, 24, 9, tzinfo=UTC)  # a Thursday, in fact
    assert add_working_days(friday_before_christmas, 1, holidays) == datetime(
        2026, 12, 28, 9, tzinfo=UTC
    )
    # A holiday on a Saturday takes nothing more away.
    assert add_working_days(datetime(2026, 8, 14, 9, tzinfo=UTC), 1, {date(2026, 8, 15)}) == (
        datetime(2026, 8, 17, 9, tzinfo=UTC)
    )


def test_due_dates_and_the_overdue_flag_skip_the_authoritys_holidays(town):
    authority = town.lighting_office.authority
    ServiceLevel.objects.create(office=town.lighting_office, acknowledge_days=1, answer_days=2)
    services.add_public_holiday(authority, day=date(2026, 12, 7), name_en="Constitution Day")
    services.add_public_holiday(authority, day=date(2026, 12, 8), name_en="Immaculate Conception")
    services.add_public_holiday(AuthorityFactory(), day=date(2026, 12, 4), name_en="Elsewhere")

    with mock.patch("django.utils.timezone.now", return_value=THURSDAY):
        case = town.submit()
    assert case.acknowledge_due_at == datetime(2026, 12, 4, 10, tzinfo=UTC)  # Friday
    assert case.answer_due_at == datetime(2026, 12, 9, 10, tzinfo=UTC)  # Wednesday

    def overdue_at(moment):
        with mock.patch("django.utils.timezone.now", return_value=moment):
            return case.is_overdue

    services.acknowledge_case(case, by=town.lighting_official)
    case.refresh_from_db()
    assert not overdue_at(datetime(2026, 12, 8, 12, tzinfo=UTC))  # a holiday: not yet late
    assert not overdue_at(datetime(2026, 12, 9, 9, tzinfo=UTC))
    assert overdue_at(datetime(2026, 12, 9, 11, tzinfo=UTC))


def test_a_transfer_starts_the_clock_again_with_the_receiving_authoritys_holidays(town):
    region = AuthorityFactory(name_en="Region")
    town.roads_office.authority = region
    town.roads_office.save()
    services.add_public_holiday(region, day=date(2026, 12, 4), name_en="Regional Day")
    case = town.submit()
    with mock.patch("django.utils.timezone.now", return_value=THURSDAY):
        services.transfer_case(
            case, to_office=town.roads_office, by=town.lighting_official, reason="Roads."
        )
    case.refresh_from_db()
    assert case.acknowledge_due_at == datetime(2026, 12, 8, 10, tzinfo=UTC)  # Fri off, Mon 1, Tue 2


def test_the_command_loads_holidays_all_or_nothing_with_line_numbers(tmp_path):
    city = AuthorityFactory(slug="villaverde")
    good = tmp_path / "good.csv"
    good.write_text(
        "date,name_en,name_es\n2026-12-08,Immaculate Conception,Inmaculada Concepción\n"
        "2026-12-25,Christmas Day,\n",
        encoding="utf-8",
    )
    call_command("load_holidays", "villaverde", str(good), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(PublicHoliday.objects.values_list("date", "name_es")) == [
        (date(2026, 12, 8), "Inmaculada Concepción"),
        (date(2026, 12, 25), ""),
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,name_en,name_es\n2027-01-01,New Year,\n2027-13-01,Nonsense,\n"
        "2027-01-06,,\n2027-01-01,Again,\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as raised:
        call_command("load_holidays", "villaverde", str(bad))
    message = str(raised.value)
    assert "Line 3: the date must be written YYYY-MM-DD." in message
    assert "Line 4: name_en is required." in message
    assert "Line 5: 2027-01-01 is already on line 2." in message
    assert PublicHoliday.objects.filter(authority=city).count() == 2  # nothing more saved
    with pytest.raises(CommandError, match="no authority"):
        call_command("load_holidays", "atlantis", str(good))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_holidays", "villaverde", str(tmp_path / "missing.csv"))
    headless = tmp_path / "headless.csv"
    headless.write_text("2026-12-08,Immaculate Conception\n", encoding="utf-8")
    with pytest.raises(CommandError, match="must name the columns"):
        call_command("load_holidays", "villaverde", str(headless))


@pytest.mark.slow
def test_the_demo_city_has_its_holidays_and_they_shape_demo_due_dates():
    call_command("seed", verbosity=0)
    city = Authority.objects.get(slug="villaverde")
    assert PublicHoliday.objects.filter(authority=city, date=date(2026, 12, 25)).exists()
    assert PublicHoliday.objects.filter(authority=city).count() >= 20
