"""The staff's pages in a real browser: at 320 px without JavaScript a manager adds a question
and moves it, every page fits the width; on a desktop with JavaScript axe audits each page.
Screenshots go to var/screenshots/."""

import re
from pathlib import Path

import pytest

from agora.polls.models import Question
from tests.browser.conftest import browser, media_root, open_tab  # noqa: F401 - fixtures
from tests.polls.conftest import build_survey
from tests.processes.conftest import build_town

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("var/screenshots")
NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}


def test_a_manager_builds_a_poll_at_320_px_without_javascript_and_the_pages_pass_axe(open_tab):  # noqa: F811
    town = build_town()
    survey = build_survey(town)
    poll = survey.poll
    SHOTS.mkdir(parents=True, exist_ok=True)
    for viewport, javascript, size in ((NARROW, False, "320"), (WIDE, True, "desktop")):
        tab = open_tab(viewport=viewport, javascript=javascript)
        tab.log_in_as(town.official)
        page = tab.page
        for name, path in (
            ("staff", f"/polls/{poll.pk}/staff/"),
            ("new", f"/polls/new/{poll.process.slug}/"),
            ("matrix", f"/polls/{poll.pk}/staff/questions/{survey.q['matrix'].pk}/"),
            ("multiple", f"/polls/{poll.pk}/staff/questions/new/?kind=multiple"),
        ):
            page.goto(tab.url(path))
            if javascript:
                tab.audit()
            tab.assert_fits_width()
            page.screenshot(path=str(SHOTS / f"poll-staff-{name}-{size}.png"), full_page=True)
    # At 320 px, without JavaScript: add a short question to "Ideas", then move it up.
    tab = open_tab(viewport=NARROW, javascript=False)
    tab.log_in_as(town.official)
    page = tab.page
    page.goto(tab.url(f"/polls/{poll.pk}/staff/"))
    page.get_by_label("Kind of question").select_option("short_text")
    page.get_by_label("In the section").select_option(label="Ideas")
    page.get_by_role("button", name="Go on to the question").click()
    page.get_by_label("Question in English").fill("Your school?")
    page.get_by_role("button", name="Add the question").click()
    page.wait_for_url(re.compile(r"/staff/#question-\d+$"))
    assert "The question is added." in page.content()
    page.get_by_role("button", name="Move up: Your school?").click()
    page.wait_for_url(re.compile(r"/staff/#question-\d+$"))
    texts = list(
        Question.objects.filter(section__title_en="Ideas")
        .order_by("position")
        .values_list("text_en", flat=True)
    )
    assert texts == ["Each crossing?", "Which street?", "Your school?", "Anything else?"]
    tab.assert_fits_width()
