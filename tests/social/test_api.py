"""The social and notification API: the same rules as the pages, the one error shape, cursor
pages and query counts."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from agora.accounts.models import PersonalAccessToken
from agora.accounts.models import Visibility as ProfileVisibility
from agora.core.api.schemas import SAID
from agora.site.api import api
from agora.social import services
from agora.social.models import Block, Follow, Post, PostLike, Visibility
from tests.api.conftest import assert_error
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries
from tests.social.helpers import api_client, send

pytestmark = pytest.mark.django_db


def test_follow_and_unfollow_through_the_api():
    ada, bob = UserFactory(), UserFactory()
    client = api_client(ada)
    assert send(client, "post", f"/people/{bob.handle}/follow").status_code == 204
    assert Follow.objects.filter(follower=ada, followee=bob).exists()
    assert send(client, "delete", f"/people/{bob.handle}/follow").status_code == 204
    assert not Follow.objects.exists()


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("follow", "self_follow"),
        ("connection", "self_connect"),
        ("block", "self_block"),
        ("mute", "self_mute"),
    ],
)
def test_relating_to_oneself_is_a_409_conflict_the_schema_documents(path, code):
    """The schema cannot say "not your own handle"; 409 says the request was well formed but
    cannot be carried out, as schemathesis's positive-data check expects."""
    ada = UserFactory()
    error = assert_error(send(api_client(ada), "post", f"/people/{ada.handle}/{path}"), 409, code)
    assert "yourself" in error["message"]
    operation = api.get_openapi_schema()["paths"][f"/api/v1/people/{{handle}}/{path}"]["post"]
    assert "409" in {str(status) for status in operation["responses"]}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/posts", {"body": ""}),
        ("/posts", {"body": "  \n "}),
    ],
)
def test_a_blank_post_is_refused_by_the_schema_as_well_as_the_code(path, body):
    error = assert_error(send(api_client(UserFactory()), "post", path, body), 422, "invalid")
    assert error["message"] == "body: Write something: this cannot be blank."
    schema = api.get_openapi_schema()["components"]["schemas"]
    assert schema["NewPost"]["properties"]["body"]["pattern"] == SAID
    assert schema["NewComment"]["properties"]["body"]["pattern"] == SAID
    assert re.search(SAID, " x ") and not re.search(SAID, " \n ")
    assert not re.search(SAID, "x\x00")


def test_a_blocked_person_cannot_follow_and_gets_403():
    ada, bob = UserFactory(), UserFactory()
    services.block(bob, by=ada)
    assert_error(send(api_client(bob), "post", f"/people/{ada.handle}/follow"), 403, "forbidden")
    assert not Follow.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "x" * 2001}, "body"),
        ({"body": "ok", "visibility": "all"}, "visibility"),
    ],
)
def test_bad_posts_are_422_and_change_nothing(body, field):
    error = assert_error(send(api_client(UserFactory()), "post", "/posts", body), 422, "invalid")
    assert error["message"].startswith(f"{field}:")
    assert not Post.objects.exists()


def test_posts_crud_through_the_api():
    ada = UserFactory()
    client = api_client(ada)
    created = send(client, "post", "/posts", {"body": "Hello #api", "visibility": "followers"})
    assert created.status_code == 201
    post_id = created.json()["id"]
    assert created.json()["visibility"] == "followers"
    edited = send(client, "patch", f"/posts/{post_id}", {"body": "Hello again"})
    assert edited.json()["edited_at"] is not None
    assert send(client, "delete", f"/posts/{post_id}").status_code == 204
    assert not Post.objects.exists()


def test_another_persons_post_cannot_be_edited_and_answers_404():
    ada, bob = UserFactory(), UserFactory()
    post = services.create_post(by=ada, body="Mine")
    assert_error(
        send(api_client(bob), "patch", f"/posts/{post.pk}", {"body": "x"}), 404, "not_found"
    )


def test_a_double_like_is_a_409_and_counts_once():
    ada, bob = UserFactory(), UserFactory()
    post = services.create_post(by=ada, body="Like")
    client = api_client(bob)
    assert send(client, "post", f"/posts/{post.pk}/like").json() == {"liked": True, "like_count": 1}
    assert_error(send(client, "post", f"/posts/{post.pk}/like"), 409, "already_liked")
    assert PostLike.objects.count() == 1
    assert send(client, "delete", f"/posts/{post.pk}/like").json() == {
        "liked": False,
        "like_count": 0,
    }


def test_replies_where_closed_are_refused_in_the_error_shape():
    ada, bob = UserFactory(), UserFactory()
    post = services.create_post(by=ada, body="Quiet", reply_policy="nobody")
    error = assert_error(
        send(api_client(bob), "post", f"/posts/{post.pk}/comments", {"body": "Hi"}), 422, "invalid"
    )
    assert "closed" in error["message"]


