"""The home page: the front door to asking, reporting and taking part, with the newest public
cases and open conversations, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.accounts.models import Role
from agora.conversations import services as conversation_services
from tests.cases.conftest import build_city
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_offers_the_question_box_and_the_ways_in(client):
    html = client.get("/").content.decode()
    assert '<form method="get" action="/directory/ask/"' in html
    assert '<label for="home-ask-q">What do you need? Say it in your own words.</label>' in html
    assert 'name="q"' in html
    assert "Ask a question or report a problem" in html
    assert "Create an account" in html


def test_home_lists_the_newest_public_cases_but_never_a_private_one(client):
    city = build_city()
    public = city.submit(title="Dark lamp on Calle Mayor")
    private = city.submit(title="My private lamp question", is_public=False)
    html = client.get("/").content.decode()
    assert "Dark lamp on Calle Mayor" in html
    assert public.get_absolute_url() in html
    assert city.lighting_office.name in html
    assert "My private lamp question" not in html
    assert private.get_absolute_url() not in html


def test_home_lists_open_conversations_only(client):
    owner = UserFactory(role=Role.MODERATOR)
    open_one = conversation_services.open_conversation(owner=owner, question="More trees?")
    closed = conversation_services.open_conversation(owner=owner, question="Closed question?")
    closed.is_open = False
    closed.save(update_fields=["is_open"])
    html = client.get("/").content.decode()
    assert "More trees?" in html
    assert f"/conversations/{open_one.pk}/" in html
    assert "Closed question?" not in html


def test_home_says_so_when_nothing_is_happening_yet(client):
    html = client.get("/").content.decode()
    assert "Nobody has asked or reported anything in public yet." in html
    assert "No conversation is open at the moment." in html


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_home_costs_the_same_queries_with_few_or_many_cases(client):
    city = build_city()
    for number in range(2):
        city.submit(title=f"Lamp {number}")
    few = count_queries(client, "/")
    for number in range(40):
        city.submit(title=f"Another lamp {number}")
    assert count_queries(client, "/") == few
    client.force_login(city.resident)
    signed_in = count_queries(client, "/")
    city.submit(title="One more")
    assert count_queries(client, "/") == signed_in
