"""Results in a real browser, in one journey: in "Safe routes to school", the roads office
makes a result of the accepted proposal from its page (the form comes pre-filled); María
follows the result; the office posts an update; María sees the notification and the
process's results page. At 320 px with axe on every page; then, without JavaScript, the office
posts an update with a progress of 101 (refused, keeping what was typed) and mends it.
Screenshots go to var/screenshots/."""

from pathlib import Path

import pytest

from agora.core.text import render_markdown
from agora.processes.models import Process
from agora.proposals.models import AnswerKind, Proposal, ProposalState
from agora.results.models import Result
from tests.browser.test_processes import demo  # noqa: F401 (the demo town, as a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NARROW = {"width": 320, "height": 640}
SHOTS = Path("var/screenshots")


def look(tab, shot: str | None = None) -> None:
    tab.page.wait_for_load_state("load")
    if tab.javascript:
        tab.audit()
    tab.assert_fits_width()
    if shot:
        SHOTS.mkdir(parents=True, exist_ok=True)
        tab.page.screenshot(path=str(SHOTS / shot), full_page=True)


def test_the_office_reports_on_an_accepted_proposal_and_a_follower_hears(open_tab, demo):  # noqa: F811
    process = Process.objects.get(slug="safe-routes-to-school")
    body = "A **crossing guard** from 8:15 to 9:00."
    proposal = Proposal.objects.create(
        process=process,
        author=demo["sam"],
        title="A crossing guard at Riverside School",
        body=body,
        body_html=render_markdown(body),
        state=ProposalState.ANSWERED,
        answer=AnswerKind.ACCEPTED,
    )
    office = open_tab(viewport=NARROW)
    office.log_in_as(demo["roads_office"])
    page = office.page
    page.goto(office.url(proposal.get_absolute_url()))
    look(office)
    page.get_by_role("link", name="Make it a result").click()
    look(office, "result-new-320.png")
    assert page.get_by_label("Title").input_value() == proposal.title
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_label("Progress (%)").fill("20")
    page.get_by_role("button", name="Publish the result").click()
    look(office)
    result = Result.objects.get()
    assert page.get_by_role("heading", level=1).inner_text() == proposal.title

    follower = open_tab(viewport=NARROW)
    follower.log_in_as(demo["maria"])
    follower.page.goto(follower.url(result.get_absolute_url()))
    look(follower)
    follower.page.get_by_role("button", name="Follow").click()
    look(follower)

    page.get_by_label("What happened").fill("The guard starts on **Monday**.")
    page.get_by_label("New progress (%)").fill("60")
    page.get_by_role("button", name="Publish the update").click()
    look(office, "result-updated-320.png")
    assert "Delivered: 60%" in page.locator("main").inner_text()

    follower.page.goto(follower.url("/notifications/"))
    look(follower)
    assert "has an update" in follower.page.locator("main").inner_text()
    follower.page.goto(follower.url(f"/results/process/{process.slug}/"))
    look(follower, "results-process-320.png")
    listed = follower.page.locator("main").inner_text()
    assert proposal.title in listed and "Delivered: 60%" in listed

    plain = open_tab(viewport=NARROW, javascript=False)
    plain.log_in_as(demo["roads_office"])
    plain.page.goto(plain.url(result.get_absolute_url()))
    look(plain)
    plain.page.get_by_label("What happened").fill("Signs are up.")
    plain.page.get_by_label("New progress (%)").fill("101")
    plain.page.get_by_role("button", name="Publish the update").click()
    look(plain)
    assert "from 0 to 100" in plain.page.locator("main").inner_text()
    assert plain.page.get_by_label("What happened").input_value() == "Signs are up."
    plain.page.get_by_label("New progress (%)").fill("80")
    plain.page.get_by_role("button", name="Publish the update").click()
    look(plain)
    assert Result.objects.get().progress == 80
