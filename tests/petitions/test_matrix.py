"""The permissions matrix of petitions, through the verbs themselves, with the expected outcome
of each cell written out.

Signing in a process: the process is for verified residents of North; its office is the
Cycling Unit. Its phases: the support phase for ten days, then a closed phase with no end.
"before": the support phase starts in five days; "during": it started five days ago; "after":
it ended five days ago. Signing outside a process follows the authority's rule (verified
residents): "before" is a petition awaiting moderation, "during" an open one, "after" one
past its closing date. Responding is for the Cycling Unit's officials, before (awaiting
moderation), during (open) and after (closed) alike.

Cells: A done, P outside the phase, S not signed in, V not verified, R not a resident of the
process's areas, O the office the petition asks takes no part, N not that office's official,
U not open (not published yet), C closed."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from agora.petitions import services
from agora.petitions.models import Petition, Signature
from agora.petitions.permissions import MESSAGES as PETITION_MESSAGES
from agora.processes.features import MESSAGES, Reason
from agora.processes.models import PhaseKind
from tests.petitions.conftest import a_draft, an_open_petition
from tests.processes.matrix import CELL, ROLES

CELLS = {**CELL, "U": "not_open", "C": "closed"}
TIMINGS = {"before": 5, "during": -5, "after": -15}

MATRIX = {
    "sign in a process": {
        "anonymous": "PSP",
        "signed_in": "PVP",
        "verified": "PAP",
        "outsider": "PRP",
        "official": "POP",
        "other_official": "PVP",
        "moderator": "PVP",
        "administrator": "PVP",
    },
    "sign outside a process": {
        "anonymous": "USC",
        "signed_in": "UVC",
        "verified": "UAC",
        "outsider": "UAC",
        "official": "UOC",
        "other_official": "UVC",
        "moderator": "UVC",
        "administrator": "UVC",
    },
    "respond": {
        "anonymous": "NNN",
        "signed_in": "NNN",
        "verified": "NNN",
        "outsider": "NNN",
        "official": "UAA",
        "other_official": "NNN",
        "moderator": "NNN",
        "administrator": "NNN",
    },
}


def _petition(town, feature, timing, offset):
    author = town.verified
    if feature == "sign in a process":
        base = timezone.now() + timedelta(days=offset)
        process = town.process((PhaseKind.SUPPORT, 0, 10), (PhaseKind.CLOSED, 10, None), base=base)
        return an_open_petition(town, author, process=process)
    if timing == "before":
        with override_settings(AGORA_PETITION_COSPONSORS=0):
            petition = a_draft(town, author)
            services.ask_for_cosponsors(petition, by=author)
        return petition
    petition = an_open_petition(town, author)
    if timing == "after":
        Petition.objects.filter(pk=petition.pk).update(
            closes_on=timezone.localdate() - timedelta(days=1)
        )
        services.close_due_petitions()
        petition.refresh_from_db()
    return petition


def attempt(feature, petition, person) -> bool:
    if feature == "respond":
        services.respond_to_petition(petition, by=person, body="We will.")
        return Petition.objects.get(pk=petition.pk).responded_at is not None
    services.sign_petition(petition, by=person)
    return Signature.objects.filter(petition=petition, person=person).exists()


def outcome(error) -> str:
    if isinstance(error, ValidationError):
        return "closed" if "closed" in str(error) else "not_open"
    text = str(error)
    if "officials of the office" in text:
        return Reason.NOT_THE_OFFICE
    if "not published" in text:
        return "not_open"
    known = {str(message): code for code, message in MESSAGES.items()}
    known |= {str(message): code for code, message in PETITION_MESSAGES.items()}
    return known[text]


@pytest.mark.parametrize("feature", list(MATRIX))
def test_the_matrix_of_roles_and_timings(town, feature):
    table = MATRIX[feature]
    assert list(table) == ROLES
    found, expected = {}, {}
    for index, (timing, offset) in enumerate(TIMINGS.items()):
        petition = _petition(town, feature, timing, offset)
        for role in ROLES:
            person = town.people[role]
            expected[role, timing] = CELLS[table[role][index]]
            try:
                assert attempt(feature, petition, person), (role, timing)
                found[role, timing] = Reason.ALLOWED
            except (PermissionDenied, ValidationError) as refused:
                found[role, timing] = outcome(refused)
        # What was refused changed nothing: the count is the signatures allowed.
        allowed = [role for role in ROLES if found[role, timing] == Reason.ALLOWED]
        stored = Petition.objects.get(pk=petition.pk)
        if feature == "respond":
            assert (stored.responded_at is not None) == bool(allowed)
        else:
            assert stored.signature_count == len(allowed)
            assert Signature.objects.filter(petition=petition).count() == len(allowed)
    assert found == expected
