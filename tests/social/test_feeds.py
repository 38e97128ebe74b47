"""Feeds and every read path of posts: who sees what, blocks and mutes, cursor pages, and
query counts that do not grow with the page."""

import pytest
from django.test import Client

from agora.accounts.models import Role
from agora.accounts.models import Visibility as ProfileVisibility
from agora.social import services
from agora.social.models import Visibility
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """Ada writes; Bob follows her; Cem is connected with her; Dee is a stranger."""
    ada, bob, cem, dee = (UserFactory(handle=name) for name in ("ada", "bob", "cem", "dee"))
    services.follow(ada, by=bob)
    services.follow(ada, by=cem)
    services.follow(cem, by=ada)
    services.connect(cem, by=ada)
    return ada, bob, cem, dee


@pytest.fixture
def posts(people):
    ada = people[0]
    return {
        visibility: services.create_post(
            by=ada, body=f"Post for {visibility} #topic", visibility=visibility
        )
        for visibility in Visibility.values
    }


READ_PATHS = ["/home/", "/latest/", "/tags/topic/", "/@ada/posts/", "/search/?q=Post"]


def shown(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.parametrize("path", READ_PATHS)
def test_each_post_is_seen_only_by_whom_its_visibility_allows(people, posts, path):
    ada, bob, cem, dee = people
    expected = {
        "ada": {"public", "followers", "connections"},
        "bob": {"public", "followers"},
        "cem": {"public", "followers", "connections"},
        "dee": {"public"},
    }
    for person in (ada, bob, cem, dee):
        page = shown(signed_in(person), path)
        if path == "/home/" and person == dee:
            continue  # Dee follows nobody: her home feed is empty by design
        for visibility in Visibility.values:
            assert (f"Post for {visibility}" in page) == (visibility in expected[person.handle]), (
                person.handle,
                visibility,
                path,
            )
    if path != "/home/":
        page = shown(Client(), path)
        assert "Post for public" in page
        assert "Post for followers" not in page
        assert "Post for connections" not in page


@pytest.mark.parametrize("path", READ_PATHS)
def test_a_blocked_person_sees_none_of_the_blockers_posts(people, posts, path):
    ada, bob, _cem, _dee = people
    services.block(bob, by=ada)
    response = signed_in(bob).get(path)
    assert "Post for" not in response.content.decode()


@pytest.mark.parametrize("path", ["/home/", "/latest/", "/tags/topic/", "/search/?q=Post"])
def test_muting_hides_the_person_from_feeds_lists_and_search(people, posts, path):
    ada, bob, _cem, _dee = people
    services.mute(ada, by=bob)
    assert "Post for" not in shown(signed_in(bob), path)


def test_a_hidden_or_blocked_post_answers_404_like_a_missing_one(people, posts):
    ada, bob, _cem, dee = people
    connections_only = posts["connections"]
    assert signed_in(dee).get(f"/posts/{connections_only.pk}/").status_code == 404
    assert signed_in(bob).get(f"/posts/{connections_only.pk}/").status_code == 404
    services.block(dee, by=ada)
    assert signed_in(dee).get(f"/posts/{posts['public'].pk}/").status_code == 404
    assert Client().get(f"/posts/{posts['followers'].pk}/").status_code == 404


def test_members_only_profiles_keep_their_posts_from_visitors():
    ada = UserFactory(profile_visibility=ProfileVisibility.MEMBERS)
    post = services.create_post(by=ada, body="Members see this")
    assert "Members see this" not in shown(Client(), "/latest/")
    assert Client().get(f"/posts/{post.pk}/").status_code == 404
    assert "Members see this" in shown(signed_in(UserFactory()), "/latest/")


def test_private_profiles_keep_their_posts_to_themselves():
    ada = UserFactory(profile_visibility=ProfileVisibility.PRIVATE)
    services.create_post(by=ada, body="Only me")
    assert "Only me" not in shown(signed_in(UserFactory()), "/latest/")
    assert "Only me" in shown(signed_in(ada), "/latest/")


def test_a_share_of_a_post_from_someone_who_blocks_you_hides_the_original():
    ada, bob, cem = UserFactory(), UserFactory(), UserFactory()
    original = services.create_post(by=ada, body="Original words")
    services.follow(bob, by=cem)
    services.share_post(original, by=bob, body="Bob's take")
    services.block(cem, by=ada)
    feed = shown(signed_in(cem), "/home/")
    assert "Bob&#x27;s take" in feed or "Bob's take" in feed
    assert "Original words" not in feed
    assert "The shared post is not available." in feed


def test_the_home_feed_filters_people_and_official_sources():
    reader, person, office = UserFactory(), UserFactory(), UserFactory(role=Role.OFFICIAL)
    services.follow(person, by=reader)
    services.follow(office, by=reader)
    services.create_post(by=person, body="From a person")
    services.create_post(by=office, body="From an office")
    client = signed_in(reader)
    everyone = shown(client, "/home/")
    assert "From a person" in everyone and "From an office" in everyone
    people_only = shown(client, "/home/?filter=people")
    assert "From a person" in people_only and "From an office" not in people_only
    official = shown(client, "/home/?filter=official")
    assert "From a person" not in official and "From an office" in official


def test_the_feed_pages_by_cursor_with_a_more_link():
    ada = UserFactory()
    for number in range(25):
        services.create_post(by=ada, body=f"Number {number:02d}")
    client = signed_in(ada)
    first = shown(client, "/home/")
    assert "Number 24" in first and "Number 05" in first and "Number 04" not in first
    more = first.split('class="more"><a class="button" href="')[1].split('"')[0]
    second = shown(client, "/home/" + more.replace("&amp;", "&"))
    assert "Number 04" in second and "Number 00" in second and "Number 05" not in second
    assert "That is everything." in second
    assert shown(client, "/home/?before=not-a-cursor").count("Number") >= 20


# As in PINNED below, and where the page shows the sharer's shares, two more: the shared
# originals and their images.
FEED_QUERIES = {
    "/home/": 7,
    "/latest/": 6,
    "/tags/busy/": 7,
    "/@writer/posts/": 5,
    "/@writer/": 5,
}


@pytest.mark.parametrize(("path", "expected"), FEED_QUERIES.items())
def test_feed_pages_make_as_many_queries_for_5_posts_as_for_50(path, expected, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    writer, reader, sharer = UserFactory(handle="writer"), UserFactory(), UserFactory()
    services.follow(writer, by=reader)
    services.follow(sharer, by=reader)
    client = signed_in(reader)

    def grow_to(number):
        while writer.posts.count() < number:
            post = services.create_post(by=writer, body=f"#busy post {writer.posts.count()}")
            services.like_post(post, by=reader)
            services.share_post(post, by=sharer, body="#busy shared")

    grow_to(5)
    few, many = assert_constant_queries(
        lambda: client.get(path), lambda: grow_to(50), expected=expected
    )
    if path == "/@writer/":  # the profile: who they are, not their posts
        assert "@writer" in main_part(few) and "@writer" in main_part(many)
    else:
        assert "post 4" in main_part(few) and "post 49" not in main_part(few)
        assert "post 49" in main_part(many)


# The numbers: the account (the session comes from the cache), the page's posts (with their
# authors and shared posts in the same query), their images, the header's unread count; the
# tag page adds the tag, the posts page the person; the profile page (no posts on it) adds
# the relationship, the block check and the list permission to the person.
PINNED = {
    # The home feed first picks the page's ids, then fetches those posts by id (on
    # PostgreSQL the first query also picks the plan: tests/social/test_feed_fast_path.py).
    "/home/": 5,
    "/latest/": 4,
    "/tags/busy/": 5,
    "/@writer/posts/": 5,
    "/@writer/": 5,
    "/notifications/": 3,
}


@pytest.mark.parametrize(("path", "expected"), PINNED.items())
def test_page_query_counts_are_pinned(path, expected, django_assert_num_queries):
    writer, reader = UserFactory(handle="writer"), UserFactory()
    services.follow(writer, by=reader)
    for number in range(30):
        post = services.create_post(by=writer, body=f"#busy post {number}")
        services.like_post(post, by=reader)
        services.follow(reader, by=UserFactory())
    client = signed_in(reader)
    with django_assert_num_queries(expected):
        page = main_part(client.get(path))
    if path == "/notifications/":
        assert page.count("follows you.") == 30
    elif path == "/@writer/":
        assert "@writer" in page
    else:
        assert "post 29" in page and page.count('<article class="post"') == 20  # a page
