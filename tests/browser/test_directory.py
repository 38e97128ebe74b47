""" "Who handles this?" in a real browser: a resident asks in plain words and finds the
office, with and without JavaScript, on a wide and a 320 px screen; axe audits every page."""

import pytest

from agora.directory import services
from agora.directory.demo import DEMO_DIRECTORY

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
QUESTION = "who handles broken streetlights on Calle Mayor?"


@pytest.fixture
def demo_directory(transactional_db):
    services.import_directory_file(DEMO_DIRECTORY)


def ask(page, question: str) -> None:
    page.get_by_label("What do you need?").fill(question)
    page.get_by_role("button", name="Find the office").click()
    page.wait_for_load_state("load")


def test_a_resident_asks_who_handles_broken_streetlights_on_calle_mayor(open_tab, demo_directory):
    tab = open_tab()
    page = tab.page
    page.goto(tab.url("/"))
    tab.audit()
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Who handles this?"
    ).click()
    page.wait_for_url(tab.url("/directory/ask/"))
    tab.audit()

    ask(page, QUESTION)
    answer = page.locator(".answer")
    assert answer.get_by_role("heading", level=2).inner_text().endswith("Public Lighting Unit")
    assert "Part of Roads and Mobility" in answer.inner_text()
    assert "Street lighting in Calle Mayor" in answer.inner_text()
    tab.audit()

    answer.get_by_role("link", name="Public Lighting Unit").click()
    page.wait_for_url(tab.url("/directory/offices/public-lighting/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Public Lighting Unit"
    tab.audit()
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Roads and Mobility"
    ).click()
    page.wait_for_url(tab.url("/directory/offices/roads-mobility/"))
    tab.audit()


def test_an_empty_question_is_reported_accessibly(open_tab, demo_directory):
    tab = open_tab()
    page = tab.page
    page.goto(tab.url("/directory/ask/"))
    tab.audit()
    page.get_by_role("button", name="Find the office").click()
    page.wait_for_load_state("load")
    assert page.get_by_label("What do you need?").get_attribute("aria-invalid") == "true"
    tab.audit()


def test_without_javascript_the_question_still_finds_the_office(open_tab, demo_directory):
    tab = open_tab(javascript=False)
    page = tab.page
    page.goto(tab.url("/directory/ask/"))
    page.get_by_label("Where?").select_option(label="Villaverde")
    ask(page, "hay un bache enorme en la calle")
    assert "Street Maintenance Unit" in page.locator(".answer").inner_text()


PAGES = [
    "/directory/",
    "/directory/ask/?q=broken+streetlights+on+Calle+Mayor",
    "/directory/ask/?q=rats+and+a+broken+streetlight",
    "/directory/offices/street-maintenance/",
    "/directory/topics/",
    "/directory/topics/potholes/",
    "/directory/areas/calle-mayor/",
]


def test_directory_pages_are_accessible_and_fit_a_320_pixel_screen(open_tab, demo_directory):
    tab = open_tab(viewport=NARROW)
    for path in PAGES:
        tab.page.goto(tab.url(path))
        tab.audit()
        tab.assert_fits_width()
