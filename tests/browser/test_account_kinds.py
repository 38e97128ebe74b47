"""A reader on a 320 px phone without JavaScript tells the kinds of voice apart: the badges of an
institutional and a political account on the home feed and on a profile, the feed filtered by
kind, and why a badge is there, opened on the profile. axe clean. Screenshots (phone and
desktop, English and Spanish) in var/shots/."""

import pytest

from agora.accounts import services as account_services
from agora.accounts.kinds import AccountKind
from agora.accounts.models import Role
from agora.directory import services as directory_services
from agora.social import services as social
from tests.directory.factories import AuthorityFactory, OfficeFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 900}
DESKTOP = {"width": 1280, "height": 900}


def test_a_reader_tells_the_kinds_of_voice_apart(open_tab, transactional_db, settings):
    administrator = UserFactory(display_name="Ada Admin", role=Role.ADMINISTRATOR)
    office = OfficeFactory(slug="water", name_en="Water Service", authority=AuthorityFactory())
    service = UserFactory(handle="water", display_name="Water Service", role=Role.OFFICIAL)
    directory_services.add_official(office, service)
    account_services.set_kind(service, kind=AccountKind.INSTITUTIONAL, by=administrator)
    councillor = UserFactory(handle="elena", display_name="Elena Ortiz")
    account_services.set_kind(
        councillor,
        kind=AccountKind.POLITICAL,
        by=administrator,
        detail="Councillor, Centro district",
    )
    reader = UserFactory(handle="maria", display_name="María López")
    social.follow(service, by=reader)
    social.follow(councillor, by=reader)
    social.create_post(by=service, body="Water pressure is low in Centro until 14:00.")
    social.create_post(by=councillor, body="I will ask the council to extend the bike lane.")

    tab = open_tab(viewport=PHONE, javascript=False)
    tab.log_in_as(reader)
    tab.page.goto(tab.url("/home/"))
    feed = tab.page.locator("#main")
    assert feed.locator(".kind-badge--institutional").first.inner_text() == "Institutional"
    assert feed.locator(".kind-badge--political").first.inner_text() == "Political"
    tab.assert_fits_width()
    tab.page.screenshot(path="var/shots/kinds-home-phone-en.png", full_page=True)

    tab.page.get_by_role("link", name="Political", exact=True).click()
    assert "filter=political" in tab.page.url
    posts = tab.page.locator("article.post")
    assert posts.count() == 1
    assert "bike lane" in posts.first.inner_text()
    assert "Water pressure" not in tab.page.locator("#main").inner_text()

    posts.first.get_by_role("link", name="Elena Ortiz @elena").click()
    assert tab.page.url.endswith("/@elena/")
    profile = tab.page.locator(".profile-header")
    assert "Political" in profile.inner_text()
    assert "Councillor, Centro district" in profile.inner_text()
    why = tab.page.locator("#why-badges")
    assert not why.locator("dd").first.is_visible()
    why.locator("summary").click()  # a disclosure: no script needed
    explanation = why.locator("dd").first.inner_text()
    assert "An elected representative, a party group or a candidate." in explanation
    assert "Set by Ada Admin (an administrator) on" in explanation
    tab.assert_fits_width()
    tab.page.screenshot(path="var/shots/kinds-profile-phone-en.png", full_page=True)

    # axe needs JavaScript: the same pages in a tab with it, in English and Spanish, on a
    # phone and on a desktop.
    tab = open_tab(viewport=PHONE)
    tab.log_in_as(reader)
    for path in ("/home/", "/home/?filter=political", "/@elena/"):
        tab.page.goto(tab.url(path))
        tab.audit()
    tab.page.locator("#why-badges summary").click()
    tab.audit()
    tab.page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "es", "url": tab.origin}]
    )
    tab.page.goto(tab.url("/home/"))
    assert tab.page.locator(".kind-badge--political").first.inner_text() == "Política"
    tab.page.screenshot(path="var/shots/kinds-home-phone-es.png", full_page=True)
    tab.audit()
    tab.page.goto(tab.url("/@elena/"))
    tab.page.locator("#why-badges summary").click()
    assert "Un cargo electo" in tab.page.locator("#why-badges").inner_text()
    tab.page.screenshot(path="var/shots/kinds-profile-phone-es.png", full_page=True)
    tab.audit()
    tab.page.set_viewport_size(DESKTOP)
    tab.page.goto(tab.url("/home/?filter=institutional"))
    assert "Water pressure" in tab.page.locator("#main").inner_text()
    tab.page.screenshot(path="var/shots/kinds-home-desktop-es.png", full_page=True)
    tab.audit()
