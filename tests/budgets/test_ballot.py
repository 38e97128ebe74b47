"""The ballot page: a plain form that works without JavaScript, with a "check my ballot" step
that shows the running total and keeps what was chosen; the budget's limits (knapsack,
numbers of projects, points, ranks) refused with a message that changes nothing; who may
vote (the process's rule and phase, the budget's area) asked of a second account; a ballot
changed and withdrawn until the vote closes; constant query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agora.budgets import services
from agora.budgets.models import Ballot, BallotKind, Budget, Project, Rule
from agora.processes.models import Participation, PhaseKind
from tests.helpers import assert_constant_queries, main_part, signed_in
from tests.processes.conftest import town  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

COSTS = {"lights": 90_000, "pavement": 120_000, "racks": 30_000, "humps": 25_000}


def a_budget(process, **fields) -> Budget:
    values = {
        "title_en": "Safe streets",
        "title_es": "Calles seguras",
        "amount": Decimal(200_000),
        "currency": "EUR",
        "ballot_kind": BallotKind.APPROVAL,
        "knapsack": True,
        "rule": Rule.EQUAL_SHARES,
    }
    values.update(fields)
    budget = Budget.objects.create(process=process, **values)
    for position, (key, cost) in enumerate(COSTS.items()):
        Project.objects.create(
            budget=budget, key=key, title=f"Project {key}", cost=cost, position=position
        )
    return budget


@pytest.fixture
def voting(town):  # noqa: F811
    process = town.process((PhaseKind.SUPPORT, -1, 10))
    return a_budget(process)


def url(budget) -> str:
    return reverse("budgets:ballot", kwargs={"pk": budget.pk})


def test_an_over_budget_ballot_is_refused_kept_then_fixed_and_cast(town, voting):  # noqa: F811
    client = signed_in(town.verified)
    checked = client.post(
        url(voting), {"project": ["lights", "pavement", "racks"], "action": "check"}
    )
    text = main_part(checked)
    assert (
        "Your projects cost 240,000 EUR, more than the budget of 200,000 EUR: take 40,000 EUR off."
        in text
    )  # noqa: E501
    assert text.count(" checked ") + text.count(" checked>") == 3  # what was chosen is kept
    assert '<span data-total="left">-40,000</span>' in text
    cast = client.post(url(voting), {"project": ["lights", "pavement", "racks"], "action": "cast"})
    assert cast.status_code == 200 and not Ballot.objects.exists()
    fixed = client.post(url(voting), {"project": ["lights", "racks"], "action": "check"})
    assert "Your ballot is within the limits" in main_part(fixed)
    assert '<span data-total="left">80,000</span>' in main_part(fixed)
    done = client.post(url(voting), {"project": ["racks", "lights"], "action": "cast"})
    assert done.status_code == 302
    assert Ballot.objects.get(voter=town.verified).projects == ["lights", "racks"]
    again = client.get(url(voting))
    assert "Your ballot, cast" in main_part(again) and "Cast my changed ballot" in main_part(again)
    client.post(url(voting), {"project": ["humps"], "action": "cast"})
    assert [b.projects for b in Ballot.objects.filter(voter=town.verified)] == [["humps"]]
    client.post(url(voting), {"action": "withdraw"})
    assert not Ballot.objects.exists()


def test_limits_of_each_kind_of_ballot(town):  # noqa: F811
    process = town.process((PhaseKind.SUPPORT, -1, 10))
    approval = a_budget(process, knapsack=True, minimum_share=50, minimum_projects=2,
                        maximum_projects=3)  # fmt: skip
    projects = list(approval.projects.all())
    check = services.check_ballot
    assert check(approval, projects, ["humps"]).errors == [
        "Choose at least 2 projects; you chose 1.",
        "Your projects cost 25,000 EUR; choose projects worth at least 100,000 EUR (50% of "
        "the budget).",
    ]
    assert check(approval, projects, ["lights", "racks"]).valid
    assert check(approval, projects, ["lights", "nowhere"]).errors[0] == (
        "This budget has no project nowhere."
    )
    assert "Choose at least one project." in check(approval, projects, []).errors
    points = a_budget(process, ballot_kind=BallotKind.CUMULATIVE, knapsack=False, points=10,
                      minimum_projects=3)  # fmt: skip
    projects = list(points.projects.all())
    assert check(points, projects, ["lights", "racks", "humps"], [5, 3, 2]).valid
    assert check(points, projects, ["lights", "racks", "humps"], [5, 3, 1]).errors == [
        "You gave 9 points; give exactly 10."
    ]
    assert check(points, projects, ["lights", "racks"], [5, 5]).errors == [
        "Choose at least 3 projects; you chose 2."
    ]
    ranked = a_budget(process, ballot_kind=BallotKind.ORDINAL, knapsack=False,
                      maximum_projects=2)  # fmt: skip
    projects = list(ranked.projects.all())
    assert check(ranked, projects, ["racks", "lights", "humps"]).errors == [
        "Choose at most 2 projects; you chose 3."
    ]
    assert check(ranked, projects, ["racks", "racks"]).errors == ["A project is chosen twice."]


def test_points_typed_wrong_keep_what_was_typed(town):  # noqa: F811
    process = town.process((PhaseKind.SUPPORT, -1, 10))
    budget = a_budget(process, ballot_kind=BallotKind.CUMULATIVE, knapsack=False, points=10)
    client = signed_in(town.verified)
    page = client.post(
        url(budget), {"points-lights": "7", "points-racks": "three", "action": "cast"}
    )
    text = main_part(page)
    assert "“three” for Project racks is not a whole number of zero or more." in text
    assert 'value="three"' in text and 'value="7"' in text
    assert not Ballot.objects.exists()
    client.post(url(budget), {"points-lights": "7", "points-racks": "3", "action": "cast"})
    ballot = Ballot.objects.get()
    assert (ballot.projects, ballot.points) == (["lights", "racks"], [7, 3])


def test_ranks_must_be_distinct(town):  # noqa: F811
    process = town.process((PhaseKind.SUPPORT, -1, 10))
    budget = a_budget(process, ballot_kind=BallotKind.ORDINAL, knapsack=False)
    client = signed_in(town.verified)
    page = client.post(url(budget), {"rank-lights": "1", "rank-racks": "1", "action": "cast"})
    assert "Two projects have rank 1; give each its own." in main_part(page)
    client.post(url(budget), {"rank-lights": "2", "rank-racks": "1", "action": "cast"})
    assert Ballot.objects.get().projects == ["racks", "lights"]


def test_who_may_vote(town):  # noqa: F811
    """The process admits verified residents of North; the budget only residents of The
    Pines inside it. A second account never sees or changes the first one's ballot."""
    process = town.process((PhaseKind.SUPPORT, -1, 10))
    city_wide = a_budget(process)
    pines = a_budget(process, area=town.north_quarter)
    services.cast_ballot(city_wide, town.verified, ["lights"])
    refusals = {
        town.anonymous: "Log in to take part.",
        town.signed_in: "Only verified residents can take part in this process.",
        town.outsider: "Only verified residents of the process’s areas can take part.",
        town.official: "The responsible office answers in this process",
    }
    for person, message in refusals.items():
        client = signed_in(person) if person.is_authenticated else signed_in_anonymous()
        page = client.get(url(city_wide))
        assert message in main_part(page)
        assert "Your ballot, cast" not in main_part(page)  # the second account sees no ballot
        refused = client.post(url(city_wide), {"project": ["racks"], "action": "cast"})
        assert refused.status_code == 302
    assert [b.projects for b in Ballot.objects.all()] == [["lights"]]
    page = signed_in(town.verified).get(url(pines))
    assert "Only residents of The Pines vote in this budget." in main_part(page)
    town.verified.home_area = "The Pines"
    town.verified.save(update_fields=["home_area"])
    signed_in(town.verified).post(url(pines), {"project": ["racks"], "action": "cast"})
    assert Ballot.objects.filter(budget=pines).count() == 1


