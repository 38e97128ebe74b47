"""Proposals in a real browser: a resident proposes in the participatory budget (checking for
similar proposals first); the process moves on to its support phase; two others support the
proposal to its threshold of 2, the second also comments in favour; the responsible office
answers it and finds it answered on time on its accountability page; the resident sees the
answer and the notification. At 360 px in English and 1280 px in Spanish (the resident's
pages), axe on every page, every page fitting 320 px; and the whole journey without
JavaScript. Screenshots go to var/screenshots/."""

from pathlib import Path

import pytest
from django.utils import timezone

from agora.accounts.models import Verification
from agora.processes.demo import demo_phases
from agora.processes.models import PhaseKind, Process
from agora.proposals.models import Proposal, ProposalSettings, ProposalState
from tests.browser.test_processes import demo  # noqa: F401 (the demo town, as a fixture)
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 360, "height": 740}
NARROW = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path("var/screenshots")

WORDS = {
    "en": {
        "title": "Title",
        "body": "Your proposal",
        "check": "Check for similar proposals",
        "publish": "Publish the proposal",
        "similar": "Similar proposals",
        "answer": "Official answer",
        "accepted": "Accepted",
        "told": "has its official answer",
    },
    "es": {
        "title": "Título",
        "body": "Tu propuesta",
        "check": "Buscar propuestas parecidas",
        "publish": "Publicar la propuesta",
        "similar": "Propuestas parecidas",
        "answer": "Respuesta oficial",
        "accepted": "Aceptada",
        "told": "tiene su respuesta oficial",
    },
}


def look(tab, shot: str | None = None) -> None:
    tab.page.wait_for_load_state("load")
    if tab.javascript:
        tab.audit()
    tab.assert_fits_width()
    if shot:
        SHOTS.mkdir(parents=True, exist_ok=True)
        tab.page.screenshot(path=str(SHOTS / shot), full_page=True)


def in_spanish(tab) -> None:
    tab.page.context.add_cookies([{"name": "django_language", "value": "es", "url": tab.origin}])


def move_to_support_phase(process: Process) -> None:
    """Three weeks pass: the support phase runs now (the phases' dates, as the office would
    have set them)."""
    dates = {phase.kind: phase for phase in demo_phases(PhaseKind.SUPPORT, timezone.now())}
    for phase in process.phases.all():
        phase.starts_at, phase.ends_at = dates[phase.kind].starts_at, dates[phase.kind].ends_at
        phase.save(update_fields=["starts_at", "ends_at"])


