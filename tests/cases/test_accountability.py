"""The public accountability figures: computed by aggregate queries over the cases of an
office or of all offices, shown as an SVG chart and a table, in a constant number of queries."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from agora.cases import services
from agora.cases.accountability import figures
from agora.cases.models import Case
from agora.core.durations import duration_text
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db


def age(case, *, days_ago: int, acknowledged_after=None, answered_after=None):
    """Move a case back in time, with its acknowledgement and answer after the given delays."""
    created = timezone.now() - timedelta(days=days_ago)
    Case.objects.filter(pk=case.pk).update(
        created_at=created,
        acknowledge_due_at=created + timedelta(days=2),
        answer_due_at=created + timedelta(days=10),
        acknowledged_at=created + acknowledged_after if acknowledged_after else None,
        answered_at=created + answered_after if answered_after else None,
    )


def test_figures_count_medians_shares_and_transfers_per_period(town):
    fast, slow, late, open_case, old = (town.submit() for _ in range(5))
    age(fast, days_ago=20, acknowledged_after=timedelta(hours=2), answered_after=timedelta(days=1))
    age(slow, days_ago=20, acknowledged_after=timedelta(hours=6), answered_after=timedelta(days=3))
    age(late, days_ago=40, acknowledged_after=timedelta(hours=4), answered_after=timedelta(days=12))
    age(open_case, days_ago=1)
    age(old, days_ago=200, answered_after=timedelta(days=5))
    services.transfer_case(
        Case.objects.get(pk=open_case.pk),
        to_office=town.roads_office,
        by=town.lighting_official,
        reason="Roads",
    )

    last_30 = figures(30)
    assert last_30.received == 3
    assert last_30.median_to_acknowledge == timedelta(hours=4)  # of 2 h and 6 h
    assert last_30.median_to_answer == timedelta(days=2)
    assert (last_30.answered_in_time, last_30.due) == (2, 2)
    assert last_30.transfers_per_case == pytest.approx(1 / 3)

    last_90 = figures(90)
    assert last_90.received == 4
    assert last_90.median_to_acknowledge == timedelta(hours=4)
    assert last_90.median_to_answer == timedelta(days=3)
    assert (last_90.answered_in_time, last_90.due, last_90.percent_in_time) == (2, 3, 67)

    assert figures(365).received == 5
    assert figures(365, office=town.lighting_office).received == 4
    assert figures(365, office=town.roads_office).received == 1


def test_an_office_without_cases_has_no_medians_or_share(town):
    empty = figures(30, office=town.parks_office)
    assert empty.received == 0 and empty.median_to_answer is None
    assert empty.share_in_time is None and empty.transfers_per_case is None


def test_the_page_shows_a_chart_and_the_same_figures_as_a_table(client, town, settings):
    settings.AGORA_ACCOUNTABILITY_MIN_CASES = 1
    case = town.submit()
    age(case, days_ago=3, acknowledged_after=timedelta(hours=3), answered_after=timedelta(days=1))
    html = client.get("/cases/accountability/public-lighting/").content.decode()
    assert '<svg class="bar-chart" viewBox="0 0 320 180"' in html and 'role="img"' in html
    assert "Last 30 days: 100%." in html  # the chart's text alternative
    assert '<th scope="row">Last 30 days</th>' in html
    assert "3 hours" in html and "24 hours" in html
    # the table's scroll box is reachable by keyboard and named by the table's caption
    assert (
        '<div class="table-scroll" tabindex="0" role="region" aria-labelledby="figures-caption">'
        in html
    )
    assert '<caption id="figures-caption">Figures by period</caption>' in html
    overall = client.get("/cases/accountability/").content.decode()
    assert 'href="/cases/accountability/public-lighting/"' in overall
    assert client.get("/cases/accountability/no-such-office/").status_code == 404


@pytest.mark.slow
def test_accountability_pages_read_in_a_constant_number_of_queries(client, town):
    def add(count):
        for number in range(count):
            lamp = town.submit(title=f"Lamp {number}")
            services.acknowledge_case(lamp, by=town.lighting_official)
            hole = town.submit(title=f"Hole {number}", topic=town.potholes)
            services.answer_case(hole, by=town.roads_official, answer="Done")

    add(5)
    pages = assert_constant_queries(
        {
            "overall": lambda: client.get("/cases/accountability/"),
            "office": lambda: client.get("/cases/accountability/public-lighting/"),
        },
        lambda: add(45),
        expected={"overall": 11, "office": 8},  # with the proposals part (one query)
    )
    for overall, office, received in zip(pages["overall"], pages["office"], (5, 50), strict=True):
        assert f"Public Lighting Unit</a>: {received} cases" in overall.content.decode()
        assert re.search(rf"Last 30 days</th>\s*<td>{received}</td>", office.content.decode())


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (timedelta(seconds=5), "1 minute"),
        (timedelta(minutes=45), "45 minutes"),
        (timedelta(minutes=59, seconds=40), "1 hour"),
        (timedelta(minutes=90), "2 hours"),
        (timedelta(hours=3), "3 hours"),
        (timedelta(hours=47), "47 hours"),
        (timedelta(hours=48), "2 days"),
        (timedelta(days=12, hours=5), "12 days"),
    ],
)
def test_a_duration_reads_in_minutes_hours_or_days_as_it_falls(value, text):
    assert duration_text(value) == text


def test_a_duration_reads_in_spanish_with_its_plural():
    with translation.override("es"):
        assert duration_text(timedelta(minutes=1)) == "1 minuto"
        assert duration_text(timedelta(hours=3)) == "3 horas"
        assert duration_text(timedelta(days=2)) == "2 días"


def test_too_few_cases_give_no_share_or_median(client, town, settings):
    settings.AGORA_ACCOUNTABILITY_MIN_CASES = 3
    first, second = town.submit(), town.submit()
    for case in (first, second):
        age(
            case,
            days_ago=3,
            acknowledged_after=timedelta(hours=3),
            answered_after=timedelta(days=1),
        )

    two = figures(30, office=town.lighting_office)
    assert two.too_few_due and two.percent_in_time == 100
    assert two.answer_text == "Too few cases to say"
    assert two.acknowledge_text == "Too few cases to say"
    html = client.get("/cases/accountability/public-lighting/").content.decode()
    assert "Last 30 days: Too few cases to say." in html
    assert "100%" not in html and "24 hours" not in html and "3 hours" not in html
    directory = client.get(town.lighting_office.get_absolute_url()).content.decode()
    assert "Too few cases to say" in directory and "100% of 2" not in directory

    third = town.submit()
    age(third, days_ago=3, acknowledged_after=timedelta(hours=3), answered_after=timedelta(days=1))
    three = figures(30, office=town.lighting_office)
    assert not three.too_few_due
    assert (three.answer_text, three.acknowledge_text) == ("24 hours", "3 hours")
    html = client.get("/cases/accountability/public-lighting/").content.decode()
    assert "Last 30 days: 100%." in html and "Too few cases to say" not in html


def test_the_minimum_defaults_to_five_cases():
    from agora import settings as agora_settings

    assert agora_settings.AGORA_ACCOUNTABILITY_MIN_CASES == 5