def test_comments_and_shares_through_the_api():
    ada, bob = UserFactory(), UserFactory()
    post = services.create_post(by=ada, body="Talk")
    client = api_client(bob)
    top = send(client, "post", f"/posts/{post.pk}/comments", {"body": "First"}).json()
    reply = send(
        client, "post", f"/posts/{post.pk}/comments", {"body": "Second", "parent_id": top["id"]}
    )
    assert reply.json()["depth"] == 1
    listed = Client().get(f"/api/v1/posts/{post.pk}/comments").json()
    assert [comment["body"] for comment in listed] == ["First", "Second"]
    share = send(client, "post", f"/posts/{post.pk}/shares", {"body": "Look"})
    assert share.status_code == 201
    assert share.json()["shared_post_id"] == post.pk


def test_feeds_hide_what_the_caller_may_not_see():
    ada, bob, dee = UserFactory(), UserFactory(), UserFactory()
    services.follow(ada, by=bob)
    services.create_post(by=ada, body="public")
    services.create_post(by=ada, body="followers", visibility=Visibility.FOLLOWERS)
    bodies = lambda response: {item["body"] for item in response.json()["items"]}  # noqa: E731
    assert bodies(api_client(bob).get("/api/v1/feed")) == {"public", "followers"}
    assert bodies(api_client(dee).get("/api/v1/posts")) == {"public"}
    assert bodies(Client().get("/api/v1/posts")) == {"public"}
    services.block(dee, by=ada)
    assert bodies(api_client(dee).get("/api/v1/posts")) == set()
    assert api_client(dee).get("/api/v1/search?q=public").json()["posts"] == []


def test_the_feed_is_paged_by_cursor_and_its_query_count_is_constant():
    ada = UserFactory()
    client = api_client(ada)
    client.get("/api/v1/feed")  # the token's first use is recorded once; not part of the count

    def grow_to(number):
        while ada.posts.count() < number:
            services.create_post(by=ada, body=f"n{ada.posts.count()}")
        # The token's use is written at most once a minute: on a slow machine growing can take
        # that long, and the write is not the feed's cost.
        PersonalAccessToken.objects.filter(user=ada).update(last_used_at=timezone.now())

    grow_to(5)
    few, many = assert_constant_queries(
        lambda: client.get("/api/v1/feed"), lambda: grow_to(50), expected=5
    )
    assert [item["body"] for item in few.json()["items"]] == ["n4", "n3", "n2", "n1", "n0"]
    first = many.json()
    assert len(first["items"]) == 20 and first["items"][0]["body"] == "n49"
    second = client.get(f"/api/v1/feed?before={first['next_cursor']}").json()
    assert {item["id"] for item in first["items"]}.isdisjoint(
        item["id"] for item in second["items"]
    )


def test_notifications_through_the_api():
    ada, bob = UserFactory(), UserFactory()
    services.follow(ada, by=bob)
    client = api_client(ada)
    listed = client.get("/api/v1/notifications").json()
    assert listed["unread"] == 1
    assert listed["items"][0]["kind"] == "new_follower"
    assert send(client, "post", "/notifications/read").json() == {"marked": 1}
    changed = send(
        client,
        "put",
        "/notifications/preferences",
        {"preferences": [{"kind": "like", "delivery": "off"}]},
    ).json()
    assert {"kind": "like", "delivery": "off"} in changed
    assert_error(
        send(
            client,
            "put",
            "/notifications/preferences",
            {"preferences": [{"kind": "x", "delivery": "off"}]},
        ),
        422,
        "invalid",
    )


def test_lists_respect_the_owners_setting():
    ada = UserFactory(connections_visibility="nobody")
    assert_error(Client().get(f"/api/v1/people/{ada.handle}/followers"), 404, "not_found")
    assert api_client(ada).get(f"/api/v1/people/{ada.handle}/followers").status_code == 200


def test_someone_with_a_hidden_profile_can_be_blocked_and_unblocked_but_not_followed():
    ada, hidden = UserFactory(), UserFactory(profile_visibility=ProfileVisibility.PRIVATE)
    client = api_client(ada)
    assert_error(send(client, "post", f"/people/{hidden.handle}/follow"), 404, "not_found")
    assert_error(send(client, "post", f"/people/{hidden.handle}/mute"), 404, "not_found")
    assert send(client, "post", f"/people/{hidden.handle}/block").status_code == 204
    assert Block.objects.filter(blocker=ada, blocked=hidden).exists()
    assert send(client, "delete", f"/people/{hidden.handle}/block").status_code == 204
    assert not Block.objects.exists()
    assert_error(send(client, "delete", "/people/nobody_here/block"), 404, "not_found")
