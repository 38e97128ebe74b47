"""The office's accountability page counts, beside its cases, the proposals that reached
their threshold: answered on time, answered late, overdue and awaiting (cases' ACCOUNTABILITY
slot, which proposals fills), in a constant number of queries."""

import re
from datetime import timedelta

from django.utils import timezone

from agora.proposals import services
from agora.proposals.models import Proposal, ProposalState
from tests.helpers import assert_constant_queries, main_part
from tests.proposals.conftest import a_proposal, residents, support_process


def clocked(process, author, title, *, due_in_days: int) -> Proposal:
    """A proposal that reached its threshold, due in (or, negative, past) the given days."""
    now = timezone.now()
    return a_proposal(
        process,
        author,
        title,
        state=ProposalState.AWAITING_ANSWER,
        support_count=2,
        threshold_reached_at=now - timedelta(days=20),
        answer_due_at=now + timedelta(days=due_in_days),
    )


def figure(page: str, label: str) -> int:
    return int(re.search(rf"{label}</th>\s*<td>(\d+)</td>", page).group(1))


def test_the_accountability_page_counts_the_proposals_answered_on_time_late_and_overdue(
    client, town
):
    process = support_process(town)
    on_time = clocked(process, town.verified, "Answered in time", due_in_days=3)
    late = clocked(process, town.verified, "Answered late", due_in_days=-2)
    clocked(process, town.verified, "Overdue", due_in_days=-1)
    clocked(process, town.verified, "Still on time", due_in_days=5)
    a_proposal(process, town.verified, "Below the threshold")
    for proposal in (on_time, late):
        services.answer_proposal(proposal, by=town.official, answer="accepted")
    page = main_part(client.get("/cases/accountability/cycling-unit/"))
    assert "Proposals that reached their support threshold" in page
    assert figure(page, "Answered on time") == 1
    assert figure(page, "Answered late") == 1
    assert figure(page, "Overdue: no answer past the due date") == 1
    assert figure(page, "Awaiting an answer, still on time") == 1
    overall = main_part(client.get("/cases/accountability/"))
    assert figure(overall, "Overdue: no answer past the due date") == 1
    other_office = main_part(client.get("/cases/accountability/parks/"))
    assert "Proposals that reached their support threshold" not in other_office


def test_the_accountability_figures_read_in_a_constant_number_of_queries(client, town):
    process = support_process(town)
    (author,) = residents(1)
    clocked(process, author, "First", due_in_days=-1)

    def grow():
        for number in range(6):
            clocked(process, author, f"Late {number}", due_in_days=-1 - number)

    pages = assert_constant_queries(
        {
            "office": lambda: client.get("/cases/accountability/cycling-unit/"),
            "overall": lambda: client.get("/cases/accountability/"),
        },
        grow,
        expected={"office": 5, "overall": 5},  # the cases part: 4 with no case
    )
    counts = [
        figure(main_part(page), "Overdue: no answer past the due date") for page in pages["office"]
    ]
    assert counts == [1, 7]
