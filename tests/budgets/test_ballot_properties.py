"""Ballots stay right under any sequence of casts, changes, withdrawals and refused attempts by
a handful of residents (hypothesis), for each kind of ballot: a knapsack approval ballot, an
approval ballot naming between two and three projects, ten points over at least two projects,
and a ranking of up to three. After each step the stored ballots are exactly each person's
last valid ballot (one per person at most); a refused attempt says why and changes nothing;
and the count equals a recount done here from the stored ballots.

The refusals come from the service (`services.vote`, `services.withdraw_ballot`), which raises
`BallotRefused` (a code and the messages), not Django's ValidationError. Whether a ballot is
valid is decided here, independently of `services.check_ballot`, from the budget's limits as
docs/apps/budgets.md states them."""

from decimal import Decimal

from django.http import QueryDict
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from agora.accounts.models import Verification
from agora.budgets import ballots, counting, services
from agora.budgets.models import Ballot, BallotKind, Budget, Project, Rule
from agora.processes.models import PhaseKind
from tests.factories import UserFactory
from tests.processes.conftest import build_town

COSTS = {
    "lights": 90_000,
    "pavement": 120_000,
    "racks": 30_000,
    "humps": 25_000,
    "benches": 60_000,
    "trees": 45_000,
}
KEYS = list(COSTS)
AMOUNT = 200_000
POINTS = 10
#: Residents of The Pines, the budgets' area, then one of North outside it.
NEIGHBOURS = 3
PEOPLE = NEIGHBOURS + 1

LIMITS = {
    "knapsack": {"ballot_kind": BallotKind.APPROVAL, "knapsack": True, "minimum_share": 20},
    "approval": {"ballot_kind": BallotKind.APPROVAL, "minimum_projects": 2, "maximum_projects": 3},
    "cumulative": {"ballot_kind": BallotKind.CUMULATIVE, "points": POINTS, "minimum_projects": 2},
    "ranked": {"ballot_kind": BallotKind.ORDINAL, "maximum_projects": 3},
}


def a_budget(process, area, limits: dict) -> Budget:
    budget = Budget.objects.create(
        process=process,
        title_en="Safe streets",
        amount=Decimal(AMOUNT),
        currency="EUR",
        rule=Rule.GREEDY,
        area=area,
        **limits,
    )
    Project.objects.bulk_create(
        Project(budget=budget, key=key, title=key.title(), cost=cost, position=position)
        for position, (key, cost) in enumerate(COSTS.items())
    )
    return budget


# What a ballot should be, decided here.


def expected(limits: dict, projects: list[str], points: list[int] | None):
    """The ballot as it should be stored, or None when the budget's limits refuse it."""
    kind = limits["ballot_kind"]
    if not projects or any(key not in COSTS for key in projects):
        return None
    if len(set(projects)) != len(projects):
        return None
    if kind == BallotKind.CUMULATIVE:
        if points is None or len(points) != len(projects) or min(points) < 0:
            return None
        pairs = [(key, value) for key, value in zip(projects, points, strict=True) if value]
        if sum(value for _key, value in pairs) != POINTS:
            return None
        stored = ([key for key, _value in pairs], [value for _key, value in pairs])
    elif kind == BallotKind.APPROVAL:
        stored = ([key for key in KEYS if key in projects], None)
    else:
        stored = (list(projects), None)
    count = len(stored[0])
    if count < limits.get("minimum_projects", 0):
        return None
    if limits.get("maximum_projects") and count > limits["maximum_projects"]:
        return None
    if limits.get("knapsack"):
        total = sum(COSTS[key] for key in stored[0])
        if total > AMOUNT or total * 100 < AMOUNT * limits.get("minimum_share", 0):
            return None
    return stored


def greedy_recount(kind: str, stored: list[tuple[list[str], list[int] | None]]) -> dict:
    """Greedy by hand: score (approvals, points, or Borda: the first of k ranked gets k),
    highest first; ties by more votes, the lower cost, the earlier place; each project funded
    if it fits what is left."""
    votes, score = dict.fromkeys(KEYS, 0), dict.fromkeys(KEYS, 0)
    for projects, points in stored:
        for place, key in enumerate(projects):
            votes[key] += 1
            if kind == BallotKind.APPROVAL:
                score[key] += 1
            elif kind == BallotKind.CUMULATIVE:
                score[key] += points[place]
            else:
                score[key] += len(projects) - place
    turns = sorted(
        (key for key in KEYS if score[key] > 0),
        key=lambda key: (-score[key], -votes[key], COSTS[key], KEYS.index(key)),
    )
    left, winners = AMOUNT, []
    for key in turns:
        if COSTS[key] <= left:
            winners.append(key)
            left -= COSTS[key]
    return {"winners": winners, "votes": votes, "score": score, "spent": AMOUNT - left}


# What the residents try.

anything = st.lists(st.sampled_from([*KEYS, "nowhere"]), max_size=5)
some_projects = st.lists(st.sampled_from(KEYS), min_size=1, max_size=4, unique=True)


@st.composite
def ten_points(draw):
    """Mostly ten points over distinct projects (some given none); some that do not add up,
    or go to a project twice or to one the budget does not have."""
    way = draw(st.integers(0, 3))
    if way == 0:
        return draw(anything), draw(st.lists(st.integers(-1, POINTS), max_size=6))
    projects = draw(some_projects)
    cuts = st.integers(1, POINTS - 1)
    cuts = draw(st.lists(cuts, min_size=len(projects) - 1, max_size=len(projects) - 1,
                         unique=way != 1))  # fmt: skip
    bounds = [0, *sorted(cuts), POINTS]
    return projects, [high - low for low, high in zip(bounds, bounds[1:], strict=False)]