def journey(open_tab, demo, *, viewport, language, javascript=True):  # noqa: F811
    width = viewport["width"]
    tag = f"{width}-{language}" + ("" if javascript else "-nojs")
    words = WORDS[language]
    process = Process.objects.get(slug="participatory-budget-2027")
    ProposalSettings.objects.create(process=process, support_threshold=2)
    Proposal.objects.create(
        process=process,
        author=demo["sam"],
        title="More shade by the river",
        body="Trees, please.",
        body_html="<p>Trees, please.</p>",
    )
    resident = open_tab(viewport=viewport, javascript=javascript)
    if language == "es":
        in_spanish(resident)
    resident.log_in_as(demo["maria"])
    page = resident.page
    page.goto(resident.url(f"/proposals/new/{process.slug}/"))
    look(resident)
    page.get_by_label(words["title"], exact=True).fill("Shade trees on the river walk")
    if javascript:  # the similar proposals show while the title is typed
        hint = page.locator(".similar-hint a").first
        hint.wait_for()
        assert hint.inner_text() == "More shade by the river"
        look(resident, f"proposal-hint-{tag}.png")
    page.get_by_label(words["body"], exact=True).fill("Plant **trees** every 20 metres.")
    page.get_by_role("button", name=words["check"]).click()
    look(resident, f"proposal-similar-{tag}.png")
    assert page.get_by_role("heading", name=words["similar"]).is_visible()
    assert page.get_by_label(words["title"], exact=True).input_value() == (
        "Shade trees on the river walk"
    )
    page.get_by_role("button", name=words["publish"]).click()
    look(resident, f"proposal-published-{tag}.png")
    proposal = Proposal.objects.get(title="Shade trees on the river walk")
    assert page.get_by_role("heading", level=1).inner_text() == proposal.title

    move_to_support_phase(process)
    for handle in ("first", "second"):
        supporter = UserFactory(
            handle=handle, verification=Verification.VERIFIED_RESIDENT, home_area="Centro"
        )
        tab = open_tab(viewport=PHONE, javascript=javascript)
        tab.log_in_as(supporter)
        tab.page.goto(tab.url(proposal.get_absolute_url()))
        look(tab)
        tab.page.get_by_role("button", name="Support this proposal").click()
        look(tab, f"proposal-supported-{handle}-{tag}.png" if handle == "second" else None)
        assert tab.page.get_by_role("button", name="Withdraw my support").is_visible()
        if handle == "second":  # a comment with its alignment, shown in words
            tab.page.get_by_label("In favour").check()
            tab.page.get_by_label("Your comment").fill("Shade would make the walk usable.")
            tab.page.get_by_role("button", name="Comment", exact=True).click()
            look(tab, f"proposal-commented-{tag}.png")
            comments = tab.page.locator('section[aria-labelledby="comments-heading"]')
            assert "In favour: 1" in comments.inner_text()
            assert comments.locator("article .badge").inner_text() == "In favour"
    proposal.refresh_from_db()
    assert proposal.support_count == 2 and proposal.state == ProposalState.AWAITING_ANSWER

    office = open_tab(viewport=DESKTOP, javascript=javascript)
    office.log_in_as(demo["roads_office"])
    office.page.goto(office.url(proposal.get_absolute_url()))
    look(office, f"proposal-to-answer-{width}{'' if javascript else '-nojs'}.png")
    office.page.get_by_label("Accepted").check()
    office.page.get_by_label("Reasons").fill("We plant them in **November**.")
    office.page.get_by_role("button", name="Publish the answer").click()
    look(office)
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.ANSWERED
    office.page.goto(office.url("/cases/accountability/roads-mobility/"))
    look(office, f"accountability-proposals-{width}{'' if javascript else '-nojs'}.png")
    figures = office.page.locator("#proposal-answers-caption").locator("xpath=..")
    assert figures.get_by_role("row", name="Answered on time").inner_text().split()[-1] == "1"

    page.goto(resident.url(proposal.get_absolute_url()))
    look(resident, f"proposal-answered-{tag}.png")
    answer = page.locator('section[aria-labelledby="answer-heading"]').inner_text()
    assert words["answer"] in answer and words["accepted"] in answer and "November" in answer
    page.goto(resident.url("/notifications/"))
    look(resident, f"proposal-notification-{tag}.png")
    assert words["told"] in page.locator("main").inner_text()
    narrow = open_tab(viewport=NARROW, javascript=javascript)
    if language == "es":
        in_spanish(narrow)
    narrow.log_in_as(demo["maria"])
    for path in (proposal.get_absolute_url(), "/notifications/"):
        narrow.page.goto(narrow.url(path))
        look(narrow)
    narrow.page.goto(narrow.url(f"{process.get_absolute_url()}?sort=supported#proposals"))
    look(narrow, f"process-proposals-320-{'js' if javascript else 'nojs'}-{language}.png")
    assert proposal.title in narrow.page.locator("#proposals").inner_text()


@pytest.mark.parametrize(
    ("viewport", "language"), [(PHONE, "en"), (DESKTOP, "es")], ids=["360-en", "1280-es"]
)
def test_a_proposal_reaches_its_threshold_and_is_answered(open_tab, demo, viewport, language):  # noqa: F811
    journey(open_tab, demo, viewport=viewport, language=language)


def test_the_journey_works_without_javascript(open_tab, demo):  # noqa: F811
    journey(open_tab, demo, viewport=PHONE, language="en", javascript=False)
