"""The home page's post form: its empty fields are rendered once per language and reused, and
read exactly as a fresh rendering would, in the reader's language; an official who may post for
an office gets the form with that choice, rendered for them."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from agora.accounts.models import Role
from agora.directory import services as directory_services
from agora.social.forms import PostForm
from tests.directory.factories import OfficeFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh_fields(user, language="en") -> str:
    with translation.override(language):
        return render_to_string("social/_post_form_fields.html", {"form": PostForm(user=user)})


def test_the_reused_empty_form_reads_as_a_fresh_one_in_each_language(client):
    resident = UserFactory()
    client.force_login(resident)
    html = client.get("/home/").content.decode()
    assert fresh_fields(resident) in html
    assert 'name="csrfmiddlewaretoken"' in html
    spanish = client.get("/home/", headers={"accept-language": "es"}).content.decode()
    assert fresh_fields(resident, "es") in spanish
    assert fresh_fields(resident, "es") != fresh_fields(resident)
    # Each request still gets its own CSRF token around the shared fields.
    client.logout()
    client.force_login(UserFactory())
    again = client.get("/home/").content.decode()
    assert fresh_fields(resident) in again


def test_an_official_gets_the_choice_to_post_for_their_office(client):
    official = UserFactory(role=Role.OFFICIAL)
    office = OfficeFactory(name_en="Parks Unit")
    directory_services.add_official(office, official)
    client.force_login(official)
    html = client.get("/home/").content.decode()
    assert "Post as" in html
    assert "Parks Unit" in html
    assert fresh_fields(official) in html
