"""Conversations in Agora: opening, statements and moderation, votes, the map the worker
computes, and the pages people use."""

import re
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from agora.accounts.models import Role
from agora.conversations import maps, permissions, services
from agora.conversations.models import (
    Conversation,
    Moderation,
    StatementStatus,
    Vote,
    VoteValue,
)
from agora.core.models import AuditEntry
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part

pytestmark = pytest.mark.django_db

SEEDS = [
    "Buses should run every ten minutes.",
    "Cars should pay to enter the centre.",
    "More cycle lanes, even if parking goes.",
    "Night buses on weekends.",
    "Fares should be free for children.",
]


@pytest.fixture
def office():
    return UserFactory(role=Role.OFFICIAL)


@pytest.fixture
def conversation(office):
    return services.open_conversation(
        owner=office, question="How should we move around the city?", seeds=SEEDS
    )


def people_vote(conversation, patterns):
    """Each pattern is one person's votes on the seed statements, in order."""
    statements = list(conversation.statements.order_by("pk"))
    for pattern in patterns:
        participant = services.participant_for(conversation, user=UserFactory())
        for statement, value in zip(statements, pattern, strict=False):
            services.cast_vote(participant, statement, value)


FIVE_PEOPLE = [
    [1, 1, -1, 1, 1],
    [1, 1, -1, 1, 0],
    [1, -1, 1, 1, 1],
    [1, -1, 1, 1, 1],
    [1, -1, 1, 0, 1],
]


def test_an_office_opens_a_conversation_with_seed_statements_and_it_is_audited(office):
    conversation = services.open_conversation(owner=office, question="Parks?", seeds=["More"])
    assert conversation.statements.get().status == StatementStatus.ACCEPTED
    assert AuditEntry.objects.filter(action="conversations.opened").count() == 1


def test_a_resident_cannot_open_a_conversation():
    with pytest.raises(PermissionDenied):
        services.open_conversation(owner=UserFactory(), question="Parks?")


def test_strict_moderation_holds_statements_and_lazy_shows_them_at_once(office):
    strict = services.open_conversation(owner=office, question="Q1?")
    lazy = services.open_conversation(owner=office, question="Q2?", moderation=Moderation.LAZY)
    writer = UserFactory()
    held = services.submit_statement(
        services.participant_for(strict, user=writer), text="A thought"
    )
    shown = services.submit_statement(services.participant_for(lazy, user=writer), text="Another")
    assert held.status == StatementStatus.PENDING
    assert shown.status == StatementStatus.ACCEPTED


def test_a_moderator_removes_a_statement_with_a_logged_reason(conversation):
    statement = conversation.statements.first()
    moderator = UserFactory(role=Role.MODERATOR)
    services.moderate_statement(statement, by=moderator, accept=False, reason="Off topic")
    statement.refresh_from_db()
    assert statement.status == StatementStatus.REMOVED
    entry = AuditEntry.objects.get(action="conversations.statement_moderated")
    assert entry.data["reason"] == "Off topic"


def test_the_moderation_buttons_say_what_they_need_and_a_reason_with_nul_is_stored_clean(
    conversation,
):
    statement = conversation.statements.first()
    client = Client()
    client.force_login(conversation.owner)
    url = f"/conversations/{conversation.pk}/statements/{statement.pk}/moderate/"
    page = client.post(url, {"decision": "maybe"}, follow=True).content.decode()
    assert "Choose to accept or to remove the statement." in page
    statement.refresh_from_db()
    assert statement.status != StatementStatus.REMOVED
    client.post(url, {"decision": "remove", "reason": "Spam"})
    statement.refresh_from_db()
    assert statement.status == StatementStatus.REMOVED
    services.moderate_statement(statement, by=conversation.owner, accept=True, reason="Ok\x00!")
    entry = AuditEntry.objects.filter(action="conversations.statement_moderated").latest("pk")
    assert entry.data["reason"] == "Ok!"


def test_a_resident_cannot_moderate(conversation):
    with pytest.raises(PermissionDenied):
        services.moderate_statement(conversation.statements.first(), by=UserFactory(), accept=False)


def test_a_vote_on_a_removed_statement_is_refused(conversation):
    statement = conversation.statements.first()
    services.moderate_statement(statement, by=conversation.owner, accept=False)
    participant = services.participant_for(conversation, user=UserFactory())
    with pytest.raises(ValidationError, match="removed"):
        services.cast_vote(participant, statement, VoteValue.AGREE)
    assert not Vote.objects.exists()


def test_a_changed_vote_replaces_the_earlier_one(conversation):
    statement = conversation.statements.first()
    participant = services.participant_for(conversation, user=UserFactory())
    services.cast_vote(participant, statement, VoteValue.AGREE)
    services.cast_vote(participant, statement, VoteValue.DISAGREE)
    assert list(Vote.objects.values_list("value", flat=True)) == [VoteValue.DISAGREE]


