"""A survey with every kind of question answered in a real browser: at 320 px without
JavaScript and on a desktop with it (axe audits every page), in English and Spanish, then its
results read. Screenshots go to var/screenshots/."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import browser, media_root, open_tab  # noqa: F401 - fixtures
from tests.factories import UserFactory
from tests.polls.conftest import build_survey
from tests.processes.conftest import build_town

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("var/screenshots")
NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}


def group(page, name: str):
    return page.get_by_role("group", name=re.compile(f"^{re.escape(name)}"))


def test_a_survey_with_every_kind_of_question_is_answered_and_its_results_read(open_tab):  # noqa: F811
    survey = build_survey(build_town())
    SHOTS.mkdir(parents=True, exist_ok=True)
    for viewport, javascript, size in ((NARROW, False, "320"), (WIDE, True, "desktop")):
        for language, es, sent, heading in (
            ("en", "", "Send my answers", "Results: How do you travel?"),
            ("es", "ES ", "Enviar mis respuestas", "Resultados: ¿Cómo viaja?"),
        ):
            tab = open_tab(viewport=viewport, javascript=javascript)
            tab.page.context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": tab.origin}]
            )
            tab.log_in_as(UserFactory())
            page = tab.page
            page.goto(tab.url(survey.poll.get_absolute_url()))
            if javascript:
                tab.audit()
            tab.assert_fits_width()
            page.screenshot(path=str(SHOTS / f"poll-form-{size}-{language}.png"), full_page=True)
            group(page, f"{es}Mostly?").get_by_label(f"{es}Bike").check()
            also = group(page, f"{es}Also?")
            also.get_by_label(f"{es}Walk").check()
            also.get_by_label(f"{es}Bus").check()
            ranking = group(page, f"{es}Rank these")
            ranking.get_by_label(f"{es}Buses").fill("1")
            ranking.get_by_label(f"{es}Lights").fill("2")
            group(page, f"{es}How safe?").get_by_label("4", exact=True).check()
            group(page, f"{es}Riverside").get_by_label("2", exact=True).check()
            group(page, f"{es}Market").get_by_label("5", exact=True).check()
            page.get_by_label(f"{es}Which street?").fill("Mill Lane")
            page.get_by_role("button", name=sent).click()
            page.wait_for_url(re.compile(r"/thanks/$"))
            if javascript:
                tab.audit()
            see = "See the results" if language == "en" else "Ver los resultados"
            page.get_by_role("link", name=see).click()
            assert page.get_by_role("heading", level=1).inner_text() == heading
            if javascript:
                tab.audit()
            tab.assert_fits_width()
            tables = page.get_by_role("table")
            assert tables.count() == 5  # every question but the two written ones
            page.screenshot(path=str(SHOTS / f"poll-results-{size}-{language}.png"), full_page=True)
