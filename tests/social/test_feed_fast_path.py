"""The home feed's pages (`feeds.home_page`): picked by a statement compiled once and bound per
page, they serve exactly the posts of the `home_feed` queryset, page by page, with every
privacy rule. On PostgreSQL the per-author plan serves viewers who follow few enough people,
and the walk the others; on SQLite the walk serves every page, and the same assertions hold.
Last, the cached part of the post cards: one reader's view of a card never reaches another,
and a change to a post or its author shows at once."""

import base64

import pytest
from django.db import connection
from django.utils import timezone

from agora.accounts.kinds import AccountKind
from agora.accounts.models import Role
from agora.accounts.models import Visibility as ProfileVisibility
from agora.directory.models import Authority, Office, OfficeMembership
from agora.social import feeds, services
from agora.social.models import Block, Post, Visibility
from agora.social.permissions import visible_posts
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in

pytestmark = pytest.mark.django_db

POSTGRESQL = connection.vendor == "postgresql"


def ids(posts) -> list[int]:
    return [post.pk for post in posts]


def per_author_plan_served(viewer, feed_filter=feeds.FeedFilter.EVERYONE) -> bool:
    _ids, plan = feeds.home_page_ids(viewer, None, feed_filter=feed_filter, limit=21)
    return plan == "per author"


def shown(viewer, path="/home/") -> str:
    response = signed_in(viewer).get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def reader():
    """Ria follows Ada, Bob and an official; Cem is connected with Ada, not with Ria."""
    ria, ada, bob, official = (UserFactory(handle=name) for name in ("ria", "ada", "bob", "off"))
    official.role = Role.OFFICIAL
    official.save(update_fields=["role"])
    # Each kind of account has someone followed, so the kind filters have pages too.
    official.kind, ada.kind = AccountKind.INSTITUTIONAL, AccountKind.POLITICAL
    official.save(update_fields=["kind"])
    ada.save(update_fields=["kind"])
    for other in (ada, bob, official):
        services.follow(other, by=ria)
    return ria, ada, bob, official


def test_the_per_author_plan_serves_the_general_plans_pages(reader):
    ria, ada, bob, official = reader
    stranger = UserFactory()
    for number in range(12):
        for author in (ada, bob, official, stranger, ria):
            visibility = Visibility.values[number % 3]
            services.create_post(by=author, body=f"{author.handle} {number}", visibility=visibility)
    for feed_filter in feeds.FeedFilter.ALL:
        cursor, pages = None, 0
        while True:
            fast = feeds.home_page(ria, cursor, feed_filter=feed_filter, size=7)
            walked = feeds.page_of(feeds.home_feed(ria, feed_filter=feed_filter), cursor, size=7)
            assert ids(fast.items) == ids(walked.items), (feed_filter, pages)
            assert fast.next_cursor == walked.next_cursor
            assert all(post.author_id != stranger.pk for post in fast.items)
            pages += 1
            if fast.next_cursor is None:
                break
            cursor = fast.next_cursor
        assert pages >= 2
    assert per_author_plan_served(ria) == POSTGRESQL


@pytest.mark.parametrize("feed_filter", feeds.FeedFilter.ALL)
def test_each_page_binds_the_statement_compiled_for_its_viewer(reader, feed_filter):
    ria, ada, _bob, _official = reader
    services.follow(ria, by=ada)
    position = (timezone.now(), 12345)
    for viewer in (ria, ada):
        for start in (None, position):
            options = {"feed_filter": feed_filter, "limit": 21}
            bound = feeds.bound_home_statement(viewer, start, **options)
            assert bound == feeds.home_statement(viewer, start, **options)
        sql, params = feeds.visible_post_ids(viewer).as_sql(None, connection)
        compiled = (
            visible_posts(viewer, hide_muted=False, include_expired=True)
            .values("id")
            .query.sql_with_params()
        )
        assert (sql, list(params)) == (f"({compiled[0]})", list(compiled[1]))


