"""The processes' small town, with a process whose support phase ran and whose answers phase
runs now, an accepted proposal in it, and a result made through the verb."""

import pytest
from django.utils import timezone

from agora.cases.models import Case
from agora.processes.models import PhaseKind
from agora.proposals.models import AnswerKind, ProposalState
from agora.results import services
from tests.processes.conftest import build_town
from tests.proposals.conftest import a_proposal, residents


def answers_process(town, **fields):
    """A process in its answers phase (day -1 to day 10), then in its results phase."""
    return town.process((PhaseKind.ANSWERS, -1, 10), (PhaseKind.RESULTS, 10, None), **fields)


def accepted_proposal(process, author, title="Protected cycle lane on Main Street"):
    return a_proposal(
        process, author, title, state=ProposalState.ANSWERED, answer=AnswerKind.ACCEPTED
    )


def a_result(process, by, title="Cycle lane on Main Street", **fields):
    values = {"description": "Kerbs between the lane and the cars."}
    values.update(fields)
    return services.create_result(process, by=by, title=title, **values)


def a_case(town, *, is_public=True, by=None, title="Cars park on the cycle lane"):
    now = timezone.now()
    return Case.objects.create(
        kind="report",
        title=title,
        description="Every morning.",
        topic=town.cycling,
        office=town.cycling_unit,
        is_public=is_public,
        submitted_by=by,
        acknowledge_due_at=now,
        answer_due_at=now,
    )


@pytest.fixture
def town(db):
    return build_town()


__all__ = ["a_case", "a_proposal", "accepted_proposal", "a_result", "answers_process", "residents"]
