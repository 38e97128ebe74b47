"""The processes' small town, with helpers to make a process in a given phase and a
proposal in it."""

import pytest

from agora.accounts.models import Verification
from agora.core.text import render_markdown
from agora.processes.models import PhaseKind
from agora.proposals.models import Proposal, ProposalSettings
from tests.factories import UserFactory
from tests.processes.conftest import build_town


def residents(count: int, prefix: str = "Resident") -> list:
    return [
        UserFactory(
            display_name=f"{prefix} {number}",
            home_area="North",
            verification=Verification.VERIFIED_RESIDENT,
        )
        for number in range(count)
    ]


def support_process(town, *, threshold=2, limit=None, answer_days=None, **fields):
    """A process in its support phase (day -1 to day 10), then closed."""
    process = town.process((PhaseKind.SUPPORT, -1, 10), (PhaseKind.CLOSED, 10, None), **fields)
    ProposalSettings.objects.create(
        process=process, support_threshold=threshold, support_limit=limit, answer_days=answer_days
    )
    return process


def proposals_process(town, **fields):
    return town.process((PhaseKind.PROPOSALS, -1, 10), (PhaseKind.CLOSED, 10, None), **fields)


def a_proposal(process, author, title="Protected cycle lane on Main Street", **fields):
    """A proposal as one written in an earlier proposals phase would stand (the phase that
    allows proposing has passed in a support process, so it is made as a row)."""
    body = fields.pop("body", "Separate the lane from the cars with **kerbs**.")
    return Proposal.objects.create(
        process=process,
        author=author,
        title=title,
        body=body,
        body_html=render_markdown(body),
        **fields,
    )


@pytest.fixture
def town(db):
    return build_town()
