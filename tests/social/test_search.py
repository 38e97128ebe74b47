"""Search: people by handle and name as their profile visibility allows, visible posts only,
tags; the same shape on PostgreSQL (full-text) and SQLite (substring)."""

import pytest
from django.test import Client

from agora.accounts.models import Visibility as ProfileVisibility
from agora.social import search, services
from agora.social.models import Visibility
from tests.factories import UserFactory
from tests.social.helpers import signed_in

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
    services.block(blocker, viewer)
    assert search.search(viewer, "blocker_person").people == []


def test_posts_are_found_by_their_words_and_only_when_visible():
    ada, dee = UserFactory(), UserFactory()
    services.create_post(ada, body="The library opens on Sundays now")
    services.create_post(ada, body="The library roof leaks", visibility=Visibility.FOLLOWERS)
    found = [post.body for post in search.search(dee, "library").posts]
    assert found == ["The library opens on Sundays now"]
    page = Client().get("/search/?q=library").content.decode()
    assert "opens on Sundays" in page
    assert "roof leaks" not in page


def test_tags_are_found_by_their_beginning():
    services.create_post(UserFactory(), body="#bikelanes and #bins")
    assert [tag.name for tag in search.search(UserFactory(), "#bike").tags] == ["bikelanes"]


def test_an_empty_or_odd_query_answers_a_page_without_results():
    client = signed_in(UserFactory())
    assert client.get("/search/").status_code == 200
    assert client.get("/search/?q=%00%27%22").status_code == 200
    assert client.get("/search/?q=" + "x" * 101).status_code == 200
