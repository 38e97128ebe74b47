"""RSS and Atom feeds of offices, topics, areas, processes and public profiles: they parse
with a third-party reader (feedparser), hold only what a visitor who is not signed in may
read, are named in their pages' heads beside the Open Graph tags, and take the same number of
queries whatever the number of posts."""

import feedparser
import pytest
from django.test import Client

from agora.accounts.models import Visibility as ProfileVisibility
from agora.moderation.models import ModerationState
from agora.social import services
from agora.social.models import Post, Visibility
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries
from tests.social.sources_helpers import build_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return build_directory()


def read_feed(path: str, status: int = 200):
    response = Client().get(path)
    assert response.status_code == status, (path, response.status_code)
    if status != 200:
        return None
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def titles(parsed) -> list[str]:
    return [entry.title for entry in parsed.entries]


def test_an_offices_feed_holds_its_public_announcements_and_nothing_else(town):
    office, official = town.parks_office, town.parks_official
    services.create_post(by=official, office=office, body="The rose garden opens on Monday.")
    services.create_post(
        by=official, office=office, body="Staff rota for followers.", visibility="followers"
    )
    services.create_post(by=official, body="My own weekend plans.")
    for form, version in (("rss", "rss20"), ("atom", "atom10")):
        parsed = read_feed(f"/feeds/office/{office.slug}.{form}")
        assert parsed.version == version
        assert parsed.feed.title == "Parks Office"
        assert titles(parsed) == ["Parks Office: The rose garden opens on Monday."]
        entry = parsed.entries[0]
        post = Post.objects.get(body="The rose garden opens on Monday.")
        assert entry.link.endswith(f"/posts/{post.pk}/")
        assert "rose garden" in entry.summary


def test_a_topics_feed_leaves_out_private_profiles_restricted_and_withheld_posts(town):
    public = UserFactory(display_name="Ana Abierta")
    hidden_profile = UserFactory(profile_visibility=ProfileVisibility.MEMBERS)
    services.create_post(by=public, body="New swings in the #playground, thanks!")
    services.create_post(by=hidden_profile, body="Only members read me #parks")
    services.create_post(by=public, body="Followers only #parks", visibility=Visibility.FOLLOWERS)
    withheld = services.create_post(by=public, body="Reported #parks")
    Post.objects.filter(pk=withheld.pk).update(moderation_state=ModerationState.HIDDEN)
    services.create_post(by=public, body="A share's original may be for fewer people.")
    parsed = read_feed(f"/feeds/topic/{town.parks.slug}.rss")
    assert titles(parsed) == ["Ana Abierta: New swings in the #playground, thanks!"]


def test_a_person_has_a_feed_only_while_their_profile_is_public(town):
    person = UserFactory(handle="ana", display_name="Ana Abierta")
    services.create_post(by=person, body="Hello, neighbours.")
    assert titles(read_feed("/feeds/@ana.atom")) == ["Ana Abierta: Hello, neighbours."]
    page = Client().get("/@ana/").content.decode()
    assert 'type="application/atom+xml"' in page and 'href="/feeds/@ana.atom"' in page
    assert 'property="og:type" content="profile"' in page

    person.profile_visibility = ProfileVisibility.MEMBERS
    person.save()
    read_feed("/feeds/@ana.atom", status=404)
    page = Client().get("/@ana/").content.decode()
    assert "og:title" not in page and "/feeds/@ana" not in page
    read_feed("/feeds/@nobody-here.rss", status=404)


def test_the_office_page_names_its_feeds_and_describes_itself(town):
    page = Client().get(town.parks_office.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Parks Office">' in page
    assert f'href="/feeds/office/{town.parks_office.slug}.rss"' in page
    assert f'href="/feeds/office/{town.parks_office.slug}.atom"' in page
    assert 'content="http://' in page or 'content="https://' in page  # og:url is absolute


def test_a_feed_takes_two_queries_whatever_the_number_of_posts(town):
    office, official = town.parks_office, town.parks_official
    services.create_post(by=official, office=office, body="First news.")

    def grow():
        for number in range(25):
            services.create_post(by=official, office=office, body=f"News number {number}.")

    results = assert_constant_queries(
        {
            "office": lambda: Client().get(f"/feeds/office/{office.slug}.rss"),
            "area": lambda: Client().get(f"/feeds/area/{town.district.slug}.atom"),
        },
        grow,
        expected={"office": 2, "area": 2},
    )
    for name in ("office", "area"):
        few, many = results[name]
        assert len(feedparser.parse(few.content).entries) == 1
        assert len(feedparser.parse(many.content).entries) == 20  # the latest twenty


def test_an_unknown_thing_has_no_feed(town):
    read_feed("/feeds/office/no-such-office.rss", status=404)
    assert Client().get(f"/feeds/office/{town.parks_office.slug}.json").status_code == 404
