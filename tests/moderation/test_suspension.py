"""A suspension: with its statement, it stops the author writing by pages and the API, ends their
sessions and tokens at once, keeps them apart in notifications, ends on its date, and an appeal
that succeeds lifts it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from agora.accounts import services as account_services
from agora.moderation import services
from agora.moderation.models import ModeratedItem, Suspension
from agora.moderation.restrictions import Suspended
from agora.notifications.models import Notification
from agora.social import services as social
from agora.social.models import Post
from tests.api.conftest import bearer
from tests.helpers import main_part
from tests.moderation.conftest import settled
from tests.moderation.test_reports import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspend(comment, moderator, rules):
    def suspend(days=None):
        report(comment, settled())
        item = ModeratedItem.objects.get(kind="comment", object_id=comment.pk)
        return services.decide(
            item,
            by=moderator,
            action="suspend",
            rule=rules[1],
            facts="Insults after two warnings.",
            days=days,
        )

    return suspend


def test_a_suspension_needs_its_reasons(comment, moderator):
    report(comment, settled())
    item = ModeratedItem.objects.get()
    with pytest.raises(services.ModerationError, match="statement of reasons"):
        services.decide(item, by=moderator, action="suspend", days=7)
    assert not Suspension.objects.exists()


def test_the_suspended_person_is_signed_out_everywhere_and_their_tokens_stop(comment, suspend):
    person = comment.author
    browser = Client()
    browser.force_login(person)
    assert browser.get("/home/").status_code == 200
    _token, secret = account_services.create_access_token(person, name="phone")
    api = Client(headers=bearer(secret))
    assert api.get("/api/v1/me").status_code == 200

    suspend(days=7)

    response = browser.get("/home/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert api.get("/api/v1/me").status_code == 401


def test_a_suspended_person_cannot_post_or_comment_by_page_or_api_and_is_told_why(comment, suspend):
    person = comment.author
    decision = suspend(days=7)
    person.refresh_from_db()  # a new session, as signing in again makes
    client = Client()
    client.force_login(person)  # they may still sign in, to read why and appeal
    assert "Appeal this decision" in main_part(client.get(decision.get_absolute_url()))
    response = client.post(
        "/posts/new", {"body": "I am back!", "visibility": "public", "reply_policy": "everyone"}
    )
    page = main_part(response, 400)
    assert "Your account is suspended until" in page and "I am back!" in page
    assert not Post.objects.filter(body="I am back!").exists()

    _token, secret = account_services.create_access_token(person, name="new phone")
    api = Client(headers=bearer(secret))
    response = api.post(
        "/api/v1/posts", data={"body": "Through the API."}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "suspended"
    with pytest.raises(Suspended):
        social.comment_on_post(comment.target, by=person, body="Still here.")


def test_a_suspension_ends_on_its_date(comment, suspend):
    decision = suspend(days=3)
    Suspension.objects.filter(decision=decision).update(until=timezone.now() - timedelta(hours=1))
    assert social.comment_on_post(comment.target, by=comment.author, body="Back, calmer.")


def test_what_a_suspended_person_did_reaches_nobody(comment, suspend, post, client):
    """The reply before the suspension told the post's author; after it, that notification is
    no longer listed, and nothing new is sent in the suspended person's name."""
    assert Notification.objects.filter(recipient=post.author, actor=comment.author).exists()
    client.force_login(post.author)
    assert "Carl Commenter" in main_part(client.get("/notifications/"))
    suspend()  # for good
    assert "Carl Commenter" not in main_part(client.get("/notifications/"))


def test_an_appeal_that_succeeds_lifts_the_suspension(comment, suspend, second_moderator):
    decision = suspend()
    appeal = services.appeal_decision(decision, by=comment.author, grounds="It was not me.")
    services.decide_appeal(
        appeal, by=second_moderator, action="restore", facts="The account was taken over."
    )
    assert not Suspension.in_force().exists()
    assert social.comment_on_post(comment.target, by=comment.author, body="Thank you.")


def test_a_suspended_person_neither_votes_nor_writes_statements_in_a_conversation(
    comment, suspend, moderator
):
    from agora.conversations import services as conversations

    conversation = conversations.open_conversation(
        owner=moderator, question="Should the bus lane stay?", seeds=["Yes, it is faster."]
    )
    statement = conversation.statements.get()
    person = comment.author
    participant = conversations.participant_for(conversation, user=person)
    conversations.cast_vote(participant, statement, 1)
    suspend(days=2)
    with pytest.raises(Suspended):
        conversations.cast_vote(participant, statement, -1)
    with pytest.raises(Suspended):
        conversations.submit_statement(participant, text="It should go.")
    from agora.conversations.models import Vote

    assert Vote.objects.get(participant=participant).value == 1


def test_a_suspended_person_neither_supports_nor_proposes(moderator, rules):
    from agora.moderation.models import Suspension
    from agora.proposals import services as proposals
    from tests.processes.conftest import build_town
    from tests.proposals.conftest import a_proposal, residents, support_process

    town = build_town()
    process = support_process(town)
    author, supporter = residents(2)
    proposal = a_proposal(process, author)
    post = social.create_post(by=supporter, body="My thoughts on the plan.")
    report(post, settled())
    item = ModeratedItem.objects.get(kind="post", object_id=post.pk)
    services.decide(item, by=moderator, action="suspend", rule=rules[1], facts="Insults.", days=3)
    assert Suspension.in_force().filter(person=supporter).exists()
    supporter.refresh_from_db()
    with pytest.raises(Suspended):
        proposals.support_proposal(proposal, by=supporter)
    proposal.refresh_from_db()
    assert proposal.support_count == 0
