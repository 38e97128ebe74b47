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
