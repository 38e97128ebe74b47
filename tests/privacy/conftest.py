"""A small town where Vera takes part in everything and Omar deals with her: what an export
must hold, and what a deletion must clear."""

from dataclasses import dataclass

import pytest
from django.test import override_settings
from django.urls import reverse

from agora.cases import services as cases
from agora.conversations import services as conversations
from agora.meetings import services as meetings
from agora.petitions import services as petitions
from agora.privacy import consent
from agora.privacy.models import Export
from agora.proposals import services as proposals
from agora.social import services as social
from tests.directory.factories import ResponsibilityFactory
from tests.helpers import signed_in
from tests.petitions.conftest import an_open_petition
from tests.processes.conftest import build_town
from tests.proposals.conftest import a_proposal, support_process


@dataclass
class World:
    town: object
    vera: object
    omar: object
    post: object
    omars_post: object
    case: object
    proposal: object
    petition: object
    conversation: object


def build_world(tmp_path) -> World:
    town = build_town()
    ResponsibilityFactory(topic=town.cycling, area=town.city, office=town.cycling_unit)
    vera, omar = town.verified, town.outsider
    vera.handle, vera.email, vera.display_name = "vera_v", "vera@example.org", "Vera Verity"
    vera.bio = "Cyclist from the north."
    vera.save()
    vera.emailaddress_set.update(email="vera@example.org")

    post = social.create_post(by=vera, body="More shade on the cycle lanes, please.")
    omars_post = social.create_post(by=omar, body="The river walk needs benches.")
    social.comment_on_post(post, by=omar, body="Agreed, and water fountains.")
    social.comment_on_post(omars_post, by=vera, body="Benches with backs, please.")
    social.like_post(post, by=omar)
    social.like_post(omars_post, by=vera)
    social.follow(omar, by=vera)
    social.follow(vera, by=omar)
    social.mute(town.signed_in, by=vera)
    social.follow_source(town.cycling_unit, by=vera)

    case = cases.submit_case(
        by=vera,
        kind="report",
        title="Broken cycle lane sign",
        description="The sign at the bridge is bent.",
        topic=town.cycling,
    )
    cases.acknowledge_case(case, by=town.official)
    cases.answer_case(case, by=town.official, answer="We will replace it this week.")
    cases.support_case(case, by=omar)

    process = support_process(town, threshold=5, areas=[town.north, town.south])
    proposal = a_proposal(process, vera, title="Shade trees on every cycle lane")
    proposals.support_proposal(proposal, by=omar)
    theirs = a_proposal(process, omar, title="Benches on the river walk")
    proposals.support_proposal(theirs, by=vera)

    with override_settings(AGORA_PETITION_COSPONSORS=0):
        petition = an_open_petition(town, author=omar)
    petitions.sign_petition(petition, by=vera, show_name=True, address="203.0.113.7")

    conversation = conversations.open_conversation(
        owner=town.official, question="What should the north's lanes do first?", seeds=["Shade"]
    )
    participant = conversations.participant_for(conversation, user=vera)
    conversations.cast_vote(participant, conversation.statements.get(), 1)
    conversations.submit_statement(participant, text="Lighting at night first.")
    consent.accept_current(vera)
    take_part_in_the_newest_apps(vera, process)
    return World(town, vera, omar, post, omars_post, case, proposal, petition, conversation)


def take_part_in_the_newest_apps(vera, process) -> None:
    """Vera answers a poll (with a free text), registers for a meeting, casts a ballot and
    asks for the weekly summary: rows the export must hold and the deletion must clear."""
    from agora.budgets.models import Ballot, Budget
    from agora.notifications.services import set_calm
    from agora.polls.models import Answer, Poll, Question, QuestionKind, Section
    from agora.polls.models import Response as PollResponse
    from tests.meetings.conftest import meeting_of

    poll = Poll.objects.create(process=process, title_en="How do you travel?")
    section = Section.objects.create(poll=poll, position=0, title_en="Travel")
    question = Question.objects.create(
        poll=poll, section=section, position=0, kind=QuestionKind.SHORT_TEXT, text_en="Street?"
    )
    response = PollResponse.objects.create(poll=poll, respondent=vera)
    Answer.objects.create(response=response, question=question, text="Mill Lane")
    meetings.register_for_meeting(meeting_of(process, capacity=5), by=vera)
    budget = Budget.objects.create(
        process=process, title_en="North 2027", amount=1000, ballot_kind="approval", rule="greedy"
    )
    Ballot.objects.create(budget=budget, voter=vera, projects=["1"])
    set_calm(vera, weekly_summary=True, time_zone="Europe/Madrid")


@pytest.fixture
def world(db, tmp_path, settings):
    settings.AGORA_EXPORT_DIR = tmp_path / "exports"
    return build_world(tmp_path)


@pytest.fixture
def ready_export(world, run_worker, django_capture_on_commit_callbacks):
    """Vera asks for her data and the worker builds it: her client, the export, the mails."""
    client = signed_in(world.vera)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:request_export"))
    assert response.status_code == 302
    sent = run_worker()
    export = Export.objects.get(person=world.vera)
    return client, export, sent
