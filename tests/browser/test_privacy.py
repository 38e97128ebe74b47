"""A person's data rights in a real browser: Vera downloads her data (the worker builds it,
the email links it, the link gives her the ZIP), then deletes her account keeping her posts
as "Former member", and Omar sees her post that way; in between, without JavaScript, she sets
quiet hours (a half-typed pair is refused, keeping what she typed) and hides counts. Axe audits
every page with JavaScript; the deletion itself works without it; every page fits 320 px.
Screenshots in var/shots/."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from agora.accounts.models import User
from agora.social import services as social
from tests.factories import PASSWORD, UserFactory
from tests.helpers import sent_messages

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"
PHONE = {"width": 320, "height": 640}


def shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.slow
def test_download_my_data_then_delete_my_account_keeping_posts_as_former_member(
    open_tab, mail_dir, settings, tmp_path
):
    settings.AGORA_EXPORT_DIR = tmp_path / "exports"
    vera = UserFactory(handle="vera_v", display_name="Vera Verity", email="vera@example.org")
    omar = UserFactory(handle="omar", display_name="Omar Ortiz")
    post = social.create_post(by=vera, body="Shade trees on every cycle lane, please.")

    tab = open_tab(viewport=PHONE)
    tab.log_in_as(vera)
    page = tab.page
    page.goto(tab.url("/settings/data/"))
    tab.audit()
    tab.assert_fits_width()
    shot(tab, "your-data-phone-en")
    page.get_by_role("button", name="Prepare my data").click()
    page.wait_for_url(tab.url("/settings/data/"))
    assert page.get_by_text("We are preparing your data.").is_visible()
    assert page.get_by_text("Being prepared").is_visible()
    tab.audit()

    call_command("worker", batch=True, verbosity=0)
    (message,) = [m for m in sent_messages(mail_dir) if "ready" in str(m["Subject"])]
    link = re.search(r"https?://\S+/settings/data/exports/\S+/", message.get_content()).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    with page.expect_download() as download:
        page.evaluate("(url) => { window.location.href = url; }", tab.url("/" + path))
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "posts.json" in archive.namelist() and "README.txt" in archive.namelist()
    assert b"Shade trees on every cycle lane" in archive.read("posts.csv")
    page.goto(tab.url("/settings/data/"))
    tab.audit()
    shot(tab, "your-data-ready-phone-en")

    # Calm settings without JavaScript: quiet hours and hidden counts.
    plain = open_tab(viewport=PHONE, javascript=False)
    plain.log_in_as(vera)
    social.like_post(post, by=omar)
    plain.page.goto(plain.url("/notifications/settings/calm/"))
    plain.assert_fits_width()
    plain.page.get_by_label("Quiet hours start at").fill("23:00")
    plain.page.get_by_role("button", name="Save settings").click()
    refused = "Give both the start and the end of your quiet hours."
    assert plain.page.get_by_text(refused).is_visible()
    assert plain.page.get_by_label("Quiet hours start at").input_value() == "23:00"
    plain.page.get_by_label("Quiet hours end at").fill("07:00")
    plain.page.get_by_label("Hide them everywhere I look, and on my posts").check()
    plain.page.get_by_role("button", name="Save settings").click()
    assert plain.page.get_by_text("Your calm settings are saved.").is_visible()
    assert plain.page.get_by_label("Quiet hours end at").input_value() == "07:00"
    shot(plain, "calm-settings-phone-en")
    plain.page.goto(plain.url(f"/posts/{post.pk}/"))
    actions = plain.page.locator(".post-actions").first.inner_text()
    assert "Like" in actions and "(1)" not in actions and "share" not in actions

    # The deletion, without JavaScript.
    plain.page.goto(plain.url("/settings/data/"))
    plain.assert_fits_width()
    plain.page.get_by_label('Keep it, shown as written by "Former member"').check()
    plain.page.get_by_label("Your password").fill("not my password")
    plain.page.get_by_role("button", name="Delete my account").click()
    assert plain.page.get_by_text("That is not your password.").is_visible()
    assert plain.page.get_by_label('Keep it, shown as written by "Former member"').is_checked()
    shot(plain, "delete-wrong-password-phone-en")
    plain.page.get_by_label("Your password").fill(PASSWORD)
    plain.page.get_by_role("button", name="Delete my account").click()
    plain.page.wait_for_url(plain.url("/"))
    assert plain.page.get_by_text("Your account is deleted.").is_visible()
    assert User.objects.get(pk=vera.pk).left_at is not None

    reader = open_tab()
    reader.log_in_as(omar)
    reader.page.goto(reader.url(f"/posts/{post.pk}/"))
    reader.audit()
    main = reader.page.get_by_role("main")
    assert main.get_by_text("Shade trees on every cycle lane, please.").is_visible()
    assert main.get_by_text("Former member").first.is_visible()
    assert "Vera Verity" not in main.inner_text()
    shot(reader, "former-member-post-desktop-en")
    narrow = open_tab(viewport=PHONE)
    narrow.log_in_as(omar)
    narrow.page.goto(narrow.url(f"/posts/{post.pk}/"))
    narrow.audit()
    narrow.assert_fits_width()


def test_the_pages_in_spanish_fit_a_phone(open_tab):
    from datetime import date

    from agora.privacy.services import record_data_request

    record_data_request(
        by=UserFactory(is_staff=True),
        received_on=date(2026, 3, 2),
        requester="court",
        requesting_body="Juzgado n.º 3",
        legal_basis="Ley de Enjuiciamiento Criminal",
        outcome="refused",
        accounts=[UserFactory()],
    )
    eva = UserFactory(handle="eva", display_name="Eva Espinosa", preferred_language="es")
    for viewport, name in ((PHONE, "phone"), ({"width": 1280, "height": 900}, "desktop")):
        tab = open_tab(viewport=viewport)
        tab.log_in_as(eva)
        tab.page.goto(tab.url("/settings/data/"))
        tab.audit()
        tab.assert_fits_width()
        assert tab.page.get_by_role("heading", name="Tus datos", exact=True, level=1).is_visible()
        shot(tab, f"your-data-{name}-es")
        for path, heading, page_name in (
            ("/notifications/settings/calm/", "Ajustes de calma", "calm"),
            ("/transparency/data-requests/", "Peticiones de datos de las personas", "report"),
        ):
            tab.page.goto(tab.url(path))
            tab.audit()
            tab.assert_fits_width()
            assert tab.page.get_by_role("heading", name=heading, level=1).is_visible()
            shot(tab, f"{page_name}-{name}-es")
