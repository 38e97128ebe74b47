"""The conversations API: reading a map, voting and writing statements."""

import pytest
from django.test import Client

from agora.accounts.models import Role
from agora.conversations import maps, services
from agora.conversations.models import Vote
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation():
    return services.open_conversation(
        owner=UserFactory(role=Role.OFFICIAL), question="Parks?", seeds=["More trees", "Less"]
    )


@pytest.fixture
def member():
    client = Client()
    client.force_login(UserFactory())
    return client


def test_anyone_reads_a_conversation_and_its_not_yet_ready_map(conversation):
    response = Client().get(f"/api/v1/conversations/{conversation.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["question"] == "Parks?"
    assert [s["text"] for s in body["statements"]] == ["More trees", "Less"]
    assert body["map"] is None


def test_a_member_votes_and_a_changed_vote_replaces_it(conversation, member):
    statement = conversation.statements.first()
    url = f"/api/v1/conversations/{conversation.pk}/votes"
    for vote in ("agree", "disagree"):
        response = member.post(
            url, {"statement": statement.pk, "vote": vote}, content_type="application/json"
        )
        assert response.status_code == 204
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]


def test_a_vote_on_a_removed_statement_is_refused_in_the_error_shape(conversation, member):
    statement = conversation.statements.first()
    services.moderate_statement(statement, by=conversation.owner, accept=False)
    response = member.post(
        f"/api/v1/conversations/{conversation.pk}/votes",
        {"statement": statement.pk, "vote": "agree"},
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert "removed" in response.json()["error"]["message"]


def test_an_anonymous_client_cannot_vote(conversation):
    response = Client().post(
        f"/api/v1/conversations/{conversation.pk}/votes",
        {"statement": conversation.statements.first().pk, "vote": "agree"},
        content_type="application/json",
    )
    assert response.status_code == 401


def test_a_statement_waits_for_approval_in_strict_moderation(conversation, member):
    response = member.post(
        f"/api/v1/conversations/{conversation.pk}/statements",
        {"text": "  A bench by the pond  "},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert conversation.statements.get(pk=response.json()["id"]).text == "A bench by the pond"


def test_the_map_read_by_the_api_ties_no_dot_to_a_participant(conversation):
    statements = list(conversation.statements.order_by("pk"))
    for pattern in ([1, 1], [1, -1], [-1, 1], [-1, -1], [1, 0]):
        participant = services.participant_for(conversation, user=UserFactory())
        for statement, value in zip(statements, pattern, strict=True):
            services.cast_vote(participant, statement, value)
    maps.recompute_map(conversation.pk)
    conversation.refresh_from_db()
    assert len(conversation.map["point_participants"]) == len(conversation.map["points"])
    body = Client().get(f"/api/v1/conversations/{conversation.pk}").json()
    assert body["map"]["participants"] == 5
    assert "point_participants" not in body["map"]
