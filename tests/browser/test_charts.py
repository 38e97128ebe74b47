"""The site's two charts in a real browser, on a 320 px phone and a desktop, in English and
Spanish: the accountability chart (a share per period, or "too few cases to say") and the
opinion map (the reader's own place marked, the groups as cards). No label is cut off at the
SVG's edge, nothing is wider than the screen, axe finds nothing (the table's scroll box
included). Screenshots land in var/screenshots/ to look at."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from agora.cases.models import Case
from agora.conversations import maps
from agora.conversations import services as conversation_services
from tests.browser.conftest import browser, media_root, open_tab  # noqa: F401 - fixtures
from tests.cases.conftest import build_city
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
VIEWPORTS = {"phone": {"width": 320, "height": 640}, "desktop": {"width": 1280, "height": 900}}
LANGUAGES = ["en", "es"]

#: Each text of an SVG whose box reaches past the SVG's own box, with both boxes.
CLIPPED_LABELS = """(svg) => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll("text")].map((text) => {
    const own = text.getBoundingClientRect();
    return {text: text.textContent, left: own.left, right: own.right, top: own.top,
            bottom: own.bottom, svg: [box.left, box.right, box.top, box.bottom]};
  }).filter((label) => label.left < label.svg[0] - 0.5 || label.right > label.svg[1] + 0.5
                       || label.top < label.svg[2] - 0.5 || label.bottom > label.svg[3] + 0.5);
}"""

#: The font size of the chart's text as drawn, in CSS pixels (an SVG scaled to its box draws
#: its text at font-size times the scale), and the page's body text size.
DRAWN_SIZES = """(svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const size = parseFloat(getComputedStyle(svg.querySelector("text")).fontSize);
  return {drawn: size * scale, page: parseFloat(getComputedStyle(document.body).fontSize)};
}"""


def assert_no_label_is_clipped(tab, svg_selector: str) -> None:
    svg = tab.page.locator(svg_selector)
    assert svg.count() == 1
    clipped = svg.evaluate(CLIPPED_LABELS)
    assert not clipped, f"labels cut off at the chart's edge on {tab.page.url}: {clipped}"


def screenshot(tab, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def answered_case(town, *, office_topic, days_ago: int, in_time: bool = True) -> None:
    case = town.submit(topic=office_topic)
    created = timezone.now() - timedelta(days=days_ago)
    answered = created + timedelta(days=2 if in_time else 12)
    Case.objects.filter(pk=case.pk).update(
        created_at=created,
        acknowledge_due_at=created + timedelta(days=2),
        answer_due_at=created + timedelta(days=10),
        acknowledged_at=created + timedelta(minutes=45),
        answered_at=answered,
    )


@pytest.fixture
def answered_cases(transactional_db):
    """Six cases of street lighting, all answered in time (100%: the longest label), and two
    of potholes: too few to say anything about the roads office."""
    town = build_city()
    for days_ago in (3, 5, 8, 12, 20, 25):
        answered_case(town, office_topic=town.lighting, days_ago=days_ago)
    for days_ago in (4, 6):
        answered_case(town, office_topic=town.potholes, days_ago=days_ago)
    return town


def test_the_accountability_chart_reads_right_on_a_phone_and_a_desktop(
    open_tab,  # noqa: F811 - the fixture imported above
    answered_cases,
):
    for language in LANGUAGES:
        pages = {
            "accountability": ("/cases/accountability/", "100%"),
            "accountability-too-few": (
                "/cases/accountability/roads/",
                "Too few cases to say" if language == "en" else "Muy pocos casos para saberlo",
            ),
        }
        for viewport_name, viewport in VIEWPORTS.items():
            tab = open_tab(viewport=viewport)
            tab.page.context.add_cookies(
                [{"name": "django_language", "value": language, "url": tab.origin}]
            )
            for name, (path, expected) in pages.items():
                tab.page.goto(tab.url(path))
                tab.audit()
                tab.assert_fits_width()
                chart = tab.page.locator("svg.bar-chart")
                assert expected in chart.locator("text").all_text_contents()
                assert_no_label_is_clipped(tab, "svg.bar-chart")
                # the title comes before the chart, the scroll box is reachable and named
                title = tab.page.locator(".chart figcaption").bounding_box()
                assert title["y"] + title["height"] <= chart.bounding_box()["y"]
                region = tab.page.get_by_role(
                    "region", name="Figures by period" if language == "en" else "Cifras por periodo"
                )
                assert region.get_attribute("tabindex") == "0"
                sizes = chart.evaluate(DRAWN_SIZES)
                # on a desktop the chart's text is drawn at the page's size; on a phone no
                # smaller than four fifths of it
                least = 1.0 if viewport_name == "desktop" else 0.8
                assert least * sizes["page"] <= sizes["drawn"] <= sizes["page"], sizes
                screenshot(tab, f"{name}-{viewport_name}-{language}")


SEEDS = ["Buses every ten minutes", "A charge for cars", "More cycle lanes", "Free night buses"]
VOTES = [
    [1, 1, -1, 1],
    [1, 1, -1, 0],
    [1, -1, 1, 1],
    [1, -1, 1, 1],
    [1, -1, 1, 1],
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_opinion_map_marks_the_reader_and_shows_the_groups_as_cards(
    open_tab,  # noqa: F811 - the fixture imported above
    transactional_db,
    language,
):
    conversation = conversation_services.open_conversation(
        owner=UserFactory(role="official"), question="How should we get around?", seeds=SEEDS
    )
    statements = list(conversation.statements.order_by("pk"))
    reader = None
    for number, pattern in enumerate(VOTES):
        person = UserFactory(preferred_language=language) if number == 0 else UserFactory()
        reader = reader or person
        participant = conversation_services.participant_for(conversation, user=person)
        for statement, value in zip(statements, pattern, strict=True):
            conversation_services.cast_vote(participant, statement, value)
    maps.recompute_map(conversation.pk)
    you = "You" if language == "en" else "Tú"
    here = "You are here" if language == "en" else "Estás aquí"

    for viewport_name, viewport in VIEWPORTS.items():
        tab = open_tab(viewport=viewport)
        tab.log_in_as(reader)
        tab.page.goto(tab.url(f"/conversations/{conversation.pk}/"))
        tab.audit()
        tab.assert_fits_width()
        svg = tab.page.locator("svg.opinion-map")
        assert svg.locator("> circle").count() == 5
        assert svg.locator("#you-mark text").text_content() == you
        assert_no_label_is_clipped(tab, "svg.opinion-map")
        assert tab.page.locator("#you-on-map").inner_text().startswith(here)
        cards = tab.page.locator("#map-groups > li")
        assert cards.count() == 2
        for card in cards.all():
            assert card.locator(".group-statements li").count() >= 1
            box = card.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        assert tab.page.locator(".table-scroll").count() == 0  # no table left to scroll
        screenshot(tab, f"opinion-map-{viewport_name}-{language}")

    stranger = open_tab(viewport=VIEWPORTS["phone"])
    stranger.page.goto(stranger.url(f"/conversations/{conversation.pk}/"))
    stranger.audit()
    assert stranger.page.locator("#you-mark").count() == 0
    assert stranger.page.locator("#you-on-map").count() == 0
