"""A petition in a real browser, at 320 px: a resident starts it; a co-sponsor backs it by the
private link; a moderator publishes it; two residents sign it, crossing the threshold of 2
(a written response); the office responds; the first signer sees the response on the
petition and in their notifications. axe on every page; the journey once with JavaScript and
once without. Screenshots go to var/screenshots/."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from agora.petitions.models import Brings, Petition, PetitionState, Threshold
from tests.petitions.conftest import residents
from tests.processes.conftest import build_town

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


def journey(open_tab, town, *, javascript: bool, title: str) -> None:
    tag = "js" if javascript else "nojs"
    author, cosponsor, first, second = residents(4, prefix=f"Resident {tag}")

    def tab_of(person):
        tab = open_tab(viewport=NARROW, javascript=javascript)
        tab.log_in_as(person)
        return tab

    start = tab_of(author)
    page = start.page
    page.goto(start.url("/petitions/new/"))
    look(start, f"petition-start-{tag}.png")
    page.get_by_label("Title").fill(title)
    page.get_by_label("What the petition asks").fill("Plant trees along the river walk.")
    page.get_by_label("Why").fill("It is **too hot** in summer.")
    page.get_by_label("Addressed to").select_option(label="Cycling Unit")
    page.get_by_label("Closes on").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Save the draft").click()
    look(start)
    page.get_by_role("button", name="Ask for co-sponsors").click()
    look(start, f"petition-collecting-{tag}.png")
    link = page.locator(".cosponsor-link").inner_text().strip()
    petition = Petition.objects.get(title=title)
    assert link.endswith(f"/cosponsor/{petition.cosponsor_token}/")

    backer = tab_of(cosponsor)
    backer.page.goto(link)
    look(backer, f"petition-cosponsor-{tag}.png")
    backer.page.get_by_role("button", name="Co-sponsor this petition").click()
    look(backer)
    assert Petition.objects.get(pk=petition.pk).state == PetitionState.AWAITING_MODERATION

    moderator = tab_of(town.moderator)
    moderator.page.goto(moderator.url(petition.get_absolute_url()))
    look(moderator, f"petition-moderation-{tag}.png")
    moderator.page.get_by_role("button", name="Publish the petition").click()
    look(moderator)
    assert Petition.objects.get(pk=petition.pk).state == PetitionState.OPEN

    for signer, show in ((first, True), (second, False)):
        tab = tab_of(signer)
        tab.page.goto(tab.url(petition.get_absolute_url()))
        look(tab)
        if show:
            tab.page.get_by_label("Show my name on the petition").check()
        tab.page.get_by_role("button", name="Sign this petition").click()
        look(tab, f"petition-signed-{tag}.png" if show else None)
        assert "You signed this petition." in tab.page.locator("main").inner_text()
    petition.refresh_from_db()
    assert petition.signature_count == 2 and petition.response_due_at is not None
    moderator.page.goto(moderator.url(f"{petition.get_absolute_url()}integrity/"))
    look(moderator, f"petition-integrity-{tag}.png")
    assert "Signatures per hour" in moderator.page.locator("main").inner_text()

    office = tab_of(town.official)
    office.page.goto(office.url(petition.get_absolute_url()))
    look(office, f"petition-to-respond-{tag}.png")
    office.page.get_by_label("The office's response").fill("We plant **40 trees** in November.")
    office.page.get_by_role("button", name="Publish the response").click()
    look(office)

    reader = tab_of(first)
    reader.page.goto(reader.url(petition.get_absolute_url()))
    look(reader, f"petition-responded-{tag}.png")
    outcome = reader.page.locator('section[aria-labelledby="outcome-heading"]').inner_text()
    assert "40 trees" in outcome and "Cycling Unit" in outcome
    areas = reader.page.locator('section[aria-labelledby="areas-heading"]')
    assert areas.locator("svg").count() == 1 and first.name in areas.inner_text()
    assert second.name not in areas.inner_text()
    reader.page.goto(reader.url("/notifications/"))
    look(reader)
    assert "The office responded to the petition" in reader.page.locator("main").inner_text()


def test_a_petition_is_backed_published_signed_past_its_threshold_and_answered(
    open_tab, transactional_db, settings
):
    settings.AGORA_PETITION_COSPONSORS = 1
    town = build_town()
    Threshold.objects.create(authority=town.cycling_unit.authority, count=2, brings=Brings.RESPONSE)
    journey(open_tab, town, javascript=True, title="Shade on the river walk")
    journey(open_tab, town, javascript=False, title="Benches on the river walk")