def test_the_per_author_plan_keeps_each_posts_visibility(reader):
    ria, ada, _bob, _official = reader
    cem = UserFactory()
    services.follow(cem, by=ria)
    services.follow(ada, by=cem)
    services.follow(cem, by=ada)
    services.connect(cem, by=ada)
    for visibility in Visibility.values:
        services.create_post(by=ada, body=f"Ada for {visibility}", visibility=visibility)
        services.create_post(by=cem, body=f"Cem for {visibility}", visibility=visibility)
    page = shown(ria)
    assert "Ada for public" in page and "Ada for followers" in page
    assert "Ada for connections" not in page  # Ria follows Ada but is not connected with her
    assert "Cem for connections" not in page
    cem_page = shown(cem)
    assert "Ada for connections" in cem_page and "Cem for connections" in cem_page
    assert per_author_plan_served(ria) == POSTGRESQL


def test_a_block_hides_the_author_even_with_a_follow_left_over(reader):
    ria, ada, bob, _official = reader
    services.create_post(by=ada, body="Ada speaks")
    services.create_post(by=bob, body="Bob speaks")
    # services.block removes the follows; a row written beside them (a race, an import) must
    # not bring the blocker's posts back through the per-author plan.
    Block.objects.create(blocker=ada, blocked=ria)
    Block.objects.create(blocker=ria, blocked=bob)
    services.create_post(by=ria, body="Ria speaks")
    page = shown(ria)
    assert "Ria speaks" in page
    assert "Ada speaks" not in page and "Bob speaks" not in page
    assert per_author_plan_served(ria) == POSTGRESQL


def test_muted_hidden_and_inactive_authors_stay_out(reader):
    ria, ada, bob, official = reader
    for author in (ada, bob, official):
        services.create_post(by=author, body=f"Words of {author.handle}")
    services.mute(ada, by=ria)
    bob.profile_visibility = ProfileVisibility.PRIVATE
    bob.save(update_fields=["profile_visibility"])
    official.is_active = False
    official.save(update_fields=["is_active"])
    services.create_post(by=ria, body="My own words")
    page = shown(ria)
    assert "My own words" in page
    for author in (ada, bob, official):
        assert f"Words of {author.handle}" not in page
    assert per_author_plan_served(ria) == POSTGRESQL


def test_the_feed_filters_hold_on_the_per_author_plan(reader):
    ria, ada, _bob, official = reader
    services.create_post(by=ada, body="From a person")
    services.create_post(by=official, body="From an official")
    people = shown(ria, "/home/?filter=people")
    assert "From a person" in people and "From an official" not in people
    official_only = shown(ria, "/home/?filter=official")
    assert "From an official" in official_only and "From a person" not in official_only
    assert per_author_plan_served(ria, feed_filter=feeds.FeedFilter.OFFICIAL) == POSTGRESQL


def test_following_an_office_brings_its_announcements_through_the_general_plan(reader):
    ria, _ada, _bob, official = reader
    city = Authority.objects.create(slug="city", name_en="City")
    parks = Office.objects.create(authority=city, slug="parks", name_en="Parks office")
    OfficeMembership.objects.create(office=parks, user=official)
    services.create_post(by=official, body="Parks announcement", office=parks)
    services.create_post(by=official, body="Personal note")
    assert "Parks announcement" not in shown(ria)  # following the official is not the office
    services.follow_source(parks, by=ria)
    page = shown(ria)
    assert "Parks announcement" in page and "Personal note" in page
    assert not per_author_plan_served(ria)


def test_someone_following_nobody_sees_their_own_posts():
    loner = UserFactory()
    services.create_post(by=loner, body="Talking to myself")
    services.create_post(by=UserFactory(), body="Somebody else")
    page = shown(loner)
    assert "Talking to myself" in page and "Somebody else" not in page
    assert per_author_plan_served(loner) == POSTGRESQL


def test_more_authors_than_the_limit_take_the_general_plan(reader, monkeypatch):
    ria, ada, _bob, _official = reader
    services.create_post(by=ada, body="Still here")
    monkeypatch.setattr(feeds, "FAST_PATH_MIN_AUTHORS", 1)
    monkeypatch.setattr(feeds, "FAST_PATH_MAX_AUTHORS", 2)
    assert not per_author_plan_served(ria)
    assert "Still here" in shown(ria)


