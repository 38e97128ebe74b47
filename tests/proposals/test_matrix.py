"""The permissions matrix of proposals, through the verbs themselves: every role before,
during and after the phase that allows proposing, editing (one's own proposal), supporting
and answering, with the expected outcome of each cell written out.

The process is for verified residents of North; its office is the Cycling Unit. Its phases:
the phase under test for ten days, then a closed phase with no end. "before": the phase
starts in five days; "during": it started five days ago; "after": it ended five days ago
(the closed phase runs). Cells: A done, P outside the phase, S not signed in, V not
verified, R not a resident of the process's areas, O the responsible office takes no part,
N not the responsible office."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from agora.processes.features import MESSAGES, Reason
from agora.processes.models import PhaseKind
from agora.proposals import services
from agora.proposals.models import Proposal, ProposalSettings, ProposalState, Support
from tests.processes.matrix import CELL, ROLES
from tests.proposals.conftest import a_proposal, residents

# How far the phase's start lies from now.
TIMINGS = {"before": 5, "during": -5, "after": -15}

MATRIX = {
    "propose": (
        PhaseKind.PROPOSALS,
        {
            "anonymous": "PSP",
            "signed_in": "PVP",
            "verified": "PAP",
            "outsider": "PRP",
            "official": "POP",
            "other_official": "PVP",
            "moderator": "PVP",
            "administrator": "PVP",
        },
    ),
    "edit": (
        PhaseKind.PROPOSALS,
        {
            "anonymous": "PSP",
            "signed_in": "PVP",
            "verified": "PAP",
            "outsider": "PRP",
            "official": "POP",
            "other_official": "PVP",
            "moderator": "PVP",
            "administrator": "PVP",
        },
    ),
    "support": (
        PhaseKind.SUPPORT,
        {
            "anonymous": "PSP",
            "signed_in": "PVP",
            "verified": "PAP",
            "outsider": "PRP",
            "official": "POP",
            "other_official": "PVP",
            "moderator": "PVP",
            "administrator": "PVP",
        },
    ),
    # The closed phase still takes answers: an office answers late rather than never.
    "answer": (
        PhaseKind.ANSWERS,
        {
            "anonymous": "PSS",
            "signed_in": "PNN",
            "verified": "PNN",
            "outsider": "PNN",
            "official": "PAA",
            "other_official": "PNN",
            "moderator": "PNN",
            "administrator": "PNN",
        },
    ),
}


def attempt(action, process, person, author):
    """Do the action as the person; answer whether the change is there afterwards."""
    if action == "propose":
        proposal = services.propose(process, by=person, title="Benches", body="More benches.")
        return Proposal.objects.filter(pk=proposal.pk, author=person).exists()
    proposal = a_proposal(process, author)
    if action == "edit":
        services.edit_proposal(proposal, by=person, title="Benches", body="Even more benches.")
        return Proposal.objects.get(pk=proposal.pk).version == 2
    if action == "support":
        services.support_proposal(proposal, by=person)
        return Proposal.objects.get(pk=proposal.pk).support_count == 1
    services.answer_proposal(proposal, by=person, answer="planned")
    return Proposal.objects.get(pk=proposal.pk).state == ProposalState.ANSWERED


@pytest.mark.parametrize("action", list(MATRIX))
def test_the_matrix_of_roles_and_phase_timings(town, action):
    kind, table = MATRIX[action]
    assert list(table) == ROLES
    (stranger,) = residents(1, prefix="Author")
    found, expected = {}, {}
    for timing, offset in TIMINGS.items():
        base = timezone.now() + timedelta(days=offset)
        process = town.process((kind, 0, 10), (PhaseKind.CLOSED, 10, None), base=base)
        ProposalSettings.objects.create(process=process, support_threshold=50)
        for role in ROLES:
            person = town.people[role]
            # One edits one's own proposal; one supports or answers somebody else's.
            author = person if action == "edit" and person.is_authenticated else stranger
            expected[role, timing] = CELL[table[role][list(TIMINGS).index(timing)]]
            try:
                assert attempt(action, process, person, author), (role, timing)
                found[role, timing] = Reason.ALLOWED
            except PermissionDenied as refused:
                reason = next(code for code, text in MESSAGES.items() if str(text) == str(refused))
                found[role, timing] = reason
    assert found == expected
    allowed = sum(1 for reason in found.values() if reason == Reason.ALLOWED)
    if action == "support":
        assert Support.objects.count() == allowed
