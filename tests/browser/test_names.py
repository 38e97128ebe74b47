"""A public case read by a visitor on a phone, in English and Spanish: a members-only resident's
comment reads as a resident, a hidden official's as the office, with no link to a profile the
visitor cannot open; the page stays accessible. Screenshots in var/screenshots/."""

import pytest

from agora.accounts.models import Role, Visibility
from agora.cases import services as case_services
from agora.directory import services as directory_services
from tests.cases.conftest import build_city
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 900}


@pytest.mark.parametrize(
    ("language", "resident", "office"),
    [("en", "A resident", "Public Lighting Unit"), ("es", "Una persona residente", None)],
)
def test_a_visitor_reads_hidden_people_as_a_resident_and_the_office(
    open_tab, transactional_db, settings, language, resident, office
):
    town = build_city()
    sam = UserFactory(handle="sam", display_name="Sam Patel", profile_visibility="members")
    official = UserFactory(
        display_name="Olga Official", role=Role.OFFICIAL, profile_visibility=Visibility.PRIVATE
    )
    directory_services.add_official(town.lighting_office, official)
    case = town.submit()
    case_services.comment_on_case(case, by=sam, body="It is dark here too.")
    case_services.comment_on_case(case, by=official, body="A crew goes on Monday.")

    tab = open_tab(viewport=PHONE)
    tab.page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": tab.origin}]
    )
    tab.page.goto(tab.url(case.get_absolute_url()))
    comments = tab.page.locator("#comments")
    text = comments.inner_text()
    assert "Sam Patel" not in text and "@sam" not in text and "Olga" not in text
    assert resident in text
    assert comments.locator('a[href^="/@"]').count() == 0
    if office:
        assert comments.get_by_role("link", name=office).count() == 1
    tab.assert_fits_width()
    comments.screenshot(path=f"var/screenshots/case-hidden-names-phone-{language}.png")
    tab.audit()
