"""Following offices, topics and areas: the buttons on their pages, the list on one's own
profile, and what each brings to the home feed; hashtags that name a topic or an area."""

import pytest
from django.test import Client

from agora.directory.models import Topic
from agora.social import feeds, services
from agora.social.models import AreaFollow, OfficeFollow, Tag, TopicFollow
from agora.social.sources import SOURCE_KINDS
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in
from tests.social.sources_helpers import build_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return build_directory()


def feed_texts(person, feed_filter=feeds.FeedFilter.EVERYONE) -> list[str]:
    posts = feeds.home_feed(person, feed_filter=feed_filter).order_by("-created_at", "-id")
    return [post.body for post in posts]


def test_the_follow_buttons_on_office_topic_and_area_pages_follow_and_unfollow(town):
    resident = UserFactory()
    client = signed_in(resident)
    pages = [
        ("office", town.lighting_office, OfficeFollow),
        ("topic", town.lighting, TopicFollow),
        ("area", town.district, AreaFollow),
    ]
    for kind, thing, model in pages:
        html = client.get(thing.get_absolute_url()).content.decode()
        assert f'action="/follow/{kind}/{thing.slug}"' in html
        assert ">Follow</button>" in html
        assert "No followers yet" in html and "0 followers" not in html

        response = client.post(f"/follow/{kind}/{thing.slug}", {"next": thing.get_absolute_url()})
        assert response.status_code == 302
        assert response["Location"] == thing.get_absolute_url()
        assert model.objects.filter(follower=resident).count() == 1

        html = client.get(thing.get_absolute_url()).content.decode()
        assert f'action="/unfollow/{kind}/{thing.slug}"' in html
        assert ">Unfollow</button>" in html
        assert "1 follower<" in html

        client.post(f"/follow/{kind}/{thing.slug}")  # twice changes nothing
        assert model.objects.filter(follower=resident).count() == 1
        client.post(f"/unfollow/{kind}/{thing.slug}")
        assert not model.objects.filter(follower=resident).exists()


def test_a_visitor_is_asked_to_log_in_and_cannot_follow(town):
    visitor = Client()
    html = visitor.get(town.lighting_office.get_absolute_url()).content.decode()
    assert "Log in to follow" in html
    response = visitor.post(f"/follow/office/{town.lighting_office.slug}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not OfficeFollow.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/follow/office/no-such-office",
        "/follow/process/public-lighting",
        "/follow/office/Public%20Lighting",
    ],
)
def test_following_what_does_not_exist_is_not_found(town, path):
    assert signed_in(UserFactory()).post(path).status_code == 404
    assert not OfficeFollow.objects.exists()


def test_following_is_a_post_only_action(town):
    response = signed_in(UserFactory()).get(f"/follow/office/{town.lighting_office.slug}")
    assert response.status_code == 405
    assert not OfficeFollow.objects.exists()


def test_a_person_sees_what_they_follow_on_their_own_profile_and_nobody_else_does(town):
    resident, other = UserFactory(handle="rosa"), UserFactory()
    services.follow_source(town.lighting_office, by=resident)
    services.follow_source(town.parks, by=resident)
    services.follow_source(town.district, by=resident)

    own = signed_in(resident).get("/@rosa/").content.decode()
    section = own[own.index('id="followed-heading"') :]
    assert "What you follow" in own
    for thing in (town.lighting_office, town.parks, town.district):
        assert f'href="{thing.get_absolute_url()}">{thing.name}</a>' in section
        assert f'aria-label="Unfollow {thing.name}"' in section
    assert "Public Lighting Unit" in section and "Old Town" in section

    for viewer in (signed_in(other), Client()):
        html = viewer.get("/@rosa/").content.decode()
        assert "What you follow" not in html
        assert "Public Lighting Unit" not in html

    signed_in(resident).post(f"/unfollow/topic/{town.parks.slug}", {"next": "/@rosa/"})
    assert not TopicFollow.objects.filter(follower=resident).exists()


