"""The permissions matrix: every role through every timing of a phase, for every declared
action, with the expected outcome of each cell written out.

The process is for verified residents of North; its office is the Cycling Unit. Its phases:
the phase that allows the action under test from day 0 to day 10, then a closed phase with
no end. "before" is day -5 (no phase yet), "during" day 5, "after" day 15 (the closed
phase). Roles give no say in a process: officials, moderators and administrators take part
only as a resident would, and these accounts are not verified residents (`V`); the officials
of the responsible office speak for the office in comments, answer, and take no part
otherwise (`O`).

Cells: A allowed, P outside the phase, S not signed in, V not verified, R not a resident of
the process's areas, O the responsible office takes no part, N not the responsible office.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from agora.processes import features
from agora.processes.features import Reason
from agora.processes.models import PhaseKind
from tests.processes.matrix import CELL, ROLES

TIMINGS = {"before": -5, "during": 5, "after": 15}

# For each action: the kind of phase it is tested in, and role -> before, during, after.
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
    "comment": (
        PhaseKind.DEBATE,
        {
            "anonymous": "PSP",
            "signed_in": "PVP",
            "verified": "PAP",
            "outsider": "PRP",
            "official": "PAP",
            "other_official": "PVP",
            "moderator": "PVP",
            "administrator": "PVP",
        },
    ),
    # Polls' action: answering a poll or survey, as a resident.
    "respond": (
        PhaseKind.DEBATE,
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
    # Meetings' action: registering for a process's meeting; the office's officials come too.
    "register": (
        PhaseKind.DEBATE,
        {
            "anonymous": "PSP",
            "signed_in": "PVP",
            "verified": "PAP",
            "outsider": "PRP",
            "official": "PAP",
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
    "sign": (
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
    # Budgets' ballots (`agora.budgets`), in the support phase as signatures are.
    "vote": (
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


def test_every_declared_action_has_its_row_in_the_matrix():
    assert {action.name for action in features.actions()} == set(MATRIX)


@pytest.mark.parametrize("action", list(MATRIX))
def test_the_matrix_of_roles_and_phase_timings(town, action):
    kind, table = MATRIX[action]
    base = timezone.now()
    process = town.process((kind, 0, 10), (PhaseKind.CLOSED, 10, None), base=base)
    assert list(table) == ROLES
    found, expected = {}, {}
    for role in ROLES:
        person = town.people[role]
        for position, (timing, day) in enumerate(TIMINGS.items()):
            moment = base + timedelta(days=day)
            decision = features.can_act(person, action, process, at=moment)
            found[role, timing] = decision.reason
            expected[role, timing] = CELL[table[role][position]]
            assert decision.allowed == (decision.reason == Reason.ALLOWED)
    assert found == expected
