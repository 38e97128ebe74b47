"""The site's identity: colours refused when text on them would be hard to read (with the
ratio, keeping what was typed), a crest kept as pixels only, read by pages without a query,
and its colours served as a stylesheet whose URL names its content."""

import io
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from agora.accounts.models import Role
from agora.core import colours, identity
from agora.core.audit import entries_for
from agora.core.identity_forms import SiteIdentityForm
from agora.core.models import SiteIdentity
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_URL = "/admin/core/siteidentity/"
VALID = {
    "authority_name_en": "Riverside Borough",
    "authority_name_es": "Municipio de Riverside",
    "main_colour": "#0b5394",
    "main_text_colour": "#ffffff",
    "email": "hello@riverside.example",
    "phone": "+34 910 000 000",
    "postal_address": "Town Hall\nRiver Street 1",
    "opening_hours_en": "Weekdays 9:00 to 14:00",
    "opening_hours_es": "Laborables de 9:00 a 14:00",
}


def crest_upload(*, image_format="JPEG", exif=True, name="crest.jpg"):
    image = Image.new("RGB", (640, 480), (20, 90, 60))
    output = io.BytesIO()
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SpyCam Inc."  # Make
        data[0x0132] = "2026:01:01 10:00:00"  # DateTime
        extra["exif"] = data.tobytes()
    image.save(output, format=image_format, **extra)
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