def test_the_own_profile_lists_follows_in_the_same_queries_however_many(town):
    from tests.directory.factories import OfficeFactory

    resident = UserFactory(handle="rosa")
    client = signed_in(resident)
    client.get("/@rosa/")

    def follow_offices(count):
        for office in [OfficeFactory() for _ in range(count)]:
            services.follow_source(office, by=resident)

    follow_offices(2)
    few, many = assert_constant_queries(
        lambda: client.get("/@rosa/"),
        lambda: follow_offices(20),
        # the person, the profile, one list per kind of source (offices, topics, areas;
        # processes, registered by the processes app), the unread count
        expected=3 + len(SOURCE_KINDS),
    )
    assert main_part(few).count('action="/unfollow/office/') == 2
    assert main_part(many).count('action="/unfollow/office/') == 22


def test_the_home_feed_brings_announcements_of_followed_offices_only(town):
    resident = UserFactory()
    services.create_post(
        by=town.lighting_official, body="Lights renewed", office=town.lighting_office
    )
    services.create_post(by=town.parks_official, body="Park closed", office=town.parks_office)
    services.create_post(by=town.lighting_official, body="My own view")
    assert feed_texts(resident) == []

    services.follow_source(town.lighting_office, by=resident)
    assert feed_texts(resident) == ["Lights renewed"]

    # Following the official in person brings what they say for themselves, not the office.
    services.follow(town.lighting_official, by=resident)
    assert set(feed_texts(resident)) == {"Lights renewed", "My own view"}
    services.unfollow_source(town.lighting_office, by=resident)
    assert feed_texts(resident) == ["My own view"]


def test_following_a_topic_brings_posts_whose_hashtag_names_it(town):
    resident, writer = UserFactory(), UserFactory()
    services.create_post(by=writer, body="Dark corner again #farolas")
    services.create_post(by=writer, body="Broken bulb #StreetLights")
    services.create_post(by=writer, body="New swings #playground")
    services.create_post(by=writer, body="Nothing to see #weather")
    services.follow_source(town.lighting, by=resident)
    assert feed_texts(resident) == ["Broken bulb #StreetLights", "Dark corner again #farolas"]


def test_a_post_with_two_tags_of_a_followed_topic_comes_once(town):
    resident, writer = UserFactory(), UserFactory()
    services.create_post(by=writer, body="#farola #streetlight #lamppost out")
    services.follow_source(town.lighting, by=resident)
    assert feed_texts(resident) == ["#farola #streetlight #lamppost out"]


def test_following_an_area_brings_its_offices_announcements_and_posts_tagged_with_it(town):
    resident, writer = UserFactory(), UserFactory()
    services.create_post(by=town.parks_official, body="Park reopens", office=town.parks_office)
    services.create_post(
        by=town.lighting_official, body="City-wide lights", office=town.lighting_office
    )
    services.create_post(by=writer, body="Market on Sunday #CascoAntiguo")
    services.create_post(by=writer, body="Market elsewhere #Uptown")
    services.follow_source(town.district, by=resident)
    # The parks office has a responsibility recorded for Old Town; the lighting office only
    # for the whole city, so it does not come with the district.
    assert feed_texts(resident) == ["Market on Sunday #CascoAntiguo", "Park reopens"]


def test_followers_only_announcements_reach_the_followers_of_the_office(town):
    follower, follower_of_official, stranger = UserFactory(), UserFactory(), UserFactory()
    services.follow_source(town.lighting_office, by=follower)
    services.follow(town.lighting_official, by=follower_of_official)
    post = services.create_post(
        by=town.lighting_official,
        body="For our followers",
        office=town.lighting_office,
        visibility="followers",
    )
    for person, sees in [(follower, True), (follower_of_official, False), (stranger, False)]:
        response = signed_in(person).get(f"/posts/{post.pk}/")
        assert (response.status_code == 200) == sees, person
    assert Client().get(f"/posts/{post.pk}/").status_code == 404
    assert feed_texts(follower) == ["For our followers"]
    assert feed_texts(follower_of_official) == []


