"""Trust levels loosen what an account may write: a new account's links, mentions, images and
pace are limited, a basic account's less, a settled one's not at all; each limit at its edge,
refused with a message on the form that keeps the text, and 429 or 422 in the API."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agora.core.ratelimit import RateLimited
from agora.social import services as social
from agora.social.models import Follow, Post
from tests.factories import UserFactory
from tests.helpers import main_part
from tests.moderation.conftest import settled
from tests.social.helpers import image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits_on(settings):
    settings.AGORA_TRUST_LIMITS = True


def basic():
    return UserFactory(date_joined=timezone.now() - timedelta(days=3))


def test_a_new_account_adds_one_link_and_not_two():
    person = UserFactory()
    social.create_post(by=person, body="See https://example.org/plan")
    with pytest.raises(ValidationError, match="at most 1 link"):
        social.create_post(by=person, body="See https://a.example and https://b.example")


def test_a_new_account_mentions_only_followers_and_at_most_two():
    person, friend, stranger = UserFactory(), settled(), settled()
    Follow.objects.create(follower=friend, followee=person)
    social.create_post(by=person, body=f"Hello @{friend.handle}")
    with pytest.raises(ValidationError, match="only mention people who follow them"):
        social.create_post(by=person, body=f"Hello @{stranger.handle}")
    with pytest.raises(ValidationError, match="at most 2 people"):
        social.create_post(by=person, body="@anna_m @bob_k @carla_r, look")


def test_a_new_account_adds_no_image_on_its_first_day_and_a_basic_one_does():
    with pytest.raises(ValidationError, match="cannot add images on their first day"):
        social.create_post(by=UserFactory(), body="", images=[(image_upload(), "A bench")])
    assert social.create_post(by=basic(), body="", images=[(image_upload(), "A bench")])


def test_a_new_account_posts_three_times_an_hour(settings):
    person = UserFactory()
    for number in range(3):
        social.create_post(by=person, body=f"Post {number}")
    with pytest.raises(RateLimited):
        social.create_post(by=person, body="Post 4")
    assert Post.objects.filter(author=person).count() == 3


def test_a_basic_account_has_more_room_and_a_settled_one_has_only_the_ceilings():
    links = " ".join(f"https://example.org/{number}" for number in range(5))
    assert social.create_post(by=basic(), body=links)
    with pytest.raises(ValidationError, match="at most 5 links"):
        social.create_post(by=basic(), body=links + " https://example.org/6")
    crowded = links + " https://example.org/6 @anna_m @bob_k @carla_r"
    assert social.create_post(by=settled(), body=crowded)


def test_the_form_says_why_and_keeps_the_text(client):
    person = UserFactory()
    client.force_login(person)
    body = "Two links: https://a.example and https://b.example"
    response = client.post(
        "/posts/new", {"body": body, "visibility": "public", "reply_policy": "everyone"}
    )
    page = main_part(response, 400)
    assert "Your account can add at most 1 link to a text for now." in page
    assert "These limits loosen as your account takes part here" in page
    assert body in page


def test_the_api_answers_a_limit_in_the_one_error_shape():
    from tests.social.helpers import api_client, send

    person = UserFactory()
    response = send(api_client(person), "post", "/posts", {"body": "https://a.x https://b.x"})
    assert response.status_code == 422
    assert "at most 1 link" in response.json()["error"]["message"]


def test_the_settings_show_a_person_their_level_limits_and_decisions(client):
    person = UserFactory()
    client.force_login(person)
    page = main_part(client.get("/settings/standing/"))
    assert "Your trust level: 0 of 4" in page
    assert "At most 1 link in a post or comment." in page
    assert "Mentions only of people who follow you." in page
    assert "None: nothing you wrote was reported and acted on." in page
    settings_page = main_part(client.get("/settings/profile/"))
    assert 'href="/settings/standing/"' in settings_page
    client.force_login(settled())
    page = main_part(client.get("/settings/standing/"))
    assert "Your trust level: 2 of 4" in page and "None beyond the site's general limits." in page
