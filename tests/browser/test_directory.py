""" "Who handles this?" in a real browser: a resident asks in plain words and finds the
office, with and without JavaScript, on a wide and a 320 px screen, and picks their district on
the map; axe audits every page."""

import pytest

from agora.directory import services
from agora.directory.demo import DEMO_DIRECTORY

pytestmark = [pytest.mark.browser, pytest.mark.slow]

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

    answer.get_by_role("link", name="Public Lighting Unit", exact=True).click()
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


def test_a_resident_picks_their_district_on_the_map(open_tab, demo_directory):
    tab = open_tab()
    page = tab.page
    page.goto(tab.url("/directory/ask/"))
    assert page.locator("svg.area-map").count() == 0  # nothing asked yet: no map
    tab.audit()
    ask(page, "pothole in the road")
    picker = page.get_by_role("region", name="Pick your area on the map")
    tab.audit()

    picker.locator("svg").get_by_role("link", name="Riverside").click()
    page.wait_for_url("**area=riverside")
    answer = page.locator(".answer")
    assert (
        answer.get_by_role("heading", level=2)
        .inner_text()
        .endswith("Street Maintenance West Section")
    )
    assert page.get_by_label("What do you need?").input_value() == "pothole in the road"
    assert page.get_by_label("Where?").input_value() == "riverside"
    chosen = picker.locator("svg").get_by_role("link", name="Riverside")
    assert chosen.get_attribute("aria-current") == "true"
    tab.audit()

    # By keyboard: Tab reaches the places on the map, the focused one is outlined, Enter asks.
    page.get_by_role("button", name="Find the office").focus()
    for _step in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "Hillside":
            break
    hillside = picker.locator("svg").get_by_role("link", name="Hillside")
    assert hillside.evaluate("link => link.matches(':focus-visible')")
    edge = hillside.locator("path").evaluate("path => getComputedStyle(path).strokeWidth")
    assert edge == "5px"
    page.keyboard.press("Enter")
    page.wait_for_url("**area=hillside")
    assert "Street Maintenance East Section" in page.locator(".answer").inner_text()
    tab.audit()


def test_the_map_fits_a_320_pixel_screen_and_works_without_javascript(open_tab, demo_directory):
    tab = open_tab(viewport=NARROW)
    page = tab.page
    page.goto(tab.url("/directory/ask/?q=bache"))
    tab.audit()
    tab.assert_fits_width()
    svg = page.locator("svg.area-map").bounding_box()
    assert 250 <= svg["width"] <= 320 and svg["height"] > svg["width"]  # scaled, not cropped
    page.get_by_role("list", name="Places on the map").get_by_role("link", name="North").click()
    page.wait_for_url("**area=norte")
    assert "Street Maintenance East Section" in page.locator(".answer").inner_text()
    tab.audit()
    tab.assert_fits_width()

    plain = open_tab(viewport=NARROW, javascript=False)
    plain.page.goto(plain.url("/directory/ask/?q=pothole"))
    plain.page.locator("svg.area-map").get_by_role("link", name="Centro").click()
    plain.page.wait_for_url("**area=centro")
    assert "Street Maintenance West Section" in plain.page.locator(".answer").inner_text()


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


def test_an_office_page_with_statistics_announcements_and_follow_fits_320_pixels(
    open_tab, demo_directory
):
    from agora.directory.models import Office
    from agora.social import services as social_services
    from tests.factories import UserFactory

    office = Office.objects.get(slug="public-lighting")
    official = UserFactory(display_name="Lucía Luz", role="official")
    services.add_official(office, official)
    social_services.create_post(
        by=official,
        body="Night works on **Calle Mayor**: https://villaverde.example/works/streetlights-2026",
        office=office,
    )
    tab = open_tab(viewport=NARROW)
    tab.log_in_as(UserFactory())
    for path in ("/directory/offices/public-lighting/", "/directory/topics/streetlights/"):
        tab.page.goto(tab.url(path))
        tab.audit()
        tab.assert_fits_width()
    tab.page.goto(tab.url("/directory/offices/public-lighting/"))
    tab.audit()
    tab.page.get_by_role("button", name="Follow", exact=True).click()
    tab.page.wait_for_load_state("load")
    assert tab.page.get_by_text("1 follower", exact=True).is_visible()
    assert tab.page.get_by_text("Institutional account").first.is_visible()
    tab.audit()
    tab.assert_fits_width()
    # Share: opening the links asks nothing of any network; a server that is not a host name
    # is refused on a page of its own, keeping what was typed.
    tab.page.get_by_text("Share", exact=True).click()
    assert tab.page.get_by_role("link", name="Telegram").is_visible()
    tab.audit()
    tab.assert_fits_width()
    tab.page.screenshot(path="var/screenshots/office-share-320.png", full_page=True)
    tab.page.get_by_label("Your Mastodon server").fill("my server")
    tab.page.get_by_role("button", name="Share on Mastodon").click()
    tab.page.wait_for_load_state("load")
    assert tab.page.get_by_text("“my server” is not the name of a server").is_visible()
    assert tab.page.get_by_label("Your Mastodon server").input_value() == "my server"
    tab.audit()
    tab.assert_fits_width()
    tab.page.screenshot(path="var/screenshots/share-mastodon-refused-320.png", full_page=True)
    tab.page.get_by_label("Your Mastodon server").fill("social.example.org")
    tab.page.get_by_role("button", name="Share on Mastodon").click()
    tab.page.wait_for_load_state("load")
    continue_link = tab.page.get_by_role("link", name="Continue to social.example.org")
    assert continue_link.get_attribute("href").startswith("https://social.example.org/share?")
    tab.audit()
    tab.page.get_by_role("link", name="Back to the page").click()
    tab.page.wait_for_load_state("load")
    tab.page.get_by_text("Share", exact=True).click()
    # The page is the same for everyone; the script fills the remembered server in.
    assert tab.page.get_by_label("Your Mastodon server").input_value() == "social.example.org"
    tab.audit()
