"""The office page as the office's public face: its response statistics over a period, its
Follow button and follower count, and its announcements, cursor-paged; the topic page with the
posts about the topic. Constant query counts for 5 items and for 50."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from agora.cases import services as case_services
from agora.cases.models import Case
from agora.social import services
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in
from tests.social.sources_helpers import build_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return build_directory()


def submit_case(town, *, days_ago, acknowledged_after=None, answered_after=None) -> Case:
    case = case_services.submit_case(
        by=UserFactory(),
        kind="report",
        title="Streetlight out",
        description="Dark for a week.",
        topic=town.lighting,
    )
    created = timezone.now() - timedelta(days=days_ago)
    Case.objects.filter(pk=case.pk).update(
        created_at=created,
        acknowledge_due_at=created + timedelta(days=2),
        answer_due_at=created + timedelta(days=10),
        acknowledged_at=created + acknowledged_after if acknowledged_after else None,
        answered_at=created + answered_after if answered_after else None,
    )
    return case


def test_the_office_page_shows_its_response_statistics_for_the_last_90_days(town, settings):
    settings.AGORA_ACCOUNTABILITY_MIN_CASES = 2  # the default (5) would say "too few" below
    submit_case(
        town, days_ago=5, acknowledged_after=timedelta(hours=2), answered_after=timedelta(days=1)
    )
    submit_case(
        town, days_ago=50, acknowledged_after=timedelta(hours=6), answered_after=timedelta(days=13)
    )
    submit_case(town, days_ago=200, answered_after=timedelta(days=3))
    html = main_part(Client().get("/directory/offices/public-lighting/"))
    section = html[html.index('id="statistics-heading"') :]
    assert "How it answers: the last 90 days" in section
    assert "<dt>Cases received</dt><dd>2</dd>" in section
    assert "<dt>Median time to acknowledge</dt><dd>4 hours</dd>" in section
    assert "<dt>Median time to answer</dt><dd>7 days</dd>" in section
    assert "50% of 2" in section
    assert 'href="/cases/accountability/public-lighting/"' in section

    html = main_part(Client().get("/directory/offices/public-lighting/?days=365"))
    assert "How it answers: the last 365 days" in html
    assert "<dt>Cases received</dt><dd>3</dd>" in html
    html = main_part(Client().get("/directory/offices/public-lighting/?days=30"))
    assert "<dt>Cases received</dt><dd>1</dd>" in html
    assert "<dt>Median time to answer</dt><dd>Too few cases to say</dd>" in html
    assert "% of 1" not in html


@pytest.mark.parametrize("days", ["7", "abc", "-1", "99999999999999999999"])
def test_an_unknown_period_falls_back_to_90_days(town, days):
    html = main_part(Client().get(f"/directory/offices/public-lighting/?days={days}"))
    assert "How it answers: the last 90 days" in html


def test_an_office_without_cases_says_no_case_is_due(town):
    html = main_part(Client().get("/directory/offices/parks-office/"))
    assert "<dt>Cases received</dt><dd>0</dd>" in html
    assert "No case is due yet." in html


def test_the_office_page_shows_the_follower_count_and_announcements_newest_first(town):
    for _ in range(3):
        services.follow_source(town.lighting_office, by=UserFactory())
    services.create_post(
        by=town.lighting_official, body="First notice", office=town.lighting_office
    )
    services.create_post(
        by=town.lighting_official, body="Second notice", office=town.lighting_office
    )
    services.create_post(by=town.lighting_official, body="Personal, not here")
    services.create_post(by=town.parks_official, body="Parks notice", office=town.parks_office)
    html = main_part(Client().get("/directory/offices/public-lighting/"))
    assert "3 followers" in html
    announcements = html[html.index('id="announcements-heading"') :]
    assert announcements.index("Second notice") < announcements.index("First notice")
    assert "Personal, not here" not in html
    assert "Parks notice" not in html


def test_only_officials_of_the_office_see_the_link_to_post_an_announcement(town):
    link = "Post an announcement as this office"
    assert link in main_part(
        signed_in(town.lighting_official).get("/directory/offices/public-lighting/")
    )
    assert link not in main_part(
        signed_in(town.parks_official).get("/directory/offices/public-lighting/")
    )
    assert link not in main_part(Client().get("/directory/offices/public-lighting/"))


def test_the_announcements_are_paged_by_cursor(town):
    for number in range(25):
        services.create_post(
            by=town.lighting_official,
            body=f"Notice number {number:02d}",
            office=town.lighting_office,
        )
    html = main_part(Client().get("/directory/offices/public-lighting/"))
    assert "Notice number 24" in html and "Notice number 05" in html
    assert "Notice number 04" not in html
    cursor = html.split("before=", 1)[1].split('"', 1)[0]
    older = main_part(Client().get(f"/directory/offices/public-lighting/?before={cursor}"))
    assert "Notice number 04" in older and "Notice number 00" in older
    assert "Notice number 05" not in older
    assert "That is everything." in older


def test_followers_only_announcements_show_on_the_office_page_to_followers_only(town):
    follower = UserFactory()
    services.follow_source(town.lighting_office, by=follower)
    services.create_post(
        by=town.lighting_official,
        body="Followers only",
        office=town.lighting_office,
        visibility="followers",
    )
    assert "Followers only" in main_part(
        signed_in(follower).get("/directory/offices/public-lighting/")
    )
    assert "Followers only" not in main_part(
        signed_in(UserFactory()).get("/directory/offices/public-lighting/")
    )
    assert "Followers only" not in main_part(Client().get("/directory/offices/public-lighting/"))


def test_the_topic_page_shows_recent_posts_whose_hashtag_names_it(town):
    writer = UserFactory()
    services.create_post(by=writer, body="Lamp out #farola")
    services.create_post(by=writer, body="Dark street #StreetLighting")
    services.create_post(by=writer, body="Swings #playground")
    html = main_part(Client().get("/directory/topics/street-lighting/"))
    posts = html[html.index('id="posts-heading"') :]
    assert posts.index("Dark street") < posts.index("Lamp out")
    assert "Swings" not in posts
    assert "#streetlighting" in posts  # the example tag


@pytest.mark.slow
def test_office_topic_and_area_pages_read_in_constant_queries_with_content(town):
    official = town.lighting_official
    writer = UserFactory()

    def add(numbers):
        for number in numbers:
            follower = UserFactory()
            services.follow_source(town.lighting_office, by=follower)
            services.follow_source(town.lighting, by=follower)
            services.follow_source(town.district, by=follower)
            services.create_post(by=official, body=f"Notice {number}", office=town.lighting_office)
            services.create_post(by=writer, body=f"Note {number} #farola")
            submit_case(
                town,
                days_ago=number % 80 + 1,
                acknowledged_after=timedelta(hours=number + 1),
                answered_after=timedelta(days=number % 12 + 1),
            )

    add(range(5))
    visitor, member = Client(), signed_in(UserFactory())
    paths = {
        "office": "/directory/offices/public-lighting/",
        "topic": "/directory/topics/street-lighting/",
        "area": "/directory/areas/old-town/",
    }
    Client().get("/directory/ask/?q=x")  # builds the routing index once
    pages = assert_constant_queries(
        {
            f"{page} as {who}": lambda path=path, client=client: client.get(path)
            for page, path in paths.items()
            for who, client in (("visitor", visitor), ("member", member))
        },
        lambda: add(range(5, 50)),
        expected={
            # office, responsibilities, units, officials, followers, 3 for the figures (counts
            # and two medians), announcements, their images, the coming meetings
            "office as visitor": 11,
            # + account (the session is cached), unread notifications, may they post as it,
            # may they add a meeting
            "office as member": 15,
            # topic, units, responsibilities, followers, posts, their images
            "topic as visitor": 6,
            "topic as member": 8,
            # area, places inside, responsibilities, followers, urgent announcements pinned
            "area as visitor": 5,
            "area as member": 7,
        },
    )
    for run, (count, newest) in enumerate(((5, 4), (50, 49))):
        for who in ("visitor", "member"):
            office = main_part(pages[f"office as {who}"][run])
            assert f"{count} followers" in office and f"Notice {newest}" in office
            assert f"Note {newest}" in main_part(pages[f"topic as {who}"][run])
            assert f"{count} followers" in main_part(pages[f"area as {who}"][run])
