"""The public log's chart in a real browser, on a 320 px phone and a desktop, in English and
Spanish, with and without JavaScript: nothing wider than the screen, no label cut off at the
SVG's edge, its text drawn at the page's size (four fifths of it at least on a phone), axe
finds nothing, the strict CSP is kept (the colours come from the app's CSS file). Screenshots
land in var/screenshots/."""

from datetime import timedelta

import pytest

from agora.moderation import figures, services
from agora.moderation.models import Decision, ModeratedItem, Report
from agora.social import services as social
from tests.browser.conftest import browser, media_root, open_tab  # noqa: F401 - fixtures
from tests.browser.test_charts import DRAWN_SIZES, assert_no_label_is_clipped, screenshot
from tests.moderation.conftest import settled
from tests.moderation.test_reports import report

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 320, "height": 640}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def a_year_of_decisions(transactional_db, author, moderator, rules):
    """Decisions in this month and in twelve months before it: a full chart."""
    for months_ago in range(13):
        post = social.create_post(by=author, body=f"Reported post {months_ago}")
        report(post, settled())
        item = ModeratedItem.objects.get(object_id=post.pk, kind="post")
        decision = services.decide(
            item, by=moderator, action="hide", rule=rules[1], facts="An insult."
        )
        year, month = divmod(
            decision.created_at.year * 12 + decision.created_at.month - 1 - months_ago, 12
        )
        moment = decision.created_at.replace(
            year=year, month=month + 1, day=min(decision.created_at.day, 28)
        )
        Decision.objects.filter(pk=decision.pk).update(created_at=moment)
        Report.objects.filter(item=item).update(created_at=moment - timedelta(hours=3))
        ModeratedItem.objects.filter(pk=item.pk).update(
            first_reported_at=moment - timedelta(hours=3)
        )
    figures.recount()  # the rows were moved by hand: the kept monthly counts follow them


def test_the_log_chart_reads_right_on_a_phone_and_a_desktop(
    open_tab,  # noqa: F811 - the fixture imported above
    a_year_of_decisions,
):
    for language in ("en", "es"):
        for viewport_name, viewport in VIEWPORTS.items():
            for javascript in (True, False):
                tab = open_tab(viewport=viewport, javascript=javascript)
                tab.page.context.add_cookies(
                    [{"name": "django_language", "value": language, "url": tab.origin}]
                )
                tab.page.goto(tab.url("/moderation/log/"))
                if javascript:
                    tab.audit()
                tab.assert_fits_width()
                chart = tab.page.locator("svg.moderation-chart__drawing")
                assert chart.locator("rect").count() == 2 * chart.locator("g").count() >= 26
                colour = chart.locator("rect.moderation-chart__bar--reports").first.evaluate(
                    "(bar) => getComputedStyle(bar).fill"
                )
                assert colour == "rgb(29, 79, 145)", (
                    "the stylesheet's colour, not the default black"
                )
                assert_no_label_is_clipped(tab, "svg.moderation-chart__drawing")
                sizes = chart.evaluate(DRAWN_SIZES)
                least = 1.0 if viewport_name == "desktop" else 0.8
                assert least * sizes["page"] <= sizes["drawn"] <= sizes["page"], sizes
                if javascript:
                    screenshot(tab, f"moderation-log-{viewport_name}-{language}")
