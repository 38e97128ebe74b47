"""The result page of a counted budget in a real browser: Kraków Dębniki 2018 counted by the
Method of Equal Shares, at 320 px and on a desktop, in English and Spanish, axe clean, and
without JavaScript. Screenshots go to var/screenshots/."""

from pathlib import Path

import pytest
from django.conf import settings

from agora.accounts.models import Verification
from agora.budgets import services
from agora.budgets.models import Ballot, Budget
from agora.processes.models import PhaseKind, Process
from tests.browser.conftest import browser, media_root, open_tab  # noqa: F401 - fixtures
from tests.budgets.conftest import PABULIB
from tests.budgets.test_ballot import a_budget
from tests.directory.factories import OfficeFactory
from tests.factories import UserFactory
from tests.processes.conftest import build_town

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("var/screenshots")
NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}


def test_the_result_page_reads_well_everywhere(open_tab):  # noqa: F811
    process = Process.objects.create(
        slug="pb-debniki",
        title_en="Dębniki participatory budget 2018",
        title_es="Presupuesto participativo de Dębniki 2018",
        office=OfficeFactory(),
        is_published=True,
    )
    budget = services.import_election(
        PABULIB / "poland_krakow_2018_debniki.pb",
        process=process,
        rule="equal-shares",
        title_en="Dębniki 2018",
        title_es="Dębniki 2018",
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    for viewport, javascript, size in ((NARROW, True, "320"), (WIDE, False, "desktop")):
        for language, heading, reason in (
            ("en", "Result: Dębniki 2018", "its supporters’ shares ran out"),
            ("es", "Resultado: Dębniki 2018", "las cuotas de sus partidarios se agotaron"),
        ):
            tab = open_tab(viewport=viewport, javascript=javascript)
            tab.page.context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": tab.origin}]
            )
            tab.page.goto(tab.url(budget.get_absolute_url()))
            assert tab.page.get_by_role("heading", level=1).inner_text() == heading
            table = tab.page.get_by_role("table")
            assert reason in table.inner_text()
            assert table.get_by_role("row").count() == 20
            if javascript:
                tab.audit()
            tab.assert_fits_width()
            tab.page.screenshot(
                path=str(SHOTS / f"budget-result-{size}-{language}.png"), full_page=True
            )


def test_a_resident_fixes_an_over_budget_ballot_casts_it_and_sees_the_result(open_tab):  # noqa: F811
    """The ballot journey: a knapsack ballot over budget is refused with the running total and
    what was ticked kept, fixed and cast; then, once counted, the result page. Without
    JavaScript at 320 px in Spanish, with it on a desktop in English (the total updates as
    the resident ticks); axe clean."""
    town = build_town()
    process = town.process((PhaseKind.SUPPORT, -1, 10))
    budget = a_budget(process)
    SHOTS.mkdir(parents=True, exist_ok=True)
    runs = (
        (NARROW, False, "320", "es", "Tu papeleta aún no se puede emitir"),
        (WIDE, True, "desktop", "en", "Your ballot cannot be cast yet"),
    )
    for viewport, javascript, size, language, refused in runs:
        resident = UserFactory(home_area="North", verification=Verification.VERIFIED_RESIDENT)
        tab = open_tab(viewport=viewport, javascript=javascript)
        tab.page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": tab.origin}]
        )
        tab.log_in_as(resident)
        tab.page.goto(tab.url(budget.get_absolute_url()))
        for key in ("lights", "pavement", "racks"):
            tab.page.get_by_label(f"Project {key}").check()
        if javascript:
            assert tab.page.locator('[data-total="left"]').inner_text() == "-40,000"
            tab.audit()
        tab.page.locator('button[value="check"]').click()
        alert = tab.page.get_by_role("alert")
        assert refused in alert.inner_text()
        assert tab.page.get_by_label("Project pavement").is_checked()  # what was ticked is kept
        left = tab.page.locator('[data-total="left"]').inner_text()
        assert left == {"en": "-40,000", "es": "-40\xa0000"}[language]
        tab.assert_fits_width()
        shot = SHOTS / f"budget-ballot-refused-{size}-{language}.png"
        tab.page.screenshot(path=str(shot), full_page=True)
        if javascript:
            tab.audit()
        tab.page.get_by_label("Project pavement").uncheck()
        tab.page.locator('button[value="cast"]').click()
        assert tab.page.get_by_role("status").count() >= 1
        assert Ballot.objects.get(budget=budget, voter=resident).projects == ["lights", "racks"]
        tab.assert_fits_width()
        shot = SHOTS / f"budget-ballot-cast-{size}-{language}.png"
        tab.page.screenshot(path=str(shot), full_page=True)
        if javascript:
            tab.audit()
    Budget.objects.filter(pk=budget.pk).update(is_closed=True)
    budget.refresh_from_db()
    services.count_budget(budget)
    tab = open_tab(viewport=NARROW, javascript=True)
    tab.page.goto(tab.url(budget.get_absolute_url()))
    assert tab.page.get_by_role("heading", level=1).inner_text() == "Result: Safe streets"
    assert tab.page.get_by_role("img", name="Money by project").count() == 1
    tab.audit()
    tab.assert_fits_width()
    tab.page.screenshot(path=str(SHOTS / "budget-result-chart-320-en.png"), full_page=True)


