"""A person's whole path through the site in a real browser: sign up, confirm the email the
worker sends, log in, fill in the profile, see it, log out. Axe audits every page on the way;
narrow screens, the account pages and browsers without JavaScript get their own tests.

Every tab is also checked when its test ends (see conftest): no request left the live server,
the browser logged no error (a content security policy breach is one) and axe saw every page."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image, ImageDraw

from agora.accounts import services
from agora.accounts.models import User, Verification
from tests.factories import PASSWORD, UserFactory
from tests.helpers import sent_messages

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
# Django's forms end a label with a colon, which becomes part of the accessible name.
PASSWORD_LABEL = re.compile(r"^Password:?$")
AVATAR_LABEL = re.compile(r"^Avatar:?$")
CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def make_avatar(path: Path) -> Path:
    image = Image.new("RGB", (200, 160), (11, 83, 148))
    ImageDraw.Draw(image).ellipse((50, 30, 150, 130), fill=(255, 191, 71))
    image.save(path, format="PNG")
    return path


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


@pytest.mark.slow
def test_a_person_signs_up_confirms_fills_in_the_profile_and_logs_out(open_tab, mail_dir, tmp_path):
    tab = open_tab()
    page = tab.page

    page.goto(tab.url("/"))
    tab.audit()
    main_nav(page).get_by_role("link", name="Sign up").click()
    page.wait_for_url(tab.url("/accounts/signup/"))
    tab.audit()

    # A form sent empty comes back with its errors next to the fields, and stays accessible.
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state("load")
    assert page.get_by_label("Email").get_attribute("aria-invalid") == "true"
    tab.audit()

    page.get_by_label("Email").fill("mira@example.org")
    page.get_by_label(re.compile(r"^(Handle|Username)")).fill("mira_k")
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    tab.audit()

    # The request only queued the confirmation email; the worker sends it.
    assert sent_messages(mail_dir) == []
    call_command("worker", batch=True, verbosity=0)
    (message,) = sent_messages(mail_dir)
    assert message["To"] == "mira@example.org"
    link = CONFIRMATION_LINK.search(message.get_body(("plain",)).get_content()).group(0)
    assert link.startswith(tab.origin)

    page.goto(link)
    tab.audit()
    page.get_by_role("button", name="Confirm my address").click()
    # Confirmed in the browser that signed up: signed in at once, where they left off.
    page.wait_for_url(tab.url("/"))
    tab.audit()
    assert User.objects.get(handle="mira_k").verification == Verification.EMAIL_CONFIRMED
    assert main_nav(page).get_by_role("link", name="Settings").count() == 1

    main_nav(page).get_by_role("link", name="Settings").click()
    page.wait_for_url(tab.url("/settings/profile/"))
    tab.audit()
    page.get_by_label("Display name").fill("Mira Kovač")
    page.get_by_label("Bio").fill("I cycle to work and care about safe crossings.")
    page.get_by_label("Signed-in members").check()
    page.get_by_label(AVATAR_LABEL).set_input_files(make_avatar(tmp_path / "mira.png"))
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("status").filter(has_text="Your profile is saved.").is_visible()
    tab.audit()

    page.get_by_role("link", name="See your public profile").click()
    page.wait_for_url(tab.url("/@mira_k/"))
    tab.audit()
    assert page.get_by_role("heading", level=1).inner_text() == "Mira Kovač"
    assert page.get_by_text("I cycle to work and care about safe crossings.").is_visible()
    assert page.get_by_text("Who can see this profile: Signed-in members.").is_visible()
    avatar = page.get_by_role("img", name="Avatar of Mira Kovač")
    assert avatar.evaluate("image => image.complete && image.naturalWidth > 0")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(tab.url("/"))
    tab.audit()
    assert main_nav(page).get_by_role("link", name="Log in").is_visible()


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/"])
def test_entrance_pages_fit_a_320_pixel_screen(open_tab, path):
    tab = open_tab(viewport=NARROW)
    tab.page.goto(tab.url(path))
    tab.audit()
    tab.assert_fits_width()


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_phone_the_main_links_fold_behind_a_menu(open_tab, javascript):
    person = UserFactory(handle="phone_user")
    tab = open_tab(viewport=NARROW, javascript=javascript)
    tab.log_in_as(person)
    page = tab.page
    page.goto(tab.url("/conversations/"))
    menu = main_nav(page).locator("summary")
    settings_link = main_nav(page).get_by_role("link", name="Settings")
    assert menu.inner_text() == "Menu" and not settings_link.is_visible()
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 80  # one line, not four
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")
    assert menu.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert settings_link.is_visible()
    if javascript:
        tab.audit()
    tab.assert_fits_width()
    settings_link.click()
    page.wait_for_url(tab.url("/settings/profile/"))
    if javascript:
        tab.audit()


def test_on_a_wide_screen_the_main_links_show_without_a_menu(open_tab):
    tab = open_tab()
    tab.log_in_as(UserFactory())
    tab.page.goto(tab.url("/conversations/"))
    tab.audit()
    nav = main_nav(tab.page)
    assert nav.get_by_role("link", name="Settings").is_visible()
    assert not nav.locator("summary").is_visible()


def test_profile_and_settings_pages_fit_a_320_pixel_screen(open_tab):
    person = UserFactory(
        handle="a_rather_long_handle_for_tests",
        display_name="Maximiliane Wolkenstein-Oberhausen",
        bio="Neighbourhood council, streets and parks.",
    )
    services.create_access_token(person, name="The tram timetable app on my phone")
    tab = open_tab(viewport=NARROW)
    tab.log_in_as(person)
    for path in [f"/@{person.handle}/", "/settings/profile/", "/settings/tokens/"]:
        tab.page.goto(tab.url(path))
        tab.audit()
        tab.assert_fits_width()


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/settings/verification/",
        "/settings/tokens/",
    ],
)
def test_account_pages_are_accessible(open_tab, path):
    tab = open_tab()
    tab.log_in_as(UserFactory())
    tab.page.goto(tab.url(path))
    tab.audit()


def test_password_change_errors_are_accessible(open_tab):
    tab = open_tab()
    tab.log_in_as(UserFactory())
    tab.page.goto(tab.url("/accounts/password/change/"))
    tab.audit()
    tab.page.get_by_role("button", name=re.compile("change password", re.IGNORECASE)).click()
    tab.page.wait_for_load_state("load")
    assert tab.page.get_by_text("This field is required.").first.is_visible()
    tab.audit()


def test_password_reset_pages_are_accessible(open_tab):
    person = UserFactory()
    tab = open_tab()
    tab.page.goto(tab.url("/accounts/password/reset/"))
    tab.audit()
    tab.page.get_by_label("Email").fill(person.email)
    tab.page.get_by_role("button", name=re.compile("reset", re.IGNORECASE)).click()
    tab.page.wait_for_url(re.compile(r"/accounts/password/reset/done/$"))
    tab.audit()


def test_a_wrong_password_is_reported_accessibly(open_tab):
    person = UserFactory()
    tab = open_tab()
    tab.page.goto(tab.url("/accounts/login/"))
    tab.audit()
    tab.page.get_by_label("Email").fill(person.email)
    tab.page.get_by_label(PASSWORD_LABEL).fill("not-the-password-at-all")
    tab.page.get_by_role("button", name="Log in").click()
    tab.page.wait_for_load_state("load")
    assert tab.page.get_by_text("not correct").is_visible()
    tab.audit()


def test_without_javascript_a_person_logs_in_saves_the_profile_and_logs_out(open_tab):
    person = UserFactory(display_name="Before")
    tab = open_tab(javascript=False)
    page = tab.page
    page.goto(tab.url("/accounts/login/"))
    page.get_by_label("Email").fill(person.email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(tab.url("/"))
    main_nav(page).get_by_role("link", name="Settings").click()
    page.wait_for_url(tab.url("/settings/profile/"))
    page.get_by_label("Display name").fill("After, without scripts")
    page.get_by_label("Only me").check()
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Your profile is saved.").is_visible()
    person.refresh_from_db()
    assert person.display_name == "After, without scripts"
    assert person.profile_visibility == "private"

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(tab.url("/"))
    assert main_nav(page).get_by_role("link", name="Log in").is_visible()
