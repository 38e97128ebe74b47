"""Search: people by handle and name as their profile visibility allows, visible posts only,
tags; the same shape on PostgreSQL (full-text) and SQLite (substring)."""

import pytest
from django.test import Client

from agora.accounts.models import Visibility as ProfileVisibility
from agora.social import search, services
from agora.social.models import Visibility
from tests.api.conftest import assert_error
from tests.factories import UserFactory
from tests.helpers import main_part, signed_in
from tests.social.helpers import api_client

pytestmark = pytest.mark.django_db


def test_people_are_found_by_handle_and_by_name_as_their_profile_allows():
    UserFactory(handle="river_ada", display_name="Ada Lind")
    UserFactory(handle="river_members", profile_visibility=ProfileVisibility.MEMBERS)
    UserFactory(handle="river_private", profile_visibility=ProfileVisibility.PRIVATE)
    member = UserFactory()

    def handles(viewer, text):
        return [person.handle for person in search.search(viewer, text).people]

    from django.contrib.auth.models import AnonymousUser

    assert handles(AnonymousUser(), "river") == ["river_ada"]
    assert handles(member, "@river") == ["river_ada", "river_members"]
    assert handles(member, "Lind") == ["river_ada"]


def test_people_who_block_you_are_not_found():
    blocker, viewer = UserFactory(handle="blocker_person"), UserFactory()
    services.block(viewer, by=blocker)
    assert search.search(viewer, "blocker_person").people == []


def test_posts_are_found_by_their_words_and_only_when_visible():
    ada, dee = UserFactory(), UserFactory()
    services.create_post(by=ada, body="The library opens on Sundays now")
    services.create_post(by=ada, body="The library roof leaks", visibility=Visibility.FOLLOWERS)
    found = [post.body for post in search.search(dee, "library").posts]
    assert found == ["The library opens on Sundays now"]
    page = Client().get("/search/?q=library").content.decode()
    assert "opens on Sundays" in page
    assert "roof leaks" not in page


def test_tags_are_found_by_their_beginning():
    services.create_post(by=UserFactory(), body="#bikelanes and #bins")
    assert [tag.name for tag in search.search(UserFactory(), "#bike").tags] == ["bikelanes"]


def test_an_empty_or_odd_query_answers_a_page_without_results():
    viewer = UserFactory()
    client, api = signed_in(viewer), api_client(viewer)
    # What a search that let these queries through would find: everyone and everything for
    # the empty one, this post for the one cut to 100 characters.
    services.create_post(by=UserFactory(handle="writer_x"), body="x" * 101 + " #xylophone")
    for query in ("", "%00%27%22", "x" * 101):
        page = main_part(client.get("/search/" + (f"?q={query}" if query else "")))
        assert 'role="search"' in page  # the form, to try again
        assert "<h2>People</h2>" not in page and "<h2>Posts</h2>" not in page
        assert "writer_x" not in page and "xylophone" not in page
        error = assert_error(api.get(f"/api/v1/search?q={query}"), 422, "invalid")
        assert error["message"].startswith("q: ")
    # Quotes that would break a careless full-text query find nothing, and the page says so.
    page = main_part(client.get("/search/?q=%27%22"))
    assert "No people found." in page and "No tags found." in page
    assert "No posts found." in page
    assert api.get("/api/v1/search?q=%27%22").json() == {"people": [], "posts": [], "tags": []}
