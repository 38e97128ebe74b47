"""The interface speaks English or Spanish: the browser's choice for visitors, the account's
choice for people who signed in."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def page_language(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_a_visitor_gets_the_browser_language_when_we_speak_it(client):
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")) == "es"
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")) == "en"


def test_the_spanish_interface_is_translated(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()
    assert "Iniciar sesión" in html
    assert "Log in" not in html


def test_a_visitor_switches_language_with_the_footer_form(client):
    response = client.post("/i18n/language/", {"language": "es", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "es"


def test_the_language_choice_sticks_to_the_account_on_every_device(client):
    person = UserFactory()
    client.force_login(person)
    client.post("/i18n/language/", {"language": "es", "next": "/"})
    person.refresh_from_db()
    assert person.preferred_language == "es"

    other_device = Client()
    other_device.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert page_language(other_device.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "es"


def test_an_unknown_language_or_foreign_next_address_is_ignored(client):
    response = client.post(
        "/i18n/language/", {"language": "xx", "next": "https://evil.example/phish"}
    )
    assert response["Location"] == "/"
    assert page_language(client.get("/")) == "en"