def test_the_feed_filters_put_announcements_with_official_sources(town):
    resident, neighbour = UserFactory(), UserFactory()
    services.follow(neighbour, by=resident)
    services.follow_source(town.lighting_office, by=resident)
    services.create_post(by=neighbour, body="From a neighbour")
    services.create_post(
        by=town.lighting_official, body="Announcement", office=town.lighting_office
    )
    assert feed_texts(resident, feeds.FeedFilter.OFFICIAL) == ["Announcement"]
    assert feed_texts(resident, feeds.FeedFilter.PEOPLE) == ["From a neighbour"]
    assert feed_texts(resident) == ["Announcement", "From a neighbour"]

    html = signed_in(resident).get("/home/?filter=people").content.decode()
    assert "From a neighbour" in html and "Announcement" not in html
    html = signed_in(resident).get("/home/?filter=official").content.decode()
    assert "Announcement" in html and "From a neighbour" not in html


def test_the_home_feed_reads_in_the_same_queries_with_many_sources_followed(town):
    from tests.directory.factories import OfficeFactory

    resident = UserFactory()
    client = signed_in(resident)

    def add(count):
        for _ in range(count):
            office = OfficeFactory()
            services.follow_source(office, by=resident)
            services.follow_source(town.lighting, by=resident)
            services.create_post(by=UserFactory(), body="About #streetlight")

    add(5)
    few, many = assert_constant_queries(lambda: client.get("/home/"), lambda: add(45), expected=5)
    assert main_part(few).count('<article class="post"') == 5
    assert main_part(many).count('<article class="post"') == 20  # a page


def test_tags_name_topics_by_slug_name_and_keyword_and_areas_by_name_and_alias(town):
    writer = UserFactory()
    services.create_post(
        by=writer, body="#parks #ParksAndGardens #playgrounds #oldtown #CascoAntiguo #misc"
    )
    links = {tag.name: (tag.topic_id, tag.area_id) for tag in Tag.objects.all()}
    assert links == {
        "parks": (town.parks.pk, None),
        "parksandgardens": (town.parks.pk, None),
        "playgrounds": (town.parks.pk, None),
        "oldtown": (None, town.district.pk),
        "cascoantiguo": (None, town.district.pk),
        "misc": (None, None),
    }


def test_a_keyword_two_topics_share_names_neither(town):
    town.parks.keywords_en = "playground; lamp post"
    town.parks.save()
    services.create_post(by=UserFactory(), body="#LampPost #farola")
    links = dict(Tag.objects.values_list("name", "topic"))
    assert links == {"lamppost": None, "farola": town.lighting.pk}


def test_tags_are_relinked_when_the_directory_changes(town, django_capture_on_commit_callbacks):
    services.create_post(by=UserFactory(), body="#benches in the square")
    assert Tag.objects.get(name="benches").topic is None
    with django_capture_on_commit_callbacks(execute=True):
        town.parks.keywords_en = "playground; bench"
        town.parks.save()
    assert Tag.objects.get(name="benches").topic == town.parks

    with django_capture_on_commit_callbacks(execute=True):
        Topic.objects.create(slug="benches", name_en="Street furniture")
    assert Tag.objects.get(name="benches").topic.slug == "benches"  # a slug beats a keyword

    with django_capture_on_commit_callbacks(execute=True):
        Topic.objects.filter(slug="benches").delete()
        town.parks.keywords_en = "playground"
        town.parks.save()
    assert Tag.objects.get(name="benches").topic is None


def test_a_tag_page_links_to_the_topic_or_place_the_tag_names(town):
    services.create_post(by=UserFactory(), body="#farola #OldTown #misc")
    html = Client().get("/tags/farola/").content.decode()
    assert 'href="/directory/topics/street-lighting/">Street lighting</a>' in html
    html = Client().get("/tags/oldtown/").content.decode()
    assert 'href="/directory/areas/old-town/">Old Town</a>' in html
    html = Client().get("/tags/misc/").content.decode()
    assert "names a topic" not in html and "names a place" not in html
