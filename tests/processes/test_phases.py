"""Phases run forwards and never overlap; only the last may be open-ended. The service, the
form and the API say which phase is wrong, and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError

from agora.processes.models import Phase, PhaseKind, Process

INFO, PROPOSALS, CLOSED = PhaseKind.INFORMATION, PhaseKind.PROPOSALS, PhaseKind.CLOSED


def test_phases_in_order_are_saved_with_the_process_dates(town):
    process = town.process((INFO, 0, 10), (PROPOSALS, 10, 20), (CLOSED, 20, None))
    kinds = list(process.phases.values_list("kind", flat=True))
    assert kinds == [INFO, PROPOSALS, CLOSED]
    first = process.phases.first()
    assert process.starts_at == first.starts_at
    assert process.ends_at is None  # the closed phase has no end


@pytest.mark.parametrize(
    ("spans", "message"),
    [
        (((INFO, 10, 5),), "Phase 1 ends before it starts"),
        (((INFO, 0, 10), (PROPOSALS, 5, 20)), "Phases 1 and 2 overlap"),
        (((PROPOSALS, 5, 20), (INFO, 0, 10)), "Phases 2 and 1 overlap"),
        (((INFO, 0, None), (PROPOSALS, 5, 20)), "Only the last phase may have no end"),
        ((), "A published process needs at least one phase"),
    ],
)
def test_phases_that_overlap_or_run_backwards_are_refused_and_nothing_is_saved(
    town, spans, message
):
    with pytest.raises(ValidationError) as caught:
        town.process(*spans)
    assert any(text.startswith(message) for text in caught.value.messages), caught.value.messages
    assert not Process.objects.exists()
    assert not Phase.objects.exists()


def test_a_phase_may_start_exactly_when_the_one_before_ends(town):
    process = town.process((INFO, 0, 10), (PROPOSALS, 10, 20))
    assert process.phases.count() == 2


def test_the_database_refuses_a_phase_ending_before_it_starts(town):
    from django.db import IntegrityError, transaction

    process = town.process((INFO, 0, 10))
    phase = process.phases.get()
    phase.ends_at = phase.starts_at
    with pytest.raises(IntegrityError), transaction.atomic():
        phase.save()
