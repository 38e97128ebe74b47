"""The directory's map page in a real browser: with JavaScript, vendored Leaflet draws the
areas from Agora's own GeoJSON and a public case as a point, and no request leaves the live
server (no tile server is named); without it, the SVG drawing and the list. English and
Spanish, a 360 px phone and a desktop, axe on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agora.cases import services as case_services
from agora.directory import services
from agora.directory.demo import DEMO_DIRECTORY
from agora.directory.models import Area, Office, Topic
from agora.meetings.models import Meeting
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo_directory(transactional_db):
    services.import_directory_file(DEMO_DIRECTORY)
    centro = Area.objects.get(slug="centro")
    ring = centro.boundary["coordinates"][0]
    longitude = sum(point[0] for point in ring[:-1]) / len(ring[:-1])
    latitude = sum(point[1] for point in ring[:-1]) / len(ring[:-1])
    resident = UserFactory()
    topic = Topic.objects.filter(responsibilities__isnull=False).first()
    for title, public in (("Broken bench in the square", True), ("Private matter", False)):
        case_services.submit_case(
            by=resident,
            kind="report",
            title=title,
            description="Seen this morning.",
            topic=topic,
            area=centro,
            longitude=longitude,
            latitude=latitude,
            is_public=public,
        )
    # A meeting coming up with a place: listed under the map and drawn as a point of its own.
    start = timezone.now() + timedelta(days=3)
    Meeting.objects.create(
        office=Office.objects.first(),
        title_en="Town hall in the square",
        title_es="Asamblea en la plaza",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        address="Plaza Mayor 1",
        latitude=round(latitude, 6),
        longitude=round(longitude, 6),
    )


def in_language(tab, language, settings):
    tab.page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": tab.origin}]
    )


def test_the_map_draws_the_areas_and_public_cases_from_agora_alone(
    open_tab, demo_directory, settings
):
    for language in ("en", "es"):
        heading = {"en": "Map of places", "es": "Mapa de lugares"}[language]
        for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            tab = open_tab(viewport=viewport)
            in_language(tab, language, settings)
            page = tab.page
            page.goto(tab.url("/directory/map/"))
            assert page.get_by_role("heading", level=1).inner_text() == heading
            page.locator(".place-map-canvas path.leaflet-interactive").first.wait_for()
            assert page.locator(".place-map-canvas path.leaflet-interactive").count() >= 4
            assert not page.locator("svg.area-map").is_visible()  # the drawing gives way to the map
            # Four areas, the public case and the meeting: every part's points are drawn. Asked
            # from here, not with wait_for_function, whose polling evaluates a string: the
            # site's CSP (no 'unsafe-eval') refuses that when the first check comes too early.
            drawn = page.locator(
                ".place-map-canvas .leaflet-marker-pane path,"
                " .place-map-canvas path.leaflet-interactive"
            )
            for _ in range(100):
                if drawn.count() >= 6:
                    break
                page.wait_for_timeout(100)
            assert drawn.count() >= 6
            meeting = {"en": "Town hall in the square", "es": "Asamblea en la plaza"}[language]
            assert page.get_by_role("link", name=meeting).is_visible()
            assert "Private matter" not in page.content()
            tab.audit()
            tab.assert_fits_width()
            page.screenshot(path=f"var/screenshots/map-{name}-{language}.png", full_page=True)
            assert all(request.startswith(tab.origin) for request in tab.requests), tab.requests


def test_without_javascript_the_drawing_and_the_list(open_tab, demo_directory):
    tab = open_tab(viewport=PHONE, javascript=False)
    page = tab.page
    page.goto(tab.url("/directory/map/"))
    assert page.locator("svg.area-map").is_visible()
    places = page.get_by_role("list", name="Places on the map")
    assert places.get_by_role("link", name="Centro").is_visible()
    tab.assert_fits_width()
    page.screenshot(path="var/screenshots/map-phone-nojs.png", full_page=True)
    places.get_by_role("link", name="Centro").click()
    page.wait_for_url(tab.url("/directory/areas/centro/"))


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_resident_picks_the_place_on_the_map_and_files_the_report(
    open_tab, demo_directory, settings, language
):
    resident = UserFactory()
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        tab = open_tab(viewport=viewport)
        in_language(tab, language, settings)
        tab.log_in_as(resident)
        page = tab.page
        page.goto(tab.url("/cases/new/"))
        picker = page.locator(".place-picker")
        picker.locator("path.leaflet-interactive").first.wait_for()
        tab.audit()
        tab.assert_fits_width()
        page.locator("input[name=title]").fill(f"Bench broken {name} {language}")
        page.locator("textarea[name=description]").fill("The bench by the fountain is broken.")
        topic = Topic.objects.filter(responsibilities__isnull=False).first()
        page.locator("select[name=topic]").select_option(topic.slug)
        canvas = picker.locator(".place-picker-canvas")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
        page.locator(".leaflet-marker-icon").wait_for()
        assert page.locator("input[name=latitude]").input_value()
        page.screenshot(path=f"var/screenshots/picker-{name}-{language}.png", full_page=True)
        page.locator("form.stacked-form button.primary").click()
        page.wait_for_url("**/cases/new/check/")  # the answers to check, then send
        tab.audit()
        page.locator("form.stacked-form button.primary").click()
        page.wait_for_url("**/cases/*/sent/")
        tab.audit()
        from agora.cases.models import Case

        case = Case.objects.get(title=f"Bench broken {name} {language}")
        assert case.latitude is not None and case.longitude is not None
        assert case.area is not None


def test_without_javascript_the_report_is_filed_by_address(open_tab, demo_directory):
    resident = UserFactory()
    tab = open_tab(viewport=PHONE, javascript=False)
    tab.log_in_as(resident)
    page = tab.page
    page.goto(tab.url("/cases/new/"))
    assert not page.locator(".place-picker").is_visible()
    page.locator("input[name=title]").fill("Bench broken, no script")
    page.locator("textarea[name=description]").fill("The bench by the fountain is broken.")
    topic = Topic.objects.filter(responsibilities__isnull=False).first()
    page.locator("select[name=topic]").select_option(topic.slug)
    # Without a map: the place typed is looked up among the city's places and streets.
    page.locator("input[name=address]").fill("Calle Mayor 5")
    page.get_by_role("button", name="Find the place I typed").click()
    page.wait_for_load_state("load")
    assert page.locator("select[name=area]").input_value() == "calle-mayor"
    assert page.locator("input[name=title]").input_value() == "Bench broken, no script"
    page.locator("select[name=area]").select_option("centro")
    page.locator("input[name=address]").fill("Plaza Mayor 1")
    tab.assert_fits_width()
    page.screenshot(path="var/screenshots/picker-phone-nojs.png", full_page=True)
    page.locator("input[name=title]").press("Enter")  # Enter means Continue, not "Find"
    page.wait_for_url("**/cases/new/check/")
    page.locator("form.stacked-form button.primary").click()
    page.wait_for_url("**/cases/*/sent/")
    from agora.cases.models import Case

    case = Case.objects.get(title="Bench broken, no script")
    assert (case.address, case.area.slug, case.latitude) == ("Plaza Mayor 1", "centro", None)


@pytest.mark.parametrize("language", ["en", "es"])
def test_with_a_keyboard_the_pin_goes_in_the_middle_and_a_typed_place_is_chosen(
    open_tab, demo_directory, settings, language
):
    words = {
        "en": {
            "centre": "Put the pin in the middle of the map",
            "picked": "Place picked",
            "typed": "Riverside 5, by the bridge",
        },
        "es": {
            "centre": "Poner el marcador en el centro del mapa",
            "picked": "Lugar elegido en el mapa",
            "typed": "la ribera 5, junto al puente",
        },
    }[language]
    tab = open_tab(viewport=PHONE)
    in_language(tab, language, settings)
    tab.log_in_as(UserFactory())
    page = tab.page
    page.goto(tab.url("/cases/new/"))
    picker = page.locator(".place-picker")
    picker.locator("path.leaflet-interactive").first.wait_for()
    # The address field suggests the city's places; a place typed with a number is chosen.
    assert page.locator("#place-picker-names option").count() >= 10
    page.locator("input[name=address]").fill(words["typed"])
    page.locator("input[name=address]").press("Tab")
    assert page.locator("select[name=area]").input_value() == "riverside"
    page.locator("select[name=area]").select_option("centro")
    # The map moves with the arrow keys; the button puts the pin where the cross is.
    page.locator(".place-picker-canvas").focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    button = page.get_by_role("button", name=words["centre"])
    button.focus()
    page.keyboard.press("Enter")
    page.locator(".leaflet-marker-icon").wait_for()
    assert page.locator("input[name=latitude]").input_value()
    assert words["picked"] in picker.locator("[role=status]").inner_text()
    tab.audit()
    tab.assert_fits_width()
    page.screenshot(path=f"var/screenshots/picker-keyboard-phone-{language}.png", full_page=True)