def signed_in_anonymous():
    from django.test import Client

    return Client()


def test_voting_outside_the_phase_or_after_closing_changes_nothing(town):  # noqa: F811
    proposals = town.process((PhaseKind.PROPOSALS, -1, 10), (PhaseKind.SUPPORT, 10, 20))
    budget = a_budget(proposals)
    client = signed_in(town.verified)
    assert "The current phase of the process does not allow this." in main_part(
        client.get(url(budget))
    )
    with pytest.raises(services.BallotRefused):
        services.vote(budget, by=town.verified, projects=["racks"])
    budget.is_closed = True
    budget.save(update_fields=["is_closed"])
    assert client.post(url(budget), {"project": ["racks"], "action": "cast"}).status_code == 302
    assert not Ballot.objects.exists()


def test_the_ballot_page_has_constant_queries(town, voting):  # noqa: F811
    services.cast_ballot(voting, town.verified, ["lights"])
    voter = signed_in(town.verified)
    visitor = signed_in_anonymous()

    def grow():
        for position in range(10):
            Project.objects.create(
                budget=voting, key=f"more-{position}", title="More", cost=1, position=10 + position
            )
            services.cast_ballot(voting, signed_in_user(position), [f"more-{position}"])

    voter.get(url(voting))  # the directory's routing index, read once per process
    assert_constant_queries(
        {"voter": lambda: voter.get(url(voting)), "visitor": lambda: visitor.get(url(voting))},
        grow,
        expected={"voter": 10, "visitor": 4},
    )


def signed_in_user(number):
    from tests.factories import UserFactory

    return UserFactory()


def test_a_closed_budget_sends_to_its_result(client, voting):
    voting.is_closed = True
    voting.save(update_fields=["is_closed"])
    assert client.get(url(voting))["Location"] == voting.get_result_url()


def test_the_participation_rule_everyone_signed_in(town):  # noqa: F811
    process = town.process((PhaseKind.SUPPORT, -1, 10), participation=Participation.SIGNED_IN)
    budget = a_budget(process)
    signed_in(town.signed_in).post(url(budget), {"project": ["racks"], "action": "cast"})
    assert Ballot.objects.get().voter == town.signed_in
