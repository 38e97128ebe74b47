"""A visitor who writes a question or report before they have an account keeps their words
through signing up and confirming their email, and lands back on them, signed in."""

import re

import pytest
from django.test import Client

from agora.cases.models import Case, CaseDraft
from tests.cases.test_pages import case_form
from tests.factories import PASSWORD, UserFactory
from tests.helpers import main_part

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "lantern-orchard-velvet-93"


def report(town, **changes):
    """The first page's answers: what and where (a photo and who may see it come later)."""
    data = case_form(
        town,
        **{
            "title": "Bench broken by the fountain",
            "description": "Two slats are missing since the storm.",
            "address": "Plaza Mayor",
            **changes,
        },
    )
    del data["visibility"]
    return data


def confirmation_path(message) -> str:
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", message.body).group(0)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_a_visitor_is_told_why_an_account_is_needed_and_may_write_first(client, town):
    html = main_part(client.get("/cases/new/"))
    assert "You need an account to send it" in html
    assert 'name="title"' in html  # the form is there to fill in


def test_a_visitors_report_survives_sign_up_and_confirmation_and_waits_signed_in(
    client, town, django_capture_on_commit_callbacks, run_worker
):
    response = client.post("/cases/new/", report(town))
    assert response.status_code == 302
    assert response.url == "/accounts/signup/?next=/cases/new/check/"
    assert not Case.objects.exists()
    signup_page = main_part(client.get(response.url))
    assert "Your words are kept." in signup_page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/?next=/cases/new/check/",
            {
                "email": "bench@example.org",
                "username": "bench_fan",
                "password1": GOOD_PASSWORD,
                "password2": GOOD_PASSWORD,
                "next": "/cases/new/check/",
            },
        )
    assert response.url == "/accounts/confirm-email/"
    waiting = main_part(client.get(response.url))
    assert "Check your email" in waiting and "spam" in waiting
    person = CaseDraft.objects.get().user
    assert person.handle == "bench_fan"

    path = confirmation_path(run_worker()[0])
    response = client.post(path)  # the same browser: signed in, back where they left off
    assert response.status_code == 302 and response.url == "/cases/new/check/"
    html = main_part(client.get("/cases/new/check/"))
    assert "Check your answers before sending" in html
    assert "<dd>Bench broken by the fountain</dd>" in html
    assert "<dd>Two slats are missing since the storm.</dd>" in html
    assert "You need an account" not in html

    response = client.post("/cases/new/check/", {"visibility": "private"})
    case = Case.objects.get()
    assert response.url == f"/cases/{case.pk}/sent/"
    assert case.submitted_by == person and not case.is_public
    assert not CaseDraft.objects.exists()  # sent: nothing waits any more


def test_confirming_on_another_device_then_logging_in_lands_on_the_draft(client, town):
    person = UserFactory()
    client.post("/cases/new/", report(town))
    other_browser = Client()
    # Logging in adopts the session's draft; another device signing in later finds it too.
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert CaseDraft.objects.get(user=person).fields["title"] == "Bench broken by the fountain"
    response = other_browser.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/cases/new/check/"
    html = main_part(other_browser.get("/cases/new/check/"))
    assert "<dd>Bench broken by the fountain</dd>" in html
    # And changing the answers shows them in the form.
    assert 'value="Bench broken by the fountain"' in main_part(other_browser.get("/cases/new/"))


def test_starting_again_empties_the_form(client, town):
    person = UserFactory()
    client.force_login(person)
    CaseDraft.objects.create(user=person, fields={"title": "Old words"})
    assert 'value="Old words"' in main_part(client.get("/cases/new/"))
    client.post("/cases/new/start-again/")
    assert not CaseDraft.objects.exists()
    assert "Old words" not in main_part(client.get("/cases/new/"))


def test_a_bad_draft_is_refused_before_anything_is_kept(client, town):
    response = client.post("/cases/new/", report(town, title=""))
    assert response.status_code == 400
    assert "This field is required." in main_part(response, status=400)
    assert "cases_draft" not in client.session


def test_a_new_report_from_an_answer_comes_before_an_older_draft(client, town):
    person = UserFactory()
    client.force_login(person)
    CaseDraft.objects.create(user=person, fields={"title": "Old words"})
    html = main_part(client.get("/cases/new/?kind=report&words=lamp+out+on+my+street"))
    assert 'value="Lamp out on my street"' in html and "Old words" not in html
    assert "Start again with an empty form" in html  # the old draft can still be dropped


def test_the_check_page_needs_answers_and_an_account(client, town):
    assert client.get("/cases/new/check/").url == "/cases/new/"  # nothing to check yet
    client.post("/cases/new/", report(town))
    response = client.get("/cases/new/check/")
    assert response.url == "/accounts/signup/?next=/cases/new/check/"


def test_a_topic_nobody_handles_is_said_on_the_first_page(client, town):
    from tests.directory.factories import TopicFactory

    orphan = TopicFactory(name_en="Orphan topic")
    response = client.post("/cases/new/", report(town, topic=orphan.slug))
    html = main_part(response, status=400)
    assert "No office is responsible for this topic here yet." in html
    assert "cases_draft" not in client.session


def test_the_place_typed_is_found_among_the_directorys_places_and_chosen(client, town):
    from tests.directory.factories import AreaFactory

    street = AreaFactory(parent=town.city, slug="calle-mayor", name_en="Calle Mayor", kind="street")
    typed = report(town, address="Calle Mayor 12, by the bakery", find_place="1")
    html = main_part(client.post("/cases/new/", typed))
    assert "Found: Calle Mayor. It is chosen under “Where?”" in html
    assert f'<option value="{street.slug}" selected>' in html
    assert 'value="Bench broken by the fountain"' in html  # everything typed stays
    assert "This field is required" not in html  # a search is not a sending
    assert "cases_draft" not in client.session

    # A pin dropped earlier gives way to the place asked for: the map then shows that place.
    pinned = report(town, address="Calle Mayor", find_place="1", latitude="40.4", longitude="-3.7")
    html = main_part(client.post("/cases/new/", pinned))
    assert f'<option value="{street.slug}" selected>' in html
    assert 'name="latitude" value="40.4"' not in html
    assert 'id="id_latitude"' in html

    html = main_part(
        client.post("/cases/new/", report(town, address="Nowhere Lane", find_place="1"))
    )
    assert "No place called “Nowhere Lane” is known here." in html
    assert 'value="Nowhere Lane"' in html
