"""The managers' budget pages: a budget added from its process's page, with what cannot stand
refused beside its field and what was typed kept; changed freely until the first ballot, then
only its titles; nobody but the process's managers may do either."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from agora.budgets import services
from agora.budgets.models import BallotKind, Budget, Rule
from agora.core.models import AuditEntry
from agora.processes.models import PhaseKind
from tests.budgets.test_ballot import a_budget
from tests.factories import UserFactory
from tests.helpers import main_part, signed_in
from tests.processes.conftest import town  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def typed(**changes) -> dict:
    data = {
        "title_en": "Green streets",
        "title_es": "Calles verdes",
        "amount": "250000",
        "currency": "EUR",
        "area": "",
        "ballot_kind": BallotKind.APPROVAL,
        "rule": Rule.EQUAL_SHARES,
        "minimum_votes": "0",
        "knapsack": "on",
        "minimum_share": "0",
        "minimum_projects": "0",
        "maximum_projects": "0",
        "points": "0",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_a_manager_adds_a_budget_fixing_what_was_wrong(town):  # noqa: F811
    process = town.process((PhaseKind.PROPOSALS, -1, 10), (PhaseKind.SUPPORT, 10, 20))
    staff = signed_in(town.official)
    create = reverse("budgets:create", args=[process.slug])
    assert f'href="{create}"' in main_part(staff.get(process.get_absolute_url()))
    assert create not in main_part(signed_in(town.verified).get(process.get_absolute_url()))

    wrong = typed(
        amount="0",
        ballot_kind=BallotKind.ORDINAL,
        minimum_projects="5",
        maximum_projects="3",
        minimum_share="20",
    )
    page = main_part(staff.post(create, wrong))
    assert "A budget needs an amount above zero." in page
    assert "Only approval ballots can be asked to fit the budget." in page
    assert "The most projects cannot be fewer than the fewest." in page
    assert 'value="Green streets"' in page and 'value="Calles verdes"' in page
    page = main_part(staff.post(create, typed(ballot_kind=BallotKind.CUMULATIVE, knapsack=None)))
    assert "Say how many points each voter distributes." in page
    assert not Budget.objects.exists()

    response = staff.post(create, typed(area=town.north.pk, maximum_projects="4"))
    budget = Budget.objects.get()
    assert response["Location"] == reverse("budgets:projects", args=[budget.pk])
    assert (budget.process, budget.amount, budget.area, budget.maximum_projects) == (
        process,
        Decimal(250000),
        town.north,
        4,
    )
    assert budget.knapsack and budget.rule == Rule.EQUAL_SHARES
    assert AuditEntry.objects.filter(action="budgets.created", actor=town.official).exists()
    shown = main_part(Client().get(process.get_absolute_url()))
    assert budget.get_absolute_url() in shown and create not in shown


def test_the_rules_change_until_the_first_ballot_then_only_the_titles(town):  # noqa: F811
    budget = a_budget(town.process((PhaseKind.SUPPORT, -1, 10)))
    staff = signed_in(town.official)
    edit = reverse("budgets:edit", args=[budget.pk])
    assert f'href="{edit}"' in main_part(staff.get(reverse("budgets:ballot", args=[budget.pk])))
    staff.post(edit, typed(amount="300000", rule=Rule.GREEDY))
    budget.refresh_from_db()
    assert (budget.amount, budget.rule) == (Decimal(300000), Rule.GREEDY)

    services.cast_ballot(budget, UserFactory(), ["lights"])
    page = main_part(staff.get(edit))
    assert "Ballots are cast already: only the titles can change." in page
    response = staff.post(edit, typed(title_en="Greener streets", amount="1", rule=Rule.GREEDY))
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.title_en == "Greener streets"
    assert (budget.amount, budget.rule) == (Decimal(300000), Rule.GREEDY)  # kept as promised
    try:
        services.change_budget(budget, by=town.official, amount=Decimal(1))
    except services.ValidationError as error:
        assert "only the budget's titles can change" in str(error)
    else:
        raise AssertionError("a rule changed after a ballot")


def test_nobody_but_the_process_managers_adds_or_changes_a_budget(town):  # noqa: F811
    budget = a_budget(town.process((PhaseKind.SUPPORT, -1, 10)))
    pages = [
        reverse("budgets:create", args=[budget.process.slug]),
        reverse("budgets:edit", args=[budget.pk]),
    ]
    for person in (town.verified, town.other_official):
        client = signed_in(person)
        for url in pages:
            assert client.get(url).status_code == 403
            assert client.post(url, typed(title_en="Taken")).status_code == 403
    for url in pages:
        assert Client().get(url).status_code == 302  # to sign in
    assert Budget.objects.count() == 1
    assert Budget.objects.get().title_en == "Safe streets"