@pytest.fixture
def admin_client(db):
    administrator = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    TOTP.activate(administrator, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(administrator)
    client.administrator = administrator
    return client


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


# Contrast --------------------------------------------------------------------------------------


def test_contrast_is_measured_as_wcag_defines_it():
    assert colours.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert colours.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    assert colours.shown_ratio(colours.contrast_ratio("#777777", "#ffffff")) == "4.47:1"
    assert colours.contrast_ratio("#767676", "#ffffff") >= 4.5  # the lightest grey that passes


def test_the_default_and_demo_colours_pass():
    assert colours.contrast_shortfalls("#0b5394", "#ffffff") == []
    assert colours.contrast_shortfalls("#1d5c3f", "#ffffff") == []


def test_a_pale_main_colour_is_refused_with_its_ratio_and_what_is_needed():
    form = SiteIdentityForm(data={**VALID, "main_colour": "#7FA7D0"})
    assert not form.is_valid()
    [message] = form.errors["main_colour"]
    assert "#7fa7d0" in message and "only 2.30:1" in message and "at least 4.5:1" in message
    [text_message] = form.errors["main_text_colour"]
    assert "#ffffff on the main colour #7fa7d0" in text_message and "only 2.51:1" in text_message


def test_text_too_close_to_the_main_colour_is_refused_on_that_field():
    form = SiteIdentityForm(data={**VALID, "main_text_colour": "#3d6fa0"})
    assert not form.is_valid()
    assert list(form.errors) == ["main_text_colour"]
    assert "at least 4.5:1" in form.errors["main_text_colour"][0]


def test_a_colour_not_written_as_hex_is_refused_in_plain_words():
    form = SiteIdentityForm(data={**VALID, "main_colour": "navy"})
    assert not form.is_valid()
    assert form.errors["main_colour"] == [
        "Write the colour as # and six hexadecimal digits, such as #0b5394."
    ]


def test_the_admin_refuses_a_low_contrast_colour_and_keeps_what_was_typed(admin_client):
    response = admin_client.post(
        f"{ADMIN_URL}add/", {**VALID, "main_colour": "#8fbc8f", "authority_name_en": "Kept Town"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "have a contrast of only 1.96:1; text needs at least 4.5:1" in html
    assert "on the main colour #8fbc8f has a contrast of only 2.15:1" in html
    assert 'value="#8fbc8f"' in html and 'value="Kept Town"' in html
    assert not SiteIdentity.objects.exists()


def test_spanish_speaking_administrators_read_the_refusal_in_spanish(admin_client):
    form_page = admin_client.post(
        f"{ADMIN_URL}add/", {**VALID, "main_colour": "#8fbc8f"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    html = form_page.content.decode()
    assert "tienen un contraste de solo 1.96:1; el texto necesita al menos 4.5:1" in html


# The admin -------------------------------------------------------------------------------------


def test_the_admin_list_leads_to_adding_the_one_row_with_the_defaults(admin_client, settings):
    settings.AGORA_AUTHORITY_NAME = "Default Town"
    assert admin_client.get(ADMIN_URL).url == f"{ADMIN_URL}add/"
    form = admin_client.get(f"{ADMIN_URL}add/").content.decode()
    assert 'value="Default Town"' in form and 'value="#0b5394"' in form


def test_saving_in_the_admin_stores_one_row_records_who_and_shows_on_the_next_page(
    admin_client, media_root, django_capture_on_commit_callbacks
):
    assert "Riverside Borough" not in admin_client.get("/contact/").content.decode()
    saved = admin_client.post(f"{ADMIN_URL}add/", {**VALID, "crest_upload": crest_upload()})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    row = SiteIdentity.objects.get()
    assert row.pk == 1 and row.authority_name_en == "Riverside Borough"
    [entry] = entries_for(row)
    assert entry.action == "site_identity_changed" and entry.actor == admin_client.administrator
    assert admin_client.get(ADMIN_URL).url == f"{ADMIN_URL}1/change/"
    assert admin_client.get(f"{ADMIN_URL}add/").status_code == 403  # one row only
    change_form = admin_client.get(f"{ADMIN_URL}1/change/").content.decode()
    assert f'<img src="{identity.current().crest_url}" alt="" width="192"' in change_form
    assert 'value="Riverside Borough"' in change_form
    page = admin_client.get("/contact/").content.decode()
    assert "Riverside Borough" in page and "hello@riverside.example" in page

    changed = admin_client.post(f"{ADMIN_URL}1/change/", {**VALID, "main_colour": "#1d5c3f"})
    assert changed.status_code == 302
    assert SiteIdentity.objects.get().crest.name == row.crest.name  # kept without a new upload
    with django_capture_on_commit_callbacks(execute=True):
        removed = admin_client.post(f"{ADMIN_URL}1/change/", {**VALID, "remove_crest": "on"})
    assert removed.status_code == 302
    assert not SiteIdentity.objects.get().crest
    assert not (media_root / row.crest.name).exists()  # the removed crest's file is gone
    assert 'class="crest"' not in admin_client.get("/contact/").content.decode()


# The crest -------------------------------------------------------------------------------------


def test_an_uploaded_crest_is_re_encoded_without_its_metadata(admin_client, media_root):
    upload = crest_upload()
    with Image.open(upload) as original:
        assert original.getexif()[0x010F] == "SpyCam Inc."
    upload.seek(0)
    admin_client.post(f"{ADMIN_URL}add/", {**VALID, "crest_upload": upload})
    row = SiteIdentity.objects.get()
    stored = (media_root / row.crest.name).read_bytes()
    assert b"SpyCam" not in stored
    with Image.open(io.BytesIO(stored)) as clean:
        assert not clean.getexif()
        assert max(clean.size) == identity.CREST_MAX_SIDE == 192
        assert (row.crest_width, row.crest_height) == clean.size
    served = admin_client.get(identity.current().crest_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == stored
    assert "immutable" in served["Cache-Control"]


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(admin_client, media_root):
    fake = SimpleUploadedFile("crest.png", b"<svg><script>alert(1)</script></svg>")
    response = admin_client.post(f"{ADMIN_URL}add/", {**VALID, "crest_upload": fake})
    assert response.status_code == 200
    assert "This file is not an image we can read." in response.content.decode()
    assert not SiteIdentity.objects.exists()
    assert not (media_root / "identity").exists()


def test_only_the_current_crest_is_served(client, admin_client, media_root):
    admin_client.post(f"{ADMIN_URL}add/", {**VALID, "crest_upload": crest_upload()})
    assert client.get("/identity/crest/not-the-crest.jpg").status_code == 404
    assert client.get("/identity/crest/..%2Fsecret.jpg").status_code == 404


# Read without a query --------------------------------------------------------------------------


def test_pages_read_the_identity_without_a_query_until_it_changes(client):
    client.get("/contact/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/contact/")
        client.get("/privacy/")
    assert len(queries) == 0
    identity.save_site_identity(SiteIdentity(**{**VALID, "authority_name_en": "New Name"}), by=None)
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/contact/")
    assert "New Name" in first.content.decode()
    assert len(queries) == 1  # this process reads the new row once
    with CaptureQueriesContext(connection) as queries:
        client.get("/contact/")
    assert len(queries) == 0


def test_another_process_follows_a_change_and_a_lost_cache_costs_nothing(client):
    client.get("/contact/")
    identity.save_site_identity(SiteIdentity(**VALID), by=None)
    identity.forget_held()  # as another process that read the identity before the change
    assert identity.current().authority_name_en == "Riverside Borough"
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert identity.current().authority_name_en == "Riverside Borough"
    assert len(queries) == 0


# The stylesheet --------------------------------------------------------------------------------


def test_the_colours_reach_the_page_as_a_stylesheet_named_by_its_content(client):
    page = client.get("/").content.decode()
    url = re.search(r'<link rel="stylesheet" href="(/identity/colours-[0-9a-f]+\.css)">', page)
    assert url, "base.html links the colours"
    sheet = client.get(url.group(1))
    assert sheet["Content-Type"].startswith("text/css")
    assert "--accent: #0b5394;" in sheet.content.decode()
    assert sheet["Cache-Control"] == "public, max-age=31536000, immutable"
    identity.save_site_identity(SiteIdentity(**{**VALID, "main_colour": "#1d5c3f"}), by=None)
    new_page = client.get("/contact/").content.decode()
    assert url.group(1) not in new_page
    old = client.get(url.group(1))
    assert "--accent: #1d5c3f;" in old.content.decode()  # today's colours, kept briefly
    assert old["Cache-Control"] == "public, max-age=60"
    assert not re.search(r"\sstyle=|<style", new_page)


# Settings --------------------------------------------------------------------------------------


def test_a_default_colour_from_the_environment_is_checked_at_start_up():
    from tests.core.test_settings import load_settings

    result = load_settings(
        show="s.AGORA_MAIN_COLOUR", AGORA_ENV="test", AGORA_MAIN_COLOUR="#99AACC"
    )
    assert result.returncode != 0
    assert "AGORA_MAIN" in result.stderr and "at least 4.5:1" in result.stderr
    fine = load_settings(show="s.AGORA_MAIN_COLOUR", AGORA_ENV="test", AGORA_MAIN_COLOUR="#1D5C3F")
    assert fine.returncode == 0, fine.stderr
    assert fine.stdout.strip() == "#1d5c3f"
    bad = load_settings(show="s.AGORA_MAIN_COLOUR", AGORA_ENV="test", AGORA_MAIN_COLOUR="blue")
    assert "AGORA_MAIN_COLOUR: 'blue' is not a colour" in bad.stderr
