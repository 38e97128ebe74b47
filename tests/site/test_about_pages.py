"""Every page carries the authority's identity in its header and a footer with the pages every
public website has (accessibility statement, privacy notice, house rules, contact) and the
language switch; those four pages say what they must, in English and Spanish, naming the
authority."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from agora.core import identity
from agora.core.images import reencode_image
from agora.core.models import SiteIdentity
from agora.site.demo import load_demo_identity
from tests.cases.conftest import build_city
from tests.factories import UserFactory
from tests.helpers import main_part, signed_in

pytestmark = pytest.mark.django_db

FOOTER_LINKS = {
    "en": [
        ('href="/accessibility/"', "Accessibility statement"),
        ('href="/privacy/"', "Privacy notice"),
        ('href="/rules/"', "House rules"),
        ('href="/contact/"', "Contact"),
    ],
    "es": [
        ('href="/accessibility/"', "Declaración de accesibilidad"),
        ('href="/privacy/"', "Aviso de privacidad"),
        ('href="/rules/"', "Normas de convivencia"),
        ('href="/contact/"', "Contacto"),
    ],
}

#: What each page says, in each language: words a reader needs from it.
PAGES = {
    "/accessibility/": {
        "en": [
            "Accessibility statement",
            "WCAG) 2.2",
            "level AA",
            "axe-core",
            "320 pixels",
            "Tell us about a problem",
            "town@lakeside.example",
        ],
        "es": [
            "Declaración de accesibilidad",
            "WCAG) 2.2",
            "nivel AA",
            "axe-core",
            "320 píxeles",
            "Avísanos de un problema",
            "town@lakeside.example",
        ],
    },
    "/privacy/": {
        "en": [
            "Privacy notice",
            "No trackers, no advertising",
            "argon2",
            "re-encoded",
            "only the cookies it needs",
            "The server's log",
            "Your rights",
            "Lakeside Town Council",
        ],
        "es": [
            "Aviso de privacidad",
            "Sin rastreadores ni publicidad",
            "argon2",
            "se vuelve a codificar",
            "solo pone las cookies que necesita",
            "El registro del servidor",
            "Tus derechos",
            "Ayuntamiento de Lakeside",
        ],
    },
    "/rules/": {
        "en": [
            "House rules",
            "Be respectful.",
            "One person, one voice.",
            "When a rule is broken",
            "Lakeside Town Council",
        ],
        "es": [
            "Normas de convivencia",
            "Respeta a los demás.",
            "Una persona, una voz.",
            "Cuando se incumple una norma",
        ],
    },
    "/contact/": {
        "en": [
            "Contact",
            "Lakeside Town Council",
            "town@lakeside.example",
            "+34 910 111 222",
            "Quay Street 4",
            "Mondays 9:00 to 13:00",
            "find the office responsible",
        ],
        "es": [
            "Contacto",
            "Ayuntamiento de Lakeside",
            "town@lakeside.example",
            "Dirección postal",
            "Quay Street 4",
            "Los lunes de 9:00 a 13:00",
            "encuentra la oficina responsable",
        ],
    },
}


def a_crest():
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (50, 50, 250, 250))
    output = io.BytesIO()
    image.save(output, format="PNG")
    upload = SimpleUploadedFile("crest.png", output.getvalue())
    return reencode_image(upload, max_bytes=identity.CREST_MAX_BYTES, max_side=192)


@pytest.fixture
def lakeside(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    row = SiteIdentity(
        authority_name_en="Lakeside Town Council",
        authority_name_es="Ayuntamiento de Lakeside",
        main_colour="#6b2d5c",
        main_text_colour="#ffffff",
        email="town@lakeside.example",
        phone="+34 910 111 222",
        postal_address="Quay Street 4\nLakeside",
        opening_hours_en="Mondays 9:00 to 13:00",
        opening_hours_es="Los lunes de 9:00 a 13:00",
    )
    return identity.save_site_identity(row, by=None, crest=a_crest())


def header(response) -> str:
    html = response.content.decode()
    return html[html.index("<header") : html.index("</header>")]


def footer(response) -> str:
    html = response.content.decode()
    return html[html.index("<footer") : html.index("</footer>")]


def page_types():
    """One page of each kind: the cached home page, a directory page, a list, a form, a
    profile, a signed-in page, an error page and the new pages themselves."""
    city = build_city()
    person = UserFactory(handle="pat")
    anonymous = Client()
    for path in (
        "/",
        "/directory/",
        f"/directory/offices/{city.roads_office.slug}/",
        "/conversations/",
        "/latest/",
        "/accounts/login/",
        "/@pat/",
        "/contact/",
    ):
        yield path, anonymous.get(path), 200
    yield "a missing page", anonymous.get("/no-such-page/"), 404
    member = signed_in(person)
    for path in ("/", "/cases/", "/cases/new/", "/settings/profile/", "/notifications/"):
        yield f"{path} signed in", member.get(path), 200


def test_every_kind_of_page_shows_the_authority_and_its_crest_and_the_footer(lakeside):
    crest_url = identity.current().crest_url
    for name, response, status in page_types():
        assert response.status_code == status, name
        top = header(response)
        assert '<span class="brand-authority">Lakeside Town Council</span>' in top, name
        assert '<span class="brand-product">Agora</span>' in top, name
        assert f'<img class="crest" src="{crest_url}" alt="" width="192" height="192">' in top
        bottom = footer(response)
        for href, label in FOOTER_LINKS["en"]:
            assert f"<a {href}>{label}</a>" in bottom, (name, label)
        assert '<button type="submit" name="language" value="es"' in bottom, name


def test_the_header_and_footer_speak_spanish_with_the_spanish_name(lakeside):
    response = Client(HTTP_ACCEPT_LANGUAGE="es").get("/directory/")
    assert "Ayuntamiento de Lakeside" in header(response)
    assert "Lakeside Town Council" not in response.content.decode()
    for href, label in FOOTER_LINKS["es"]:
        assert f"<a {href}>{label}</a>" in footer(response)
    assert '<button type="submit" name="language" value="en"' in footer(response)
    assert "· Agora · Ayuntamiento de Lakeside</title>" in response.content.decode()


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_page_answers_with_its_content_in_each_language(lakeside, language):
    reader = Client(HTTP_ACCEPT_LANGUAGE=language)
    for path, words in PAGES.items():
        response = reader.get(path)
        text = main_part(response)
        assert f'<html lang="{language}">' in response.content.decode()
        missing = [word for word in words[language] if word not in text]
        assert not missing, f"{path} in {language} lacks {missing}"


def test_the_pages_work_before_an_administrator_sets_an_identity(client):
    top = header(client.get("/contact/"))
    assert "brand-authority" not in top and 'class="crest"' not in top
    contact = main_part(client.get("/contact/"))
    assert "run by the public authority that runs this site" in contact
    assert "have not yet given contact details" in contact
    privacy = main_part(client.get("/privacy/"))
    assert "The public authority that runs this site runs Agora" in privacy


def test_the_default_identity_comes_from_settings(client, settings):
    settings.AGORA_AUTHORITY_NAME = "Hill County"
    settings.AGORA_CONTACT_EMAIL = "help@hill.example"
    identity.forget_held()
    response = client.get("/contact/")
    assert "Hill County" in header(response) and "help@hill.example" in main_part(response)


def test_the_branded_home_page_costs_what_it_did(client, lakeside):
    identity.current()  # the one read after the change (tests/core/test_identity.py)
    with CaptureQueriesContext(connection) as rendering:
        first = client.get("/")
    with CaptureQueriesContext(connection) as cached:
        client.get("/")
    assert (len(rendering), len(cached)) == (2, 0)  # as tests/site/test_front_door.py pins
    assert "Lakeside Town Council" in header(first)


def test_the_cached_home_page_follows_a_change_of_identity(client, lakeside):
    assert "Lakeside Town Council" in header(client.get("/"))
    lakeside.authority_name_en = "Greater Lakeside"
    identity.save_site_identity(lakeside, by=None)
    assert "Greater Lakeside" in header(client.get("/"))


def test_the_language_switch_needs_no_script(client):
    page = client.get("/privacy/")
    bottom = footer(page)
    assert '<span class="current-language" lang="en" aria-current="true">English</span>' in bottom
    assert "<script" not in page.content.decode()
    switched = client.post("/i18n/language/", {"language": "es", "next": "/privacy/"})
    assert switched.url == "/privacy/"
    assert "Aviso de privacidad" in main_part(client.get("/privacy/"))


def test_the_demo_city_gets_an_identity_once(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    assert "Villaverde City Council" in load_demo_identity()
    row = SiteIdentity.objects.get()
    assert row.authority_name_es == "Ayuntamiento de Villaverde" and row.crest
    assert (row.crest_width, row.crest_height) == (192, 192)
    row.authority_name_en = "Renamed by the administrator"
    row.save()
    assert load_demo_identity(force=True) == ""
    assert SiteIdentity.objects.get().authority_name_en == "Renamed by the administrator"
