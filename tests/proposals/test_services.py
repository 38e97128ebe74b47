"""The verbs: proposing (and its limits), editing with versions kept, supports counted once
and withdrawn while the phase runs, the limit per person, the threshold starting the answer
clock in working days (cases' holidays skipped), answers by the responsible office only,
and who is told."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agora.cases.models import PublicHoliday
from agora.cases.models.service_level import add_working_days
from agora.notifications.models import Notification
from agora.processes.models import ProcessFollow
from agora.proposals import services
from agora.proposals.models import Proposal, ProposalState, ProposalVersion, Support
from agora.proposals.models.proposal import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from tests.proposals.conftest import a_proposal, proposals_process, residents, support_process


def test_a_verified_resident_proposes_and_the_body_is_rendered_once(town):
    process = proposals_process(town)
    proposal = services.propose(
        process, by=town.verified, title="  More benches  ", body="Benches **every** 200 m."
    )
    assert proposal.title == "More benches"
    assert "<strong>every</strong>" in proposal.body_html
    assert proposal.state == ProposalState.PUBLISHED


def test_a_proposal_over_the_length_limit_is_refused_and_nothing_is_stored(town):
    process = proposals_process(town)
    with pytest.raises(ValidationError) as refused:
        services.propose(process, by=town.verified, title="Long", body="x" * (BODY_MAX_LENGTH + 1))
    assert "at most 6000 characters" in " ".join(refused.value.message_dict["body"])
    with pytest.raises(ValidationError):
        services.propose(process, by=town.verified, title="t" * (TITLE_MAX_LENGTH + 1), body="b")
    assert not Proposal.objects.exists()


def test_proposing_outside_the_proposals_phase_is_refused_with_the_reason(town):
    process = support_process(town)
    with pytest.raises(PermissionDenied, match="current phase"):
        services.propose(process, by=town.verified, title="Late", body="Too late.")
    assert not Proposal.objects.exists()


def test_editing_keeps_the_earlier_version_readable(town):
    process = proposals_process(town)
    proposal = services.propose(process, by=town.verified, title="Benches", body="First words.")
    services.edit_proposal(proposal, by=town.verified, title="More benches", body="Second.")
    proposal.refresh_from_db()
    assert (proposal.version, proposal.title, proposal.body) == (2, "More benches", "Second.")
    earlier = ProposalVersion.objects.get(proposal=proposal)
    assert (earlier.number, earlier.title, earlier.body) == (1, "Benches", "First words.")
    with pytest.raises(PermissionDenied):
        services.edit_proposal(proposal, by=town.outsider, title="Mine now", body="No.")


def test_two_supports_by_one_person_count_once_and_a_withdrawal_counts_down(town):
    process = support_process(town, threshold=5)
    proposal = a_proposal(process, town.verified)
    first, second = residents(2)
    assert services.support_proposal(proposal, by=first) is True
    assert services.support_proposal(proposal, by=first) is False
    services.support_proposal(proposal, by=second)
    assert Proposal.objects.get(pk=proposal.pk).support_count == 2
    assert services.withdraw_support(proposal, by=first) is True
    assert services.withdraw_support(proposal, by=first) is False
    assert Proposal.objects.get(pk=proposal.pk).support_count == 1
    assert Support.objects.filter(proposal=proposal).count() == 1


def test_support_outside_the_support_phase_changes_nothing(town):
    process = proposals_process(town)
    proposal = services.propose(process, by=town.verified, title="Benches", body="Please.")
    (someone,) = residents(1)
    with pytest.raises(PermissionDenied, match="current phase"):
        services.support_proposal(proposal, by=someone)
    assert Proposal.objects.get(pk=proposal.pk).support_count == 0
    assert not Support.objects.exists()


def test_the_limit_of_supports_per_person_is_kept(town):
    process = support_process(town, threshold=50, limit=1)
    one, two = a_proposal(process, town.verified), a_proposal(process, town.verified, "Other")
    (someone,) = residents(1)
    services.support_proposal(one, by=someone)
    with pytest.raises(ValidationError, match="at most 1 proposals"):
        services.support_proposal(two, by=someone)
    services.withdraw_support(one, by=someone)
    assert services.support_proposal(two, by=someone) is True


def test_reaching_the_threshold_starts_the_clock_in_working_days_and_tells_the_office(town):
    process = support_process(town, threshold=2, answer_days=3)
    proposal = a_proposal(process, town.verified)
    today = timezone.localdate()
    days = (today + timedelta(days=number) for number in range(1, 8))
    holiday = next(day for day in days if day.weekday() < 5)  # the next working day
    PublicHoliday.objects.create(authority=process.office.authority, date=holiday, name_en="Fiesta")
    first, second = residents(2)
    services.support_proposal(proposal, by=first)
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.PUBLISHED
    before = timezone.now()
    services.support_proposal(proposal, by=second)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.AWAITING_ANSWER
    expected = add_working_days(proposal.threshold_reached_at, 3, {holiday})
    assert proposal.answer_due_at == expected
    assert proposal.answer_due_at != add_working_days(proposal.threshold_reached_at, 3)
    assert proposal.threshold_reached_at >= before
    told = Notification.objects.filter(kind="proposal_threshold")
    assert [note.recipient for note in told] == [town.official]


def test_an_overdue_answer_is_flagged(town):
    process = support_process(town, threshold=1)
    proposal = a_proposal(process, town.verified)
    services.support_proposal(proposal, by=residents(1)[0])
    proposal.refresh_from_db()
    assert not proposal.is_overdue()
    assert proposal.is_overdue(now=proposal.answer_due_at + timedelta(minutes=1))
    later = proposal.answer_due_at + timedelta(minutes=1)
    assert list(services.overdue(Proposal.objects.all(), now=later)) == [proposal]


def test_only_the_responsible_office_answers_and_everyone_concerned_is_told(town):
    process = support_process(town, threshold=1)
    proposal = a_proposal(process, town.verified)
    supporter, follower = residents(2)
    services.support_proposal(proposal, by=supporter)
    ProcessFollow.objects.create(follower=follower, process=process)
    with pytest.raises(PermissionDenied, match="responsible office"):
        services.answer_proposal(proposal, by=town.other_official, answer="accepted")
    with pytest.raises(ValidationError, match="reasons"):
        services.answer_proposal(proposal, by=town.official, answer="rejected")
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.AWAITING_ANSWER
    services.answer_proposal(
        proposal, by=town.official, answer="rejected", reasons="The street is too narrow."
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ANSWERED
    assert proposal.answer_office == town.cycling_unit
    told = {note.recipient for note in Notification.objects.filter(kind="proposal_answered")}
    assert told == {town.verified, supporter, follower}
    with pytest.raises(ValidationError, match="already"):
        services.answer_proposal(proposal, by=town.official, answer="accepted")