@pytest.mark.slow
def test_the_per_author_plan_makes_as_many_queries_for_5_posts_as_for_50(reader):
    ria, ada, bob, _official = reader
    client = signed_in(ria)

    def grow_to(number):
        while ada.posts.count() < number:
            post = services.create_post(by=ada, body=f"post {ada.posts.count()}")
            services.like_post(post, by=ria)
            services.share_post(post, by=bob, body="shared")

    grow_to(5)
    # Session, account, the page's ids, the posts, their images, the shared originals, their
    # images, the unread count.
    few, many = assert_constant_queries(
        lambda: client.get("/home/"), lambda: grow_to(50), expected=7
    )
    assert "post 4" in main_part(few) and "post 49" in main_part(many)
    assert "post 49" not in main_part(few)
    assert per_author_plan_served(ria) == POSTGRESQL


def test_a_cached_card_shows_each_reader_their_own_view_of_a_share():
    ada, sam, bob, cem = (UserFactory() for _ in range(4))
    original = services.create_post(by=ada, body="Original words")
    services.share_post(original, by=sam, body="Worth reading")
    for reader in (bob, cem):
        services.follow(sam, by=reader)
    services.block(cem, by=ada)
    for _ in range(2):  # the second round reads the cards from the cache
        bob_page, cem_page = shown(bob), shown(cem)
        assert "Worth reading" in bob_page and "Original words" in bob_page
        assert "Worth reading" in cem_page and "Original words" not in cem_page
        assert "The shared post is not available." in cem_page


def test_a_cached_card_changes_with_the_post_and_its_author():
    ada, bob = UserFactory(display_name="Ada"), UserFactory()
    services.follow(ada, by=bob)
    post = services.create_post(by=ada, body="First words")
    first = shown(bob)
    assert "First words" in first and "0 replies" in first and "0 shares" in first
    services.comment_on_post(post, by=bob, body="A reply")
    services.share_post(post, by=bob)
    counted = shown(bob)
    assert "1 reply" in counted and "1 share" in counted
    services.edit_post(post, by=ada, body="Second words")
    ada.display_name = "Ada Lovelace"
    ada.save(update_fields=["display_name"])
    page = shown(bob)
    assert "Second words" in page and "First words" not in page
    assert 'class="post-edited"' in page
    assert "Ada Lovelace" in page


@pytest.mark.parametrize(
    "raw",
    [
        "2026-01-01T00:00:00+00:00|99999999999999999999999",
        "2026-01-01T00:00:00+00:00|-5",
        "0001-01-01T00:00:00+00:00|1",
        "9999-12-31T23:59:59+00:00|1",
        "2026-01-01T00:00:00|3",
        "0001-01-01T00:00:00+01:00|5",
        "0001-01-01T00:30:00+23:59|5",
        "9999-12-31T23:59:59-01:00|5",
        "2020-01-01T00:00:00+05:30:15.123456|5",
    ],
)
def test_any_cursor_a_client_sends_answers_a_page(reader, raw):
    ria, ada, _bob, _official = reader
    services.create_post(by=ada, body="A post")
    cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    for path in ("/home/", "/latest/", f"/@{ada.handle}/posts/"):
        page = signed_in(ria).get(f"{path}?before={cursor}").content.decode()
        assert 'class="feed"' in page or "No posts here yet." in page, path
    assert signed_in(ria).get(f"/api/v1/feed?before={cursor}").status_code == 200


def test_a_post_deleted_while_a_page_is_fetched_does_not_end_the_feed(reader, monkeypatch):
    ria, ada, _bob, _official = reader
    posts = [services.create_post(by=ada, body=f"post {number}") for number in range(5)]
    picked = feeds.home_page_ids

    def picked_then_deleted(*args, **options):
        ids, plan = picked(*args, **options)
        Post.objects.filter(pk=ids[0]).delete()
        return ids, plan

    monkeypatch.setattr(feeds, "home_page_ids", picked_then_deleted)
    page = feeds.home_page(ria, None, size=3)
    assert ids(page.items) == [posts[3].pk, posts[2].pk]
    assert page.next_cursor is not None
    monkeypatch.undo()
    rest = feeds.home_page(ria, page.next_cursor, size=3)
    assert ids(rest.items) == [posts[1].pk, posts[0].pk] and rest.next_cursor is None
