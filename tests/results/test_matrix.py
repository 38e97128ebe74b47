"""The permissions matrix of results, through the verbs themselves: every role before, during
and after the process, making a result and writing an update, with the expected outcome of
each cell written out.

The process (verified residents of North; its office the Cycling Unit) has a support phase of
ten days, then a results phase of ten days. "before": it begins in five days; "during": it
began five days ago; "after": its last phase ended five days ago. Reporting on results outlives
the phases (docs/apps/results.md): allowed from the process's start, in any phase and after
the last, for the office's officials and administrators. Cells: A done, B the process has not
begun, S not signed in, N not the responsible office (nor an administrator)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from agora.processes.models import PhaseKind
from agora.results import services
from agora.results.models import Result, ResultUpdate
from agora.results.permissions import MESSAGES, Reason
from tests.processes.matrix import ROLES

CELL = {
    "A": Reason.ALLOWED,
    "B": Reason.NOT_STARTED,
    "S": Reason.NOT_SIGNED_IN,
    "N": Reason.NOT_THE_OFFICE,
}
# How far the process's start lies from now.
TIMINGS = {"before": 5, "during": -5, "after": -25}

MATRIX = {
    "create": {
        "anonymous": "BSS",
        "signed_in": "BNN",
        "verified": "BNN",
        "outsider": "BNN",
        "official": "BAA",
        "other_official": "BNN",
        "moderator": "BNN",
        "administrator": "BAA",
    },
    "update": {
        "anonymous": "BSS",
        "signed_in": "BNN",
        "verified": "BNN",
        "outsider": "BNN",
        "official": "BAA",
        "other_official": "BNN",
        "moderator": "BNN",
        "administrator": "BAA",
    },
}


def attempt(action, process, person) -> bool:
    """Do the action as the person; answer whether the change is there afterwards."""
    if action == "create":
        result = services.create_result(process, by=person, title="Benches", description="Ten.")
        return Result.objects.filter(pk=result.pk, created_by=person).exists()
    result = Result.objects.create(
        process=process,
        office=process.office,
        slug=f"benches-{process.pk}-{person.pk or 0}",
        title="Benches",
        description="Ten.",
        description_html="<p>Ten.</p>",
    )
    services.add_update(result, by=person, body="Five are in.", progress=50)
    return Result.objects.get(pk=result.pk).progress == 50


@pytest.mark.parametrize("action", list(MATRIX))
def test_the_matrix_of_roles_and_timings(town, action):
    table = MATRIX[action]
    assert list(table) == ROLES
    found, expected = {}, {}
    for timing, offset in TIMINGS.items():
        base = timezone.now() + timedelta(days=offset)
        process = town.process((PhaseKind.SUPPORT, 0, 10), (PhaseKind.RESULTS, 10, 20), base=base)
        for role in ROLES:
            person = town.people[role]
            expected[role, timing] = CELL[table[role][list(TIMINGS).index(timing)]]
            try:
                assert attempt(action, process, person), (role, timing)
                found[role, timing] = Reason.ALLOWED
            except PermissionDenied as refused:
                reason = next(code for code, text in MESSAGES.items() if str(text) == str(refused))
                found[role, timing] = reason
    assert found == expected
    allowed = sum(1 for reason in found.values() if reason == Reason.ALLOWED)
    if action == "update":
        assert ResultUpdate.objects.count() == allowed
    else:
        assert Result.objects.count() == allowed


def test_an_unpublished_process_takes_no_results(town):
    process = town.process((PhaseKind.RESULTS, -1, None), is_published=False)
    with pytest.raises(PermissionDenied, match="not published"):
        services.create_result(process, by=town.administrator, title="Benches", description="Ten.")
