"""Closing a budget's vote: once every phase of its process that allows voting has ended, the
worker closes the budget and counts it (once, however often it runs); a manager may do it at
once from the ballot page, and nobody else may. A vote still open, or whose phase has no end,
is never closed."""

import pytest
from django.test import Client
from django.urls import reverse

from agora.budgets import services, tasks
from agora.budgets.models import Budget
from agora.core.models import AuditEntry
from agora.processes.models import PhaseKind
from tests.budgets.test_ballot import a_budget, url
from tests.factories import UserFactory
from tests.helpers import main_part, signed_in
from tests.processes.conftest import town  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def ended_vote(town, **fields):  # noqa: F811
    """A budget whose support phase ran from ten days ago to yesterday, with three ballots."""
    process = town.process((PhaseKind.SUPPORT, -10, -1), (PhaseKind.RESULTS, -1, None))
    budget = a_budget(process, **fields)
    for choice in (["lights", "racks"], ["lights"], ["pavement", "humps"]):
        services.cast_ballot(budget, UserFactory(), choice)
    return budget


def test_the_worker_closes_and_counts_each_ended_vote_once(town):  # noqa: F811
    ended = ended_vote(town)
    still_open = a_budget(town.process((PhaseKind.SUPPORT, -1, 10), slug="open-vote"))
    endless = a_budget(town.process((PhaseKind.SUPPORT, -1, None), slug="endless-vote"))
    not_yet = a_budget(town.process((PhaseKind.SUPPORT, 2, 10), slug="later-vote"))

    assert list(services.budgets_due()) == [ended]
    assert tasks.queue_closing() == "Closed and counted 1 budgets whose vote is over."
    ended.refresh_from_db()
    assert ended.is_closed and ended.counted_at is not None
    assert ended.result["winners"] == services.count_budget(ended).winners
    assert set(ended.result["winners"]) >= {"lights"}
    for budget in (still_open, endless, not_yet):
        budget.refresh_from_db()
        assert not budget.is_closed and budget.result is None

    assert services.close_due_budgets() == 0  # counted once
    assert AuditEntry.objects.filter(action="budgets.closed").count() == 1


def test_a_manager_closes_an_ended_vote_at_once_and_nobody_else_may(town):  # noqa: F811
    budget = ended_vote(town)
    page = main_part(signed_in(town.verified).get(url(budget)))
    assert "The vote is over." in page
    assert "Close the vote and count it now" not in page
    close = reverse("budgets:close", args=[budget.pk])
    assert signed_in(town.verified).post(close).status_code == 404
    assert signed_in(town.other_official).post(close).status_code == 404
    assert Client().post(close).status_code == 302  # to the sign-in page
    assert not Budget.objects.get(pk=budget.pk).is_closed

    staff = signed_in(town.official)
    assert "Close the vote and count it now" in main_part(staff.get(url(budget)))
    response = staff.post(close, follow=True)
    assert response.redirect_chain[-1][0] == reverse("budgets:result", args=[budget.pk])
    assert "The vote is closed and counted" in main_part(response)
    budget.refresh_from_db()
    assert budget.is_closed and budget.result is not None
    assert services.close_due_budgets() == 0


def test_a_vote_still_open_is_not_closed_by_a_manager(town):  # noqa: F811
    budget = a_budget(town.process((PhaseKind.SUPPORT, -1, 10)))
    staff = signed_in(town.official)
    assert "Close the vote and count it now" not in main_part(staff.get(url(budget)))
    response = staff.post(reverse("budgets:close", args=[budget.pk]), follow=True)
    assert "The vote is still open" in main_part(response)
    budget.refresh_from_db()
    assert not budget.is_closed and budget.result is None
