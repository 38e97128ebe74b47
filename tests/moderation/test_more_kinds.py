"""Reporting what other apps own, each registered once in its app's `moderating.py`: comments
on cases (an office's answer never hidden by reports alone) and on proposals, a public case,
and a statement in a conversation (hidden by removing it from the conversation, and accepted
again on restoration)."""

import pytest
from django.test import Client

from agora.accounts.models import Role
from agora.cases import services as cases
from agora.conversations import services as conversations
from agora.conversations.models import StatementStatus
from agora.moderation import registry, services
from agora.moderation.models import ModeratedItem, ModeratorScope
from tests.cases.conftest import build_city
from tests.moderation.conftest import a_moderator, settled, verified
from tests.moderation.test_reports import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db):
    """The cases tests' small city."""
    return build_city()


def open311_ids() -> set[str]:
    answer = Client().get("/open311/v2/requests.json")
    assert answer.status_code == 200
    return {request["service_request_id"] for request in answer.json()}


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_each_app_registers_its_kinds_once():
    names = {kind.name for kind in registry.kinds()}
    assert {"post", "comment", "profile", "proposal", "case", "statement"} <= names


def test_a_statement_is_reported_hidden_and_restored(moderator, second_moderator, rules):
    owner = settled(role=Role.MODERATOR)
    conversation = conversations.open_conversation(
        owner=owner, question="Where should the bench go?", moderation="lazy"
    )
    writer = settled()
    participant = conversations.participant_for(conversation, user=writer)
    statement = conversations.submit_statement(participant, text="Benches are a waste.")
    assert statement.status == StatementStatus.ACCEPTED
    page = signed_in(settled()).get(f"/conversations/{conversation.pk}/").content.decode()
    assert f"/moderation/report/statement/{statement.pk}/" in page

    report(statement, settled())
    item = ModeratedItem.objects.get(kind="statement")
    assert item.author == writer
    decision = services.decide(
        item, by=moderator, action="hide", rule=rules[1], facts="Dismissive of others."
    )
    statement.refresh_from_db()
    assert statement.status == StatementStatus.REMOVED
    appeal = services.appeal_decision(decision, by=writer, grounds="An opinion, not an insult.")
    services.decide_appeal(appeal, by=second_moderator, action="restore", facts="An opinion.")
    statement.refresh_from_db()
    assert statement.status == StatementStatus.ACCEPTED


def test_a_case_and_its_comments_are_reported_and_the_office_answer_never_hidden_alone(
    town, settings, rules
):
    settings.AGORA_MODERATION_HIDE_SCORE = 1
    case = town.submit()
    page = signed_in(town.other_resident).get(case.get_absolute_url()).content.decode()
    assert f"/moderation/report/case/{case.pk}/" in page
    answer = cases.comment_on_case(case, by=town.lighting_official, body="Fixed on Monday.")
    remark = cases.comment_on_case(case, by=town.other_resident, body="Typical, always late.")
    page = signed_in(settled()).get(case.get_absolute_url()).content.decode()
    assert f"/moderation/report/comment/{remark.pk}/" in page

    for thing in (answer, remark, case):  # the case last: reported, it goes private
        report(thing, settled())
    case_item = ModeratedItem.objects.get(kind="case")
    answer_item = ModeratedItem.objects.get(object_id=answer.pk, kind="comment")
    remark_item = ModeratedItem.objects.get(object_id=remark.pk, kind="comment")
    assert case_item.author == town.resident and case_item.scope_id == case.office_id
    assert answer_item.is_official and not remark_item.is_official
    answer.refresh_from_db()
    remark.refresh_from_db()
    assert answer.moderation_state == "visible", "an office's answer waits for a person"
    assert remark.moderation_state == "under_review"
    assert remark_item.url == f"/cases/{case.pk}/#comment-{remark.pk}"

    # A moderator of the case's office decides on them; one of another office does not.
    lighting = a_moderator("Lia Lighting")
    ModeratorScope.objects.create(person=lighting, scope=case.office)
    roads = a_moderator("Rod Roads")
    ModeratorScope.objects.create(person=roads, scope=town.roads_office)
    with pytest.raises(services.ModerationError):
        services.decide(remark_item, by=roads, action="dismiss")
    services.decide(remark_item, by=lighting, action="dismiss", facts="Rude, not a breach.")
    # Reported past the score, the case went private while it is reviewed: out of every
    # public read path, still with its author and the office.
    case.refresh_from_db()
    assert not case.is_public
    assert signed_in(town.other_resident).get(case.get_absolute_url()).status_code == 404
    assert signed_in(town.resident).get(case.get_absolute_url()).status_code == 200
    assert str(case.pk) not in open311_ids()
    decision = services.decide(
        case_item,
        by=lighting,
        action="hide",
        rule=rules[1],
        facts="A neighbour's name and insults.",
    )
    case.refresh_from_db()
    assert not case.is_public
    appeal = services.appeal_decision(decision, by=town.resident, grounds="The name is a street.")
    services.decide_appeal(
        appeal, by=a_moderator("Ana Appeals"), action="restore", facts="A street."
    )
    case.refresh_from_db()
    assert case.is_public
    assert signed_in(town.other_resident).get(case.get_absolute_url()).status_code == 200
    assert str(case.pk) in open311_ids()


def test_a_comment_on_a_proposal_belongs_to_its_process(db):
    from agora.proposals import services as proposals
    from tests.processes.conftest import build_town
    from tests.proposals.conftest import a_proposal, support_process

    process = support_process(build_town())
    proposal = a_proposal(process, settled())
    writer = verified(home_area="North")
    comment = proposals.comment_on_proposal(proposal, by=writer, body="Kerbs cost a lot.")
    page = signed_in(settled()).get(proposal.get_absolute_url()).content.decode()
    assert f"/moderation/report/comment/{comment.pk}/" in page
    report(comment, settled())
    item = ModeratedItem.objects.get(kind="comment")
    assert (item.scope_type.model, item.scope_id) == ("process", process.pk)
    assert item.url == f"{proposal.get_absolute_url()}#comment-{comment.pk}"
