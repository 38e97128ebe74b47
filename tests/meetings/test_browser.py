"""A meeting's registration in a real browser: the only seat is taken, a second person joins
the waiting list, the first cancels, and the second finds the seat theirs. At 320 px with
JavaScript (axe audits every page) and on a desktop without it, in English and Spanish.
Screenshots go to var/screenshots/."""

from pathlib import Path

import pytest
from django.conf import settings

from agora.processes.models import Participation, PhaseKind
from tests.browser.conftest import browser, media_root, open_tab  # noqa: F401 - fixtures
from tests.factories import UserFactory
from tests.meetings.conftest import meeting_of
from tests.processes.conftest import build_town

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("var/screenshots")
NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}

WORDS = {
    "en": ("Register", "Join the waiting list", "Cancel my registration", "You are registered."),
    "es": (
        "Inscribirme",
        "Apuntarme a la lista de espera",
        "Cancelar mi inscripción",
        "Estás inscrito.",
    ),
}


def test_a_freed_seat_moves_the_waiting_person_up(open_tab):  # noqa: F811
    town = build_town()
    process = town.process(
        (PhaseKind.SUPPORT, -1, 10), participation=Participation.SIGNED_IN, slug="meet"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    for viewport, javascript, size in ((NARROW, True, "320"), (WIDE, False, "desktop")):
        for language, (register, wait, cancel, registered) in WORDS.items():
            meeting = meeting_of(process, title_es="Asamblea, norte")
            tabs = []
            for button in (register, wait):
                tab = open_tab(viewport=viewport, javascript=javascript)
                tab.page.context.add_cookies(
                    [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": tab.origin}]
                )
                tab.log_in_as(UserFactory())
                tab.page.goto(tab.url(meeting.get_absolute_url()))
                if javascript:
                    tab.audit()
                tab.page.get_by_role("button", name=button).click()
                if javascript:
                    tab.audit()
                tabs.append(tab)
            first, second = tabs
            second.assert_fits_width()
            second.page.screenshot(
                path=str(SHOTS / f"meeting-waiting-{size}-{language}.png"), full_page=True
            )
            first.page.get_by_role("button", name=cancel).click()
            if javascript:
                first.audit()
            second.page.reload()
            if javascript:
                second.audit()
            assert registered in second.page.get_by_role("main").inner_text()
            assert "https://meet.example.org/north" in second.page.get_by_role("main").inner_text()
            second.page.screenshot(
                path=str(SHOTS / f"meeting-moved-up-{size}-{language}.png"), full_page=True
            )


STAFF_WORDS = {
    "en": ("Add a meeting", "Add the meeting", "The meeting must end after it starts."),
    "es": (
        "Añadir una reunión",
        "Añadir la reunión",
        "La reunión debe terminar después de empezar.",
    ),
}


def test_a_manager_adds_a_meeting_from_the_process_page_and_links_what_it_discussed(
    open_tab,  # noqa: F811
):
    """The staff's journey, walked once with JavaScript at 320 px in English and once without
    it in Spanish; each page is also looked at on the desktop and on a phone."""
    from tests.results.conftest import a_proposal

    town = build_town()
    process = town.process((PhaseKind.SUPPORT, -1, 10), slug="staff-meet")
    a_proposal(process, town.verified, title="Shade over the benches")
    SHOTS.mkdir(parents=True, exist_ok=True)
    widths = {"320": NARROW, "desktop": WIDE}
    for language, javascript in (("en", True), ("es", False)):
        add, save, too_early = STAFF_WORDS[language]
        tab = open_tab(viewport=NARROW, javascript=javascript)
        tab.page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": tab.origin}]
        )
        tab.log_in_as(town.official)
        tab.page.goto(tab.url(process.get_absolute_url()))
        tab.page.get_by_role("link", name=add).click()
        title = f"Elm Square walk {language}"
        tab.page.locator("#id_title_en").fill(title)
        tab.page.locator("#id_starts_at").fill("2031-05-04T18:00")
        tab.page.locator("#id_ends_at").fill("2031-05-04T17:00")
        tab.page.locator("#id_address").fill("Elm Square library")
        tab.page.locator("#id_capacity").fill("20")
        tab.page.get_by_role("button", name=save).click()
        main = tab.page.get_by_role("main")
        assert too_early in main.inner_text()
        assert tab.page.locator("#id_title_en").input_value() == title
        tab.at_each_width(widths, str(SHOTS / f"meeting-new-refused-{language}"))
        tab.page.locator("#id_ends_at").fill("2031-05-04T20:00")
        tab.page.get_by_role("button", name=save).click()
        assert tab.page.get_by_role("heading", level=1).inner_text() == title
        tab.page.goto(tab.url(process.get_absolute_url()))
        assert title in tab.page.locator("#meetings").inner_text()
        tab.page.get_by_role("link", name=title).first.click()
        tab.page.locator("a[href$='/manage/']").click()
        tab.page.locator("#id_find").fill("shade")
        tab.page.locator("#id_find").press("Enter")
        tab.page.locator(".discussed-list button").first.click()
        tab.at_each_width(widths, str(SHOTS / f"meeting-manage-{language}"))
        tab.page.goto(tab.url(process.get_absolute_url()))
        tab.page.get_by_role("link", name=title).first.click()
        assert "Shade over the benches" in tab.page.get_by_role("main").inner_text()
        tab.at_each_width(widths, str(SHOTS / f"meeting-discussed-{language}"))
