"""Participation processes in a real browser: the list and a process page (the timeline with
the current phase said in words, what can be done now, the Follow button) at 360 and 1280 px
in English and Spanish, and an official creating a process with its phases, first with
overlapping phases (refused, keeping what was typed) and then mended; axe audits every page
with JavaScript on, and the whole journey also works with it off. Screenshots go to
var/screenshots/."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from agora.accounts.models import Role, Verification
from agora.directory import services as directory_services
from agora.directory.demo import DEMO_DIRECTORY
from agora.directory.models import Office
from agora.processes.demo import load_demo_processes
from agora.processes.models import Process
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 360, "height": 740}
NARROW = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path("var/screenshots")


@pytest.fixture
def demo(transactional_db):
    directory_services.import_directory_file(DEMO_DIRECTORY)
    people = {}
    for handle, role, verified, area in [
        ("roads_office", Role.OFFICIAL, True, "City Hall"),
        ("waste_office", Role.OFFICIAL, True, "City Hall"),
        ("housing_office", Role.OFFICIAL, True, "City Hall"),
        ("maria", Role.RESIDENT, True, "Centro"),
        ("sam", Role.RESIDENT, False, "Riverside"),
        ("jonas", Role.RESIDENT, False, "Old Town"),
    ]:
        verification = Verification.VERIFIED_RESIDENT if verified else Verification.EMAIL_CONFIRMED
        people[handle] = UserFactory(
            handle=handle, role=role, verification=verification, home_area=area
        )
    for handle, slug in [
        ("roads_office", "roads-mobility"),
        ("waste_office", "waste-cleaning"),
        ("housing_office", "housing"),
    ]:
        directory_services.add_official(Office.objects.get(slug=slug), people[handle])
    assert load_demo_processes()
    return people


def in_spanish(tab) -> None:
    tab.page.context.add_cookies([{"name": "django_language", "value": "es", "url": tab.origin}])


def visit(tab, path: str, shot: str | None = None) -> None:
    tab.page.goto(tab.url(path))
    if tab.javascript:
        tab.audit()
    tab.assert_fits_width()
    if shot:
        SHOTS.mkdir(parents=True, exist_ok=True)
        tab.page.screenshot(path=str(SHOTS / shot), full_page=True)


WIDTHS = {"360": PHONE, "1280": DESKTOP}


@pytest.mark.parametrize(
    ("language", "viewport"), [("en", PHONE), ("es", DESKTOP)], ids=["en-360", "es-1280"]
)
def test_the_list_and_a_process_page(open_tab, demo, language, viewport):
    """Walked on a phone in English and a desktop in Spanish; the list and the process page
    are also looked at on the other screen."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab = open_tab(viewport=viewport)
    if language == "es":
        in_spanish(tab)
    tab.log_in_as(demo["maria"])
    visit(tab, "/processes/")
    tab.at_each_width(WIDTHS, str(SHOTS / f"processes-list-{language}"))
    page = tab.page
    heading = "Procesos participativos" if language == "es" else "Participation processes"
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.locator(".process-card").count() == 7
    open_now = "Abiertos ahora" if language == "es" else "Open now"
    page.get_by_role("link", name=open_now).click()
    page.wait_for_load_state("load")
    tab.audit()
    assert page.locator(".process-card").count() == 7  # the closed phase has no end

    title = "Caminos escolares seguros" if language == "es" else "Safe routes to school"
    page.get_by_role("link", name=title).click()
    page.wait_for_load_state("load")
    tab.at_each_width(WIDTHS, str(SHOTS / f"process-page-{language}"))
    current = page.locator('.phase-timeline [aria-current="step"]')
    assert current.count() == 1
    now = "Ahora" if language == "es" else "Now"
    support = "Apoyos" if language == "es" else "Support"
    assert current.inner_text().startswith(f"{now}: {support}")
    items = page.locator(".phase-timeline > li")
    assert items.count() == 7
    can = (
        "Apoyar propuestas: Puedes hacerlo ahora."
        if language == "es"
        else "Support proposals: You can do this now."
    )
    assert can in page.locator(".what-now").inner_text()
    follow = "Dejar de seguir" if language == "es" else "Unfollow"
    assert page.get_by_role("button", name=follow).is_visible()  # maría follows it


def test_every_process_page_fits_320_pixels_without_javascript(open_tab, demo):
    tab = open_tab(viewport=NARROW, javascript=False)
    visit(tab, "/processes/", "processes-list-320-nojs.png")
    for process in Process.objects.all():
        visit(tab, process.get_absolute_url())
    visit(tab, "/processes/participatory-budget-2027/", "process-page-320-nojs.png")
    assert "Log in to follow" in tab.page.locator("main").inner_text()


def _fill_phase(page, number: int, kind: str, starts, ends=None) -> None:
    row = page.locator("fieldset.phase-row").nth(number)
    row.get_by_label("Kind").select_option(kind)
    row.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    if ends is not None:
        row.get_by_label("Ends").fill(ends.strftime("%Y-%m-%dT%H:%M"))


@pytest.mark.parametrize(
    ("javascript", "viewport"), [(True, DESKTOP), (False, PHONE)], ids=["js-1280", "nojs-360"]
)
def test_an_official_creates_a_process_with_phases(open_tab, demo, javascript, viewport):
    """With JavaScript on a desktop (its pages also looked at on a phone), and without it on
    a phone."""
    tab = open_tab(viewport=viewport, javascript=javascript)
    tab.log_in_as(demo["waste_office"])
    visit(tab, "/processes/")
    page = tab.page
    page.get_by_role("link", name="Create a process").click()
    page.wait_for_load_state("load")
    if javascript:
        tab.audit()
    tab.assert_fits_width()
    page.get_by_label("Title in English", exact=True).fill("Bins in Hillside")
    page.get_by_label("Title in Spanish", exact=True).fill("Contenedores en Las Lomas")
    page.get_by_label("Description in English", exact=True).fill("Where should the new bins go?")
    page.get_by_label("Verified residents of the process’s areas").check()
    page.get_by_label("Hillside", exact=True).check()
    page.get_by_label("Published").check()
    start = timezone.localtime(timezone.now() - timedelta(days=1)).replace(second=0, microsecond=0)
    _fill_phase(page, 0, "information", start, start + timedelta(days=7))
    _fill_phase(page, 1, "proposals", start + timedelta(days=5), start + timedelta(days=20))
    page.get_by_role("button", name="Create the process").click()
    page.wait_for_load_state("load")
    tab.at_each_width(WIDTHS, str(SHOTS / "process-form-error") if javascript else None)
    alert = page.locator('[role="alert"]').last.inner_text()
    assert "Phases 1 and 2 overlap: phase 2 starts before phase 1 ends." in alert
    assert page.get_by_label("Title in English", exact=True).input_value() == "Bins in Hillside"
    assert not Process.objects.filter(title_en="Bins in Hillside").exists()

    _fill_phase(page, 1, "proposals", start + timedelta(days=7), start + timedelta(days=20))
    page.get_by_role("button", name="Create the process").click()
    page.wait_for_url("**/processes/bins-in-hillside/")
    tab.at_each_width(WIDTHS, str(SHOTS / "process-created") if javascript else None)
    assert page.get_by_role("heading", level=1).inner_text() == "Bins in Hillside"
    assert page.locator('[aria-current="step"]').inner_text().startswith("Now: Information")
    process = Process.objects.get(slug="bins-in-hillside")
    assert [phase.kind for phase in process.phases.all()] == ["information", "proposals"]