def test_anonymous_visitors_take_part_only_where_the_owner_allows_it(office):
    closed = services.open_conversation(owner=office, question="Q?")
    with pytest.raises(PermissionDenied):
        services.participant_for(closed, token="browser-token")
    open_ = services.open_conversation(owner=office, question="Q?", allow_anonymous=True)
    first = services.participant_for(open_, token="browser-token")
    assert services.participant_for(open_, token="browser-token") == first


def test_the_map_is_computed_by_the_worker_after_votes(
    conversation, run_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        people_vote(conversation, FIVE_PEOPLE)
    conversation.refresh_from_db()
    assert conversation.map is None  # not in the request
    run_worker()
    conversation.refresh_from_db()
    assert conversation.map["ready"]
    assert len(conversation.map["groups"]) == 2
    sizes = sorted(group["size"] for group in conversation.map["groups"])
    assert sizes == [2, 3]
    statements = list(conversation.statements.order_by("pk").values_list("pk", flat=True))
    # everyone agrees with the first; four of five with the last two, nobody disagrees
    assert conversation.map["consensus"]["agree"] == [statements[0], statements[3], statements[4]]


def test_too_few_votes_show_not_enough_votes_yet(conversation):
    people_vote(conversation, FIVE_PEOPLE[:2])
    maps.recompute_map(conversation.pk)
    page = Client().get(f"/conversations/{conversation.pk}/")
    assert page.status_code == 200
    assert "Not enough votes yet" in page.content.decode()


def test_the_page_shows_the_map_and_a_table_that_matches_it(conversation):
    people_vote(conversation, FIVE_PEOPLE)
    maps.recompute_map(conversation.pk)
    html = Client().get(f"/conversations/{conversation.pk}/").content.decode()
    assert html.count("<circle ") == 5
    assert "Group A" in html and "Group B" in html
    assert 'id="map-groups"' in html and 'class="group-card"' in html
    assert "Buses should run every ten minutes." in html
    assert "% agree," in html  # how each group voted on its leading statements


def test_the_map_marks_where_the_person_who_voted_stands_and_no_one_else(conversation):
    people_vote(conversation, FIVE_PEOPLE[:4])
    voter = UserFactory()
    participant = vote_as(conversation, voter, FIVE_PEOPLE[4])
    maps.recompute_map(conversation.pk)
    conversation.refresh_from_db()
    data = conversation.map
    own = data["point_participants"].index(participant.pk)
    own_group = "AB"[data["points"][own][2]]

    voter_client = Client()
    voter_client.force_login(voter)
    mine = main_part(voter_client.get(f"/conversations/{conversation.pk}/"))
    assert mine.count('id="you-mark"') == 1
    assert f"You are here: in Group {own_group}" in mine
    assert f'Group {own_group} <span class="your-group">(your group)</span>' in mine
    # the ring is drawn on the person's own dot, and only there
    dot = mine.split('<g id="you-mark"><circle ')[1].split(" r=")[0]
    assert mine.count(f"<circle {dot} r=") == 2  # the dot and the ring around it

    for other in (Client(), signed_in_client(UserFactory())):
        html = main_part(other.get(f"/conversations/{conversation.pk}/"))
        assert html.count("<circle ") == 5
        assert "you-mark" not in html and "You are here" not in html
        assert "(your group)" not in html


def test_the_map_s_coordinates_are_not_written_the_spanish_way(conversation):
    people_vote(conversation, FIVE_PEOPLE)
    maps.recompute_map(conversation.pk)
    client = Client()
    client.cookies["django_language"] = "es"
    html = main_part(client.get(f"/conversations/{conversation.pk}/"))
    assert "Mapa de opiniones" in html
    assert len(re.findall(r'<circle cx="[0-9.]+" cy="[0-9.]+" r="4"', html)) == 5
    assert not re.search(r'c[xy]="[0-9]+,[0-9]', html)  # "415,3" is no length to a browser


def test_someone_who_voted_but_is_not_on_the_map_yet_is_told_so(conversation):
    people_vote(conversation, FIVE_PEOPLE)
    maps.recompute_map(conversation.pk)
    latecomer = UserFactory()
    participant = services.participant_for(conversation, user=latecomer)
    services.cast_vote(participant, conversation.statements.first(), 1)
    html = main_part(signed_in_client(latecomer).get(f"/conversations/{conversation.pk}/"))
    assert "You are not on the map yet" in html and "you-mark" not in html


def vote_as(conversation, person, pattern):
    participant = services.participant_for(conversation, user=person)
    for statement, value in zip(conversation.statements.order_by("pk"), pattern, strict=True):
        services.cast_vote(participant, statement, value)
    return participant


def signed_in_client(person):
    client = Client()
    client.force_login(person)
    return client


def test_people_vote_one_statement_at_a_time_until_none_is_left(conversation):
    person = UserFactory()
    client = Client()
    client.force_login(person)
    seen = []
    for _ in SEEDS:
        page = client.get(f"/conversations/{conversation.pk}/")
        statement = page.context["statement"]
        seen.append(statement.pk)
        response = client.post(
            f"/conversations/{conversation.pk}/vote/", {"statement": statement.pk, "vote": 1}
        )
        assert response.status_code == 302
    assert len(set(seen)) == len(SEEDS)
    assert client.get(f"/conversations/{conversation.pk}/").context["statement"] is None


def test_an_anonymous_visitor_votes_with_a_browser_token(office):
    conversation = services.open_conversation(
        owner=office, question="Q?", seeds=["One", "Two"], allow_anonymous=True
    )
    visitor = Client()
    statement = conversation.statements.first()
    visitor.post(f"/conversations/{conversation.pk}/vote/", {"statement": statement.pk, "vote": 1})
    visitor.post(f"/conversations/{conversation.pk}/vote/", {"statement": statement.pk, "vote": 0})
    assert list(Vote.objects.values_list("value", flat=True)) == [0]


def test_anonymous_votes_are_sent_to_log_in_where_not_allowed(conversation):
    statement = conversation.statements.first()
    response = Client().post(
        f"/conversations/{conversation.pk}/vote/", {"statement": statement.pk, "vote": 1}
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Vote.objects.exists()


def test_building_the_matrix_takes_a_fixed_number_of_queries(conversation):
    people_vote(conversation, FIVE_PEOPLE)
    few, many = assert_constant_queries(
        lambda: maps.vote_matrix(conversation),
        lambda: people_vote(conversation, FIVE_PEOPLE * 3),
        expected=4,
    )
    assert few[0].shape == (5, 5)
    assert many[0].shape == (20, 5)


def test_the_conversation_page_takes_a_fixed_number_of_queries(conversation):
    people_vote(conversation, FIVE_PEOPLE)
    maps.recompute_map(conversation.pk)
    client = Client()

    def more_votes_and_a_new_map():
        people_vote(conversation, FIVE_PEOPLE * 3)
        maps.recompute_map(conversation.pk)

    few, many = assert_constant_queries(
        lambda: client.get(f"/conversations/{conversation.pk}/"),
        more_votes_and_a_new_map,
        expected=4,
    )
    assert main_part(few).count("<circle ") == 5
    assert main_part(many).count("<circle ") == 20


def test_a_participant_sees_their_own_place_in_a_fixed_number_of_queries(conversation):
    people_vote(conversation, FIVE_PEOPLE)
    voter = UserFactory()
    vote_as(conversation, voter, FIVE_PEOPLE[0])
    maps.recompute_map(conversation.pk)
    client = signed_in_client(voter)

    def more_votes_and_a_new_map():
        people_vote(conversation, FIVE_PEOPLE * 3)
        maps.recompute_map(conversation.pk)

    few, many = assert_constant_queries(
        lambda: client.get(f"/conversations/{conversation.pk}/"),
        more_votes_and_a_new_map,
        expected=6,
    )
    assert 'id="you-mark"' in main_part(few) and 'id="you-mark"' in main_part(many)


def test_an_office_opens_a_conversation_through_the_page(office):
    client = Client()
    client.force_login(office)
    response = client.post(
        "/conversations/new/",
        {
            "question": "What should the library offer?",
            "seeds": "Longer hours\nMore study rooms\n",
            "moderation": Moderation.LAZY,
        },
    )
    conversation = Conversation.objects.get()
    assert response["Location"] == f"/conversations/{conversation.pk}/"
    assert conversation.statements.count() == 2
    assert Client().get("/conversations/").content.decode().count(conversation.question) == 1


@pytest.mark.parametrize(
    ("role", "opens", "moderates"),
    [
        (Role.RESIDENT, False, False),
        (Role.OFFICIAL, True, False),
        (Role.MODERATOR, True, True),
        (Role.ADMINISTRATOR, True, True),
    ],
)
def test_who_opens_and_who_moderates_by_role(conversation, role, opens, moderates):
    person = UserFactory(role=role)
    assert permissions.can_open_conversation(person) is opens
    assert permissions.can_moderate(person, conversation) is moderates
    assert permissions.can_moderate(conversation.owner, conversation)


def test_anonymous_visitors_neither_open_nor_moderate(conversation):
    assert not permissions.can_open_conversation(AnonymousUser())
    assert not permissions.can_moderate(AnonymousUser(), conversation)
    assert not permissions.can_take_part(AnonymousUser(), conversation)


def test_a_statement_longer_than_the_limit_is_refused(conversation):
    participant = services.participant_for(conversation, user=UserFactory())
    with pytest.raises(ValidationError):
        services.submit_statement(participant, text="x" * 281)


def test_a_burst_of_votes_is_answered_by_one_computation(
    conversation, run_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        people_vote(conversation, FIVE_PEOPLE)
    with mock.patch.object(maps, "compute_map", wraps=maps.compute_map) as compute:
        run_worker()
    assert compute.call_count == 1
    conversation.refresh_from_db()
    assert conversation.map["ready"]
