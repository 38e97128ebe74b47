"""The home page is rendered once per change of what it shows: once for all anonymous visitors,
once for each signed-in person, and its parts once for everyone (`agora.core.pagecache`).
Whatever is cached, each person gets a CSRF token of their own, a change shows on the next
request, and nobody sees a page rendered for someone else."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agora.accounts.models import Role
from agora.cases import services as case_services
from agora.conversations import services as conversation_services
from tests.cases.conftest import build_city
from tests.factories import UserFactory
from tests.helpers import main_part, signed_in

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
UNREAD = re.compile(r"\((\d+) unread\)")


def fetch(client, path="/"):
    """The page and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response, len(queries)


def test_anonymous_visitors_share_one_render_until_a_case_changes(client):
    city = build_city()
    city.submit(title="Dark lamp on Calle Mayor")
    first, rendering = fetch(client)
    again, cached = fetch(Client())
    assert (rendering, cached) == (2, 0)  # the cases and the conversations, then nothing
    assert main_part(again) == main_part(first)
    assert "Dark lamp on Calle Mayor" in main_part(again)

    case = city.submit(title="Pothole on Calle Real", topic=city.potholes)
    after_new, rendering = fetch(client)
    assert rendering == 2 and "Pothole on Calle Real" in main_part(after_new)

    # A lifecycle moves a case with an update, not a save; the page follows it all the same.
    assert "Acknowledged" not in main_part(after_new)
    case_services.acknowledge_case(case, by=city.roads_official)
    acknowledged, rendering = fetch(client)
    assert rendering == 2 and "Acknowledged" in main_part(acknowledged)

    city.roads_office.name_en = "Streets and Roads"
    city.roads_office.save()
    renamed, _queries = fetch(client)
    assert "handled by Streets and Roads" in main_part(renamed)


def test_a_closed_conversation_leaves_the_cached_page(client):
    owner = UserFactory(role=Role.MODERATOR)
    conversation = conversation_services.open_conversation(owner=owner, question="More trees?")
    assert "More trees?" in main_part(fetch(client)[0])
    conversation.is_open = False
    conversation.save(update_fields=["is_open"])
    assert "More trees?" not in main_part(fetch(client)[0])


def test_each_visitor_gets_a_csrf_token_of_their_own_that_works():
    pages = [fetch(Client(enforce_csrf_checks=True))[0] for _visitor in range(2)]
    tokens = [TOKEN.findall(page.content.decode()) for page in pages]
    assert len(tokens[0]) == 1 and len(tokens[1]) == 1
    assert tokens[0] != tokens[1]
    visitor = Client(enforce_csrf_checks=True)
    page, queries = fetch(visitor)
    assert queries == 0  # from the cache
    token = TOKEN.search(page.content.decode()).group(1)
    changed = visitor.post(
        "/i18n/language/",
        {"language": "es", "next": "/", "csrfmiddlewaretoken": token},
    )
    assert changed.status_code == 302, changed.status_code
    spanish = visitor.get("/")
    assert '<html lang="es">' in spanish.content.decode()
    assert "Te damos la bienvenida" in main_part(spanish)


def test_each_language_has_its_own_page(client):
    english, _queries = fetch(client)
    spanish, _queries = fetch(Client(HTTP_ACCEPT_LANGUAGE="es"))
    assert "Find the office" in main_part(english)
    assert "Find the office" not in main_part(spanish)
    assert '<html lang="es">' in spanish.content.decode()
    again, queries = fetch(Client(HTTP_ACCEPT_LANGUAGE="es"))
    assert queries == 0 and main_part(again) == main_part(spanish)


def test_a_page_with_a_query_string_is_rendered_for_that_request(client):
    fetch(client)
    with_query, _queries = fetch(client, "/?from=poster")
    assert 'name="next" value="/?from=poster"' in with_query.content.decode()


def test_a_signed_in_person_gets_their_own_page_with_their_header():
    city = build_city()
    rosa = signed_in(city.resident)
    otto = signed_in(city.other_resident)
    mine, _queries = fetch(rosa)
    again, cached = fetch(rosa)
    assert cached == 2  # the account and the unread count (the session is cached)
    assert "Signed in as Rosa Resident." in main_part(again)
    theirs, _queries = fetch(otto)
    assert "Signed in as Otto Other." in main_part(theirs)
    assert "Rosa Resident" not in theirs.content.decode()
    assert f'href="/@{city.resident.handle}/"' not in theirs.content.decode()
    assert TOKEN.findall(mine.content.decode()) != TOKEN.findall(again.content.decode())


def test_a_signed_in_persons_page_follows_their_name_and_their_unread_count():
    city = build_city()
    rosa = signed_in(city.resident)
    case = city.submit(title="Dark lamp on Calle Mayor")
    before, _queries = fetch(rosa)
    unread = int(UNREAD.search(before.content.decode()).group(1))
    case_services.acknowledge_case(case, by=city.lighting_official)  # tells Rosa
    after, _queries = fetch(rosa)
    assert f"({unread + 1} unread)" in after.content.decode()
    city.resident.display_name = "Rosa María"
    city.resident.save()
    renamed, _queries = fetch(rosa)
    assert "Signed in as Rosa María." in main_part(renamed)


def test_a_new_officials_cached_page_gains_the_inbox_link():
    city = build_city()
    rosa = signed_in(city.resident)
    assert 'href="/cases/inbox/"' not in fetch(rosa)[0].content.decode()
    city.resident.role = Role.OFFICIAL
    city.resident.save()
    assert 'href="/cases/inbox/"' in fetch(rosa)[0].content.decode()


def test_messages_waiting_are_shown_not_hidden_behind_the_cache(client):
    person = UserFactory()
    fetch(Client())  # the visitors' page is cached
    signed_in(person, client)
    response = client.post("/accounts/logout/", follow=True)
    html = main_part(response)
    assert "You have signed out." in html
    assert "You have signed out." not in main_part(client.get("/"))