def test_a_manager_makes_a_project_of_a_proposal_with_an_image(open_tab, tmp_path):  # noqa: F811
    """The managers' pages at 320 px with JavaScript and axe: from the ballot page to the
    projects, "Make a project of an accepted proposal", the prefilled form refused for an
    image without its description (what was typed kept), then saved; the ballot shows the
    image at its size, lazily, with the proposal's link; the proposal links back."""
    from io import BytesIO

    from PIL import Image

    from agora.proposals import services as proposal_services
    from tests.proposals.conftest import a_proposal

    town = build_town()
    budget = a_budget(town.process((PhaseKind.SUPPORT, -1, 10)))
    proposal = a_proposal(budget.process, town.verified, title="Benches along the river")
    proposal_services.answer_proposal(proposal, by=town.official, answer="accepted")
    photo = tmp_path / "bench.jpg"
    buffer = BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 60)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())

    tab = open_tab(viewport=NARROW, javascript=True)
    tab.log_in_as(town.official)
    tab.page.goto(tab.url(budget.get_absolute_url()))
    tab.page.get_by_role("link", name="Make a project of an accepted proposal").click()
    tab.audit()
    tab.page.get_by_label("Benches along the river").check()
    tab.page.get_by_role("button", name="Continue with this proposal").click()
    assert tab.page.get_by_label("Title").input_value() == "Benches along the river"
    tab.page.get_by_label("Cost").fill("8000")
    tab.page.get_by_label("Image", exact=True).set_input_files(str(photo))
    tab.page.get_by_role("button", name="Add the project").click()
    assert "Describe what the image shows" in tab.page.get_by_role("main").inner_text()
    assert tab.page.get_by_label("Cost").input_value() == "8000"
    tab.audit()
    tab.assert_fits_width()
    tab.page.screenshot(path=str(SHOTS / "budget-project-refused-320-en.png"), full_page=True)
    tab.page.get_by_label("Image", exact=True).set_input_files(str(photo))
    tab.page.get_by_label("Image description").fill("Three wooden benches by the water")
    tab.page.get_by_role("button", name="Add the project").click()
    assert "The project is added to the ballot." in tab.page.get_by_role("main").inner_text()
    tab.audit()
    tab.assert_fits_width()

    tab.page.goto(tab.url(budget.get_absolute_url()))
    image = tab.page.get_by_role("img", name="Three wooden benches by the water")
    assert image.get_attribute("loading") == "lazy"
    assert (image.get_attribute("width"), image.get_attribute("height")) == ("800", "600")
    tab.page.get_by_role("link", name="Benches along the river").click()
    assert "This proposal became the project" in tab.page.get_by_role("main").inner_text()
    tab.audit()
    tab.page.screenshot(path=str(SHOTS / "budget-proposal-link-320-en.png"), full_page=True)

    # The budget itself: its page refuses what cannot stand and keeps what was typed.
    tab.page.goto(tab.url(budget.get_absolute_url()))
    tab.page.get_by_role("link", name="Change the budget").click()
    tab.page.get_by_label("Amount").fill("0")
    tab.page.get_by_role("button", name="Save the budget").click()
    assert "A budget needs an amount above zero." in tab.page.get_by_role("main").inner_text()
    assert tab.page.get_by_label("Title in English").input_value() == "Safe streets"
    tab.at_each_width(
        {"320": NARROW, "desktop": WIDE},
        str(SHOTS / "budget-edit-refused-en"),
    )
    tab.page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "es", "url": tab.origin}]
    )
    tab.page.reload()
    assert "Cambiar el presupuesto" in tab.page.get_by_role("heading", level=1).inner_text()
    tab.at_each_width({"320": NARROW}, str(SHOTS / "budget-edit-es"))
