"""The ballot confirmation email: sent by the worker once the ballot is stored, listing what
it holds and the total against the budget; a new one for a changed ballot, never two for one
version however often the task runs; in the voter's language; none for a refused ballot; a
short one for a withdrawn ballot. The page and the API cast through the same service."""

import pytest
from django.core import mail
from django.urls import reverse

from agora.budgets import services, tasks
from agora.budgets.models import BallotKind
from agora.processes.models import PhaseKind
from tests.budgets.test_ballot import a_budget
from tests.helpers import signed_in
from tests.processes.conftest import town  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting(town):  # noqa: F811
    return a_budget(town.process((PhaseKind.SUPPORT, -1, 10)))


def cast(capture, budget, person, projects, points=None):
    with capture(execute=True):
        return services.vote(budget, by=person, projects=projects, points=points)


def test_a_cast_ballot_is_confirmed_once_and_a_changed_one_again(
    town,  # noqa: F811
    voting,
    django_capture_on_commit_callbacks,
    run_worker,
):
    ballot = cast(django_capture_on_commit_callbacks, voting, town.verified, ["racks", "lights"])
    assert mail.outbox == []  # never in the request
    (first,) = run_worker()
    assert first.to == [town.verified.email]
    assert "Your ballot in “Safe streets”" in first.subject
    body = first.body
    assert "- Project lights: 90,000 EUR\n- Project racks: 30,000 EUR\n" in body
    assert "Project pavement" not in body
    assert "Their cost: 120,000 EUR\nBudget: 200,000 EUR\nLeft of the budget: 80,000 EUR" in body
    assert "until the vote closes on" in body and "Only your last ballot counts." in body
    assert "http://" in body and reverse("budgets:ballot", args=[voting.pk]) in body
    # The task run again (its worker killed in the middle) sends nothing twice.
    version = services.ballot_version(ballot)
    assert tasks.email_ballot.call(ballot_id=ballot.pk, version=version) == 0
    assert len(mail.outbox) == 1

    cast(django_capture_on_commit_callbacks, voting, town.verified, ["humps"])
    run_worker()
    assert len(mail.outbox) == 2
    second = mail.outbox[1].body
    assert "- Project humps: 25,000 EUR\n\n" in second and "Project lights" not in second
    assert "Left of the budget: 175,000 EUR" in second
    assert mail.outbox[1].extra_headers["Message-ID"] != first.extra_headers["Message-ID"]
    # The first version's task, run late, does not send a ballot that no longer counts.
    assert tasks.email_ballot.call(ballot_id=ballot.pk, version=version) == 0


def test_points_and_ranks_are_listed(
    town,  # noqa: F811
    django_capture_on_commit_callbacks,
    run_worker,
):
    process = town.process((PhaseKind.SUPPORT, -1, 10))
    points = a_budget(process, ballot_kind=BallotKind.CUMULATIVE, knapsack=False, points=10)
    ranked = a_budget(process, ballot_kind=BallotKind.ORDINAL, knapsack=False)
    cast(django_capture_on_commit_callbacks, points, town.verified, ["racks", "lights"], [3, 7])
    cast(django_capture_on_commit_callbacks, ranked, town.verified, ["humps", "lights", "racks"])
    by_points, by_rank = sorted(run_worker(), key=lambda message: "1." in message.body)
    assert "- Project racks: 3 points (30,000 EUR)\n- Project lights: 7 points (90,000 EUR)" in (
        by_points.body
    )
    assert "Points given: 10 of 10" in by_points.body
    assert (
        "1. Project humps: 25,000 EUR\n2. Project lights: 90,000 EUR\n3. Project racks: "
        "30,000 EUR" in by_rank.body
    )
    assert "Their cost: 145,000 EUR" in by_rank.body


def test_the_email_is_in_the_voters_language(
    town,  # noqa: F811
    voting,
    django_capture_on_commit_callbacks,
    run_worker,
):
    town.verified.preferred_language = "es"
    town.verified.save(update_fields=["preferred_language"])
    cast(django_capture_on_commit_callbacks, voting, town.verified, ["lights"])
    (message,) = run_worker()
    # The budget's Spanish title and strings the page already translates.
    assert "«Calles seguras»" in message.subject
    assert "Su coste: 90\xa0000 EUR" in message.body  # Spanish groups digits by a space
    assert "Queda del presupuesto: 110\xa0000 EUR" in message.body
    assert " dic 2026, " in message.body or " 2027, " in message.body  # the closing date


def test_a_refused_ballot_sends_nothing(
    town,  # noqa: F811
    voting,
    django_capture_on_commit_callbacks,
    run_worker,
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        with pytest.raises(services.BallotRefused):
            services.vote(voting, by=town.verified, projects=["lights", "pavement"])
        with pytest.raises(services.BallotRefused):
            services.vote(voting, by=town.outsider, projects=["lights"])
    assert queued == []
    assert run_worker() == []


def test_a_withdrawn_ballot_is_confirmed_and_an_inactive_account_gets_nothing(
    town,  # noqa: F811
    voting,
    django_capture_on_commit_callbacks,
    run_worker,
):
    cast(django_capture_on_commit_callbacks, voting, town.verified, ["lights"])
    (confirmed,) = run_worker()
    assert "Project lights" in confirmed.body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.withdraw_ballot(voting, by=town.verified)
        assert not services.withdraw_ballot(voting, by=town.verified)  # nothing left to take
    confirmed, withdrawn = run_worker()
    assert "Your ballot in “Safe streets” is withdrawn" in withdrawn.subject
    assert "It no longer counts." in withdrawn.body
    assert reverse("budgets:ballot", args=[voting.pk]) in withdrawn.body

    # Cast and withdrawn before the worker ran: only the withdrawal is worth telling.
    cast(django_capture_on_commit_callbacks, voting, town.verified, ["humps"])
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_ballot(voting, by=town.verified)
    assert [m.subject for m in run_worker()[2:]] == [withdrawn.subject]

    ballot = cast(django_capture_on_commit_callbacks, voting, town.verified, ["racks"])
    town.verified.is_active = False
    town.verified.save(update_fields=["is_active"])
    version = services.ballot_version(ballot)
    assert tasks.email_ballot.call(ballot_id=ballot.pk, version=version) == 0


def test_the_page_and_the_api_cast_through_the_service_and_the_email_follows(
    town,  # noqa: F811
    voting,
    django_capture_on_commit_callbacks,
    run_worker,
):
    client = signed_in(town.verified)
    url = reverse("budgets:ballot", args=[voting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"project": ["racks"], "action": "cast"})
        client.post(url, {"project": ["racks", "pavement", "lights"], "action": "cast"})
    # A second account sees nothing of it, and its refused ballot sends nothing.
    with django_capture_on_commit_callbacks(execute=True) as queued:
        signed_in(town.outsider).post(url, {"project": ["humps"], "action": "cast"})
    assert queued == []
    (message,) = run_worker()
    assert message.to == [town.verified.email]
    assert "- Project racks: 30,000 EUR\n\n" in message.body

    api = f"/api/v1/budgets/{voting.pk}/ballot"
    with django_capture_on_commit_callbacks(execute=True):
        cast_by_api = client.post(api, '{"projects": ["humps"]}', content_type="application/json")
        assert cast_by_api.status_code == 201
        assert client.delete(api).status_code == 204
    # Cast and withdrawn before the worker ran: the withdrawal alone is told.
    (withdrawn,) = run_worker()[1:]
    assert withdrawn.subject.endswith("Your ballot in “Safe streets” is withdrawn")
