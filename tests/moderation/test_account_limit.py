"""A limited account: with its statement of reasons, what the person writes (posts and
comments) is seen only by their followers and themselves, in feeds, on their profile, in
search, in comment threads and in the API, until the limit ends or an appeal lifts it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from agora.moderation import services
from agora.moderation.models import AccountLimit, ModeratedItem
from agora.notifications.models import Notification
from agora.social import services as social
from tests.helpers import main_part
from tests.moderation.conftest import settled
from tests.moderation.test_reports import report

pytestmark = pytest.mark.django_db

POST = "Parking wardens are parasites, every one of them."
COMMENT = "Wardens again: parasites, the lot."


@pytest.fixture
def people(author, post):
    """The limited person (the commenter), a follower of theirs, a stranger, and the post by
    someone else they comment under."""
    limited = settled(display_name="Lena Limited", handle="lena")
    follower = settled(handle="fay")
    stranger = settled(handle="stan")
    social.follow(limited, by=follower)
    own_post = social.create_post(by=limited, body=POST)
    comment = social.comment_on_post(post, by=limited, body=COMMENT)
    return limited, follower, stranger, own_post, comment


def limit(content, moderator, rules, days=None):
    report(content, settled())
    item = ModeratedItem.objects.get(object_id=content.pk, kind="post")
    return services.decide(
        item,
        by=moderator,
        action="limit",
        rule=rules[1],
        facts="Insults officials again and again.",
        days=days,
    )


def as_person(person) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def what_they_see(person, post, limited_post) -> dict:
    client = as_person(person)
    return {
        "post page": COMMENT in main_part(client.get(f"/posts/{post.pk}/")),
        "own post page": client.get(f"/posts/{limited_post.pk}/").status_code == 200,
        "profile": POST in main_part(client.get("/@lena/posts/")),
        "search": POST in main_part(client.get("/search/?q=wardens")),
        "api comments": COMMENT in str(client.get(f"/api/v1/posts/{post.pk}/comments").json()),
    }


def test_a_limit_needs_its_reasons(people, moderator):
    _limited, _follower, _stranger, own_post, _comment = people
    report(own_post, settled())
    item = ModeratedItem.objects.get(kind="post")
    with pytest.raises(services.ModerationError, match="statement of reasons"):
        services.decide(item, by=moderator, action="limit")
    assert not AccountLimit.objects.exists()


def test_only_followers_and_the_author_see_a_limited_account(
    people, post, moderator, rules, second_moderator
):
    limited, follower, stranger, own_post, _comment = people
    everywhere = dict.fromkeys(what_they_see(stranger, post, own_post), True)
    assert what_they_see(stranger, post, own_post) == everywhere

    decision = limit(own_post, moderator, rules, days=30)

    assert decision.account_limit.until > timezone.now() + timedelta(days=29)
    nowhere = dict.fromkeys(everywhere, False)
    assert what_they_see(stranger, post, own_post) == nowhere
    assert what_they_see(None, post, own_post) == nowhere
    assert what_they_see(follower, post, own_post) == everywhere
    assert what_they_see(limited, post, own_post) == everywhere
    thread = main_part(as_person(stranger).get(f"/posts/{post.pk}/"))
    assert "shown only to its author" in thread and "followers: moderators limited" in thread
    statement = main_part(as_person(limited).get(decision.get_absolute_url()))
    assert "only to their followers" in statement
    standing = main_part(as_person(limited).get("/settings/standing/"))
    assert "only your followers see what you write" in standing
    in_api = as_person(stranger).get(f"/api/v1/posts/{post.pk}/comments").json()
    assert [(each["body"], each["withheld"]) for each in in_api] == [("", "limited")]
    assert "moderators limited the account" in in_api[0]["withheld_message"]

    # An appeal that succeeds lifts it.
    appeal = services.appeal_decision(decision, by=limited, grounds="It was one bad day.")
    services.decide_appeal(
        appeal, by=second_moderator, action="restore", facts="One outburst; lifted."
    )
    assert what_they_see(stranger, post, own_post) == everywhere


def test_a_limit_ends_on_its_date(people, post, moderator, rules):
    _limited, _follower, stranger, own_post, _comment = people
    decision = limit(own_post, moderator, rules, days=3)
    AccountLimit.objects.filter(decision=decision).update(
        until=timezone.now() - timedelta(minutes=1)
    )
    assert what_they_see(stranger, post, own_post)["profile"]


def test_a_limited_account_reaches_only_its_followers_in_notifications(
    people, post, author, moderator, rules
):
    limited, follower, _stranger, own_post, _comment = people
    limit(own_post, moderator, rules)
    followers_post = social.create_post(by=follower, body="Bins are collected on Fridays.")
    Notification.objects.all().delete()

    social.comment_on_post(post, by=limited, body="Late again.")
    social.comment_on_post(followers_post, by=limited, body="And on Tuesdays.")

    told = set(Notification.objects.filter(actor=limited).values_list("recipient", flat=True))
    assert told == {follower.pk}, "the author of the other post does not follow them"
    social.comment_on_post(own_post, by=follower, body="Calm down.")  # others reach them
    assert Notification.objects.filter(recipient=limited, actor=follower).exists()