def typed_ranks():
    """A rank typed in each box of the ranking form (0: left empty), repeats and gaps too."""
    return st.lists(st.integers(0, 4), min_size=len(KEYS), max_size=len(KEYS))


def steps(kind: str):
    if kind == "cumulative":
        ballot = ten_points()
    else:
        ballot = st.tuples(st.one_of(some_projects, some_projects, anything), st.none())
    acts = [
        st.tuples(st.just("vote"), ballot),
        st.tuples(st.just("vote"), ballot),
        st.tuples(st.just("withdraw"), st.none()),
        st.tuples(st.just("too early"), ballot),
    ]
    if kind == "ranked":
        acts.append(st.tuples(st.just("ranks"), typed_ranks()))
    return st.lists(st.tuples(st.integers(0, PEOPLE - 1), st.one_of(acts)), min_size=1, max_size=10)


class BallotPropertyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        town = build_town()
        voting = town.process((PhaseKind.SUPPORT, -1, 10))
        later = town.process((PhaseKind.PROPOSALS, -1, 10), (PhaseKind.SUPPORT, 10, 20))
        pines = town.north_quarter
        cls.budgets = {kind: a_budget(voting, pines, limits) for kind, limits in LIMITS.items()}
        cls.not_yet = {kind: a_budget(later, pines, limits) for kind, limits in LIMITS.items()}
        verified = {"verification": Verification.VERIFIED_RESIDENT}
        cls.people = [
            UserFactory(display_name=f"Neighbour {number}", home_area="The Pines", **verified)
            for number in range(NEIGHBOURS)
        ] + [UserFactory(display_name="Nora North", home_area="North", **verified)]

    def stored(self) -> dict:
        """Every ballot of the budgets in play: (budget, voter) -> what it holds and when."""
        rows = Ballot.objects.filter(budget__in=self.in_play)
        return {
            (budget, voter): (projects, points, cast_at)
            for budget, voter, projects, points, cast_at in rows.values_list(
                "budget", "voter", "projects", "points", "cast_at"
            )
        }

    def refused(self, attempt, *args, **kwargs) -> None:
        before = self.stored()
        with self.assertRaises(services.BallotRefused) as raised:
            attempt(*args, **kwargs)
        assert raised.exception.messages and all(raised.exception.messages)
        assert self.stored() == before

    def run_steps(self, kind: str, actions) -> None:
        # As the ballot page and the API read it: the process's phases and areas prefetched.
        for_voting = Budget.objects.select_related("process", "area").prefetch_related(
            "process__phases", "process__areas"
        )
        budget = for_voting.get(pk=self.budgets[kind].pk)
        not_yet = for_voting.get(pk=self.not_yet[kind].pk)
        limits = LIMITS[kind]
        self.in_play = [budget.pk, not_yet.pk]
        people = self.people
        last_valid: dict[int, tuple] = {}
        for who, (verb, what) in actions:
            person = people[who]
            outside = who >= NEIGHBOURS
            if verb == "ranks":
                data = QueryDict(mutable=True)
                for key, rank in zip(KEYS, what, strict=True):
                    data[f"rank-{key}"] = str(rank) if rank else ""
                entered = ballots.read_form(budget, list(budget.projects.all()), data)
                ranks = sorted(rank for rank in what if rank)
                assert bool(entered.errors) == (ranks != list(range(1, len(ranks) + 1)))
                if entered.errors:
                    continue  # the page shows them and casts nothing
                what = (entered.chosen, None)
            if verb == "withdraw":
                if outside:
                    self.refused(services.withdraw_ballot, budget, by=person)
                else:
                    had = services.withdraw_ballot(budget, by=person)
                    assert had == (last_valid.pop(person.pk, None) is not None)
                continue
            projects, points = what
            if verb == "too early":
                self.refused(services.vote, not_yet, by=person, projects=projects, points=points)
                continue
            should = None if outside else expected(limits, projects, points)
            event("refused" if should is None else "stored")
            if should is None:
                self.refused(services.vote, budget, by=person, projects=projects, points=points)
            else:
                ballot = services.vote(budget, by=person, projects=projects, points=points)
                assert (ballot.projects, ballot.points) == should
                last_valid[person.pk] = should
            now = {voter: held[:2] for (_b, voter), held in self.stored().items()}
            assert now == last_valid  # one per person: the last valid one, nothing else
        assert not Ballot.objects.filter(budget=not_yet).exists()
        assert Ballot.objects.filter(budget=budget).count() == len(last_valid)

        recount = greedy_recount(limits["ballot_kind"], list(last_valid.values()))
        outcome = services.count_budget(budget)
        assert outcome.winners == recount["winners"]
        assert outcome.spent == recount["spent"]
        for verdict in outcome.verdicts:
            assert verdict.votes == recount["votes"][verdict.key]
            assert verdict.score == recount["score"][verdict.key]
        shares = counting.count(services.profile_of_budget(budget), "equal-shares")
        assert shares.spent <= AMOUNT * (1 + counting.TOLERANCE)
        assert set(shares.winners) <= {key for key, votes in recount["votes"].items() if votes}

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps("knapsack"))
    def test_knapsack_approval_ballots(self, actions):
        self.run_steps("knapsack", actions)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps("approval"))
    def test_approval_ballots_between_two_and_three_projects(self, actions):
        self.run_steps("approval", actions)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps("cumulative"))
    def test_ten_points_over_at_least_two_projects(self, actions):
        self.run_steps("cumulative", actions)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps("ranked"))
    def test_rankings_of_up_to_three(self, actions):
        self.run_steps("ranked", actions)
