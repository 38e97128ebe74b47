"""The home page: the front door to asking, reporting and taking part, with the newest public
cases and open conversations, in a fixed number of queries."""

import pytest
from django.core.cache import cache

from agora.accounts.models import Role
from agora.conversations import services as conversation_services
from tests.cases.conftest import build_city
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in

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


def rendered(client):
    """The home page rendered afresh, as on the first request after a change (the page is
    cached otherwise: tests/site/test_front_door.py)."""
    cache.clear()
    return client.get("/")


def test_home_costs_the_same_queries_with_few_or_many_cases(client):
    city = build_city()
    for number in range(2):
        city.submit(title=f"Lamp {number}")

    def add_40():
        for number in range(40):
            city.submit(title=f"Another lamp {number}")

    few, many = assert_constant_queries(lambda: rendered(client), add_40, expected=2)
    assert main_part(few).count("handled by Public Lighting Unit") == 2
    assert main_part(many).count("handled by Public Lighting Unit") == 5  # the newest five
    assert "Another lamp 39" in main_part(many) and "Lamp 1" not in main_part(many)
    signed_in(city.resident, client)
    before, after = assert_constant_queries(
        lambda: rendered(client), lambda: city.submit(title="One more"), expected=5
    )
    assert "Signed in as Rosa Resident." in main_part(before)
    assert "One more" in main_part(after) and "One more" not in main_part(before)
