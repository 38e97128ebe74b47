"""The result page of a counted budget in a real browser: Kraków Dębniki 2018 counted by the
Method of Equal Shares, at 320 px and on a desktop, in English and Spanish, axe clean, and
without JavaScript. Screenshots go to var/screenshots/."""

from pathlib import Path

import pytest
from django.conf import settings

from agora.budgets import services
from agora.processes.models import Process
from tests.browser.conftest import browser, media_root, open_tab  # noqa: F401 - fixtures
from tests.budgets.conftest import PABULIB
from tests.directory.factories import OfficeFactory

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
