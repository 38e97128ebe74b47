"""Notifications: who is told what, preferences, emails by the worker, the digest, the count in
the header, and blocks."""

import pytest
from django.core.management import call_command

from agora.notifications import registry
from agora.notifications import services as notification_services
from agora.notifications.models import Delivery, EmailState, Notification
from agora.social import services
from agora.social.notifying import CONNECTION_REQUEST, LIKE, MENTION, NEW_FOLLOWER, REPLY, SHARE
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in

pytestmark = pytest.mark.django_db


def kinds_for(person) -> list[str]:
    return list(
        Notification.objects.filter(recipient=person).order_by("id").values_list("kind", flat=True)
    )


def test_follows_requests_replies_mentions_likes_and_shares_notify():
    ada, bob = UserFactory(handle="ada"), UserFactory()
    services.follow(ada, by=bob)
    services.connect(ada, by=bob)
    post = services.create_post(by=ada, body="Hello")
    services.comment_on_post(post, by=bob, body="Hi @ada")
    services.like_post(post, by=bob)
    services.share_post(post, by=bob)
    services.create_post(by=bob, body="Thanks @ada")
    assert kinds_for(ada) == [
        NEW_FOLLOWER,
        CONNECTION_REQUEST,
        REPLY,
        LIKE,
        SHARE,
        MENTION,
    ]


def test_deleted_words_leave_the_notifications_they_caused():
    ada, bob, cem = UserFactory(handle="ada"), UserFactory(handle="bob"), UserFactory()
    post = services.create_post(by=ada, body="Hello @bob, a secret plan")
    reply = services.comment_on_post(post, by=bob, body="Sure @ada, count me in")
    services.comment_on_post(post, by=cem, body="And me", parent=reply)
    kept = services.create_post(by=ada, body="Another word for @bob")
    assert sorted(kinds_for(bob)) == ["mention", "mention", "reply"]
    assert kinds_for(ada) == ["reply", "reply"]  # the mention is in the reply
    assert "count me in" in signed_in(ada).get("/notifications/").content.decode()

    services.delete_comment(reply, by=bob)  # and cem's reply to it
    assert kinds_for(ada) == [] and sorted(kinds_for(bob)) == ["mention", "mention"]
    assert "count me in" not in signed_in(ada).get("/notifications/").content.decode()
    services.delete_post(post, by=ada)
    bob_page = signed_in(bob).get("/notifications/").content.decode()
    assert "secret plan" not in bob_page and "Another word" in bob_page
    assert list(Notification.objects.filter(recipient=bob).values_list("target_id", flat=True)) == [
        kept.pk
    ]


def test_nobody_is_notified_of_their_own_doing_or_by_someone_they_block():
    ada, bob = UserFactory(handle="ada"), UserFactory()
    services.create_post(by=ada, body="Me, @ada")
    services.block(bob, by=ada)
    services.create_post(by=bob, body="Hey @ada")
    assert kinds_for(ada) == []


def test_old_notifications_from_a_blocked_person_disappear_from_the_list():
    ada, bob = UserFactory(), UserFactory(display_name="Bob Pest")
    services.follow(ada, by=bob)
    client = signed_in(ada)
    assert "Bob Pest follows you." in client.get("/notifications/").content.decode()
    services.block(bob, by=ada)
    assert "Bob Pest" not in client.get("/notifications/").content.decode()


def test_the_header_shows_the_unread_count_until_marked_read():
    ada, bob = UserFactory(), UserFactory()
    services.follow(ada, by=bob)
    client = signed_in(ada)
    assert "(1 unread)" in client.get("/notifications/").content.decode()
    client.post("/notifications/read")
    assert "unread)" not in client.get("/notifications/").content.decode()


def test_turning_a_kind_off_stops_it():
    ada, bob = UserFactory(), UserFactory()
    signed_in(ada).post(
        "/notifications/settings/",
        {
            kind: (Delivery.OFF if kind == NEW_FOLLOWER else Delivery.IN_APP)
            for kind in registry.kind_names()
        },
    )
    services.follow(ada, by=bob)
    assert kinds_for(ada) == []


def test_email_at_once_is_sent_by_the_worker_after_commit(
    run_worker, django_capture_on_commit_callbacks
):
    ada, bob = UserFactory(), UserFactory(display_name="Bob Writer")
    notification_services.set_preference(ada, kind=NEW_FOLLOWER, delivery=Delivery.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        services.follow(ada, by=bob)
    sent = run_worker()
    assert len(sent) == 1
    assert sent[0].to == [ada.email]
    assert "Bob Writer follows you." in sent[0].body
    assert Notification.objects.get().email_state == EmailState.SENT


def test_the_daily_digest_gathers_waiting_notifications_into_one_email(run_worker):
    ada = UserFactory()
    notification_services.set_preference(ada, kind=NEW_FOLLOWER, delivery=Delivery.DIGEST)
    for follower in UserFactory.create_batch(3):
        services.follow(ada, by=follower)
    call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sent = run_worker()
    assert len(sent) == 1
    assert sent[0].body.count("follows you.") == 3
    assert not Notification.objects.filter(email_state=EmailState.DIGEST).exists()


def test_the_list_makes_as_many_queries_for_5_notifications_as_for_50():
    ada = UserFactory()
    client = signed_in(ada)

    def grow_to(number):
        for follower in UserFactory.create_batch(number - Notification.objects.count()):
            services.follow(ada, by=follower)

    grow_to(5)
    few, many = assert_constant_queries(
        lambda: client.get("/notifications/"), lambda: grow_to(50), expected=3
    )
    assert main_part(few).count("follows you.") == 5
    assert main_part(many).count("follows you.") == 30  # a page


def test_the_api_gives_the_text_as_plain_text_and_the_list_as_html():
    ada, bob = UserFactory(), UserFactory(display_name="Bob O'Brien & Sons")
    services.follow(ada, by=bob)
    client = signed_in(ada)
    item = client.get("/api/v1/notifications").json()["items"][0]
    assert item["text"] == "Bob O'Brien & Sons follows you."
    assert (
        "Bob O&#x27;Brien &amp; Sons follows you." in client.get("/notifications/").content.decode()
    )
