"""Counting a participatory budget, in pure Python with numpy, without Django.

Three rules (docs/apps/budgets.md states them for residents):

- `greedy`: projects in order of score (approvals, points, or the Borda score of rankings),
  each funded if its cost fits what is left, otherwise skipped;
- `equal-shares`: the Method of Equal Shares without completion: the budget is split equally
  between the voters; a project is bought by its supporters, each paying in proportion to the
  satisfaction it gives them (its cost for approval ballots, the points for cumulative ones,
  the Borda score for rankings) but never more than they have left; each round buys the
  project whose supporters pay the least per unit of satisfaction;
- `equal-shares-add1`: the same, with each voter's share raised by one unit of currency at a
  time as long as the outcome stays within the budget and leaves money that could fund a
  further project (pabutools' `voter_budget_increment=1`).

Ties are broken by one rule, published in advance: more votes, then the lower cost, then the
project's place in the list (the file's order). For `greedy` the score comes first.

A count returns an `Outcome`: the winners in the order they were funded and, for every
project, a `Verdict` with the reason in data (`REASONS`) that a page turns into words.

Money is counted in binary floating point (64 bits). Equal Shares compares the price per unit
of satisfaction of two projects with a relative tolerance of 1e-9: closer than that, they are
tied and the tie rule decides. The rule's reference implementation, pabutools, counts with
exact fractions; on the 32 Pabulib elections the winners are the same (tests/budgets).
"""

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

RULES = ("greedy", "equal-shares", "equal-shares-add1")
BALLOT_KINDS = ("approval", "cumulative", "ordinal")
TOLERANCE = 1e-9

# Why a project won or lost.
FUNDED = "funded"  # won: bought in round `round`
DID_NOT_FIT = "did_not_fit"  # greedy: its cost was more than the `left` when its turn came
SHARES_RAN_OUT = "shares_ran_out"  # equal shares: its supporters had only `available` left
BELOW_MINIMUM = "below_minimum"  # fewer votes than the budget's minimum
NO_SUPPORT = "no_support"  # no voter gave it a vote that counts under the rule
REASONS = (FUNDED, DID_NOT_FIT, SHARES_RAN_OUT, BELOW_MINIMUM, NO_SUPPORT)


@dataclass(frozen=True)
class Item:
    """A project as the count sees it: its key (the id a file or page uses) and cost."""

    key: str
    cost: float


@dataclass
class Verdict:
    key: str
    cost: float
    votes: int  # how many ballots name it
    score: float  # approvals, points or Borda score (greedy's order)
    won: bool
    reason: str
    round: int | None = None  # the round it was bought in, or in which it was dropped
    left: float | None = None  # greedy: the money left when its turn came
    available: float | None = None  # equal shares: what its supporters had left, at the end
    price: float | None = None  # equal shares: what a supporter paid per unit of satisfaction
    payers: int | None = None  # equal shares: supporters who paid something


@dataclass
class Outcome:
    rule: str
    budget: float
    winners: list[str]
    spent: float
    verdicts: list[Verdict]
    share: float | None = None  # equal shares: each voter's starting share
    rounds: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def left(self) -> float:
        return self.budget - self.spent

    def as_dict(self) -> dict:
        data = asdict(self)
        data["projects"] = data.pop("verdicts")
        data["left"] = self.left
        return data


class Profile:
    """The ballots turned into, per project, the voters who count for it and what it gives
    each of them. Built once, counted by any rule."""

    def __init__(self, kind: str, items: Sequence[Item], ballots: Iterable, budget):
        if kind not in BALLOT_KINDS:
            raise ValueError(f"unknown ballot kind {kind!r}")
        self.kind = kind
        self.items = list(items)
        self.budget = float(budget)
        self.costs = np.array([float(item.cost) for item in self.items], dtype=np.float64)
        index = {item.key: position for position, item in enumerate(self.items)}
        voters: list[int] = []
        projects: list[int] = []
        values: list[float] = []  # points (cumulative) or position from the top (ordinal)
        lengths: list[int] = []  # ordinal: the length of the voter's ranking
        count = 0
        for count, ballot in enumerate(ballots, start=1):
            chosen, points = ballot
            positions = [index[key] for key in chosen]
            voters.extend([count - 1] * len(positions))
            projects.extend(positions)
            if kind == "cumulative":
                values.extend(points)
            elif kind == "ordinal":
                values.extend(range(len(positions)))
                lengths.extend([len(positions)] * len(positions))
        self.voters = count
        voter = np.array(voters, dtype=np.int64)
        project = np.array(projects, dtype=np.int64)
        if kind == "approval":
            vote_weight = np.ones(len(voter))
            # Approval: each supporter's satisfaction is the project's cost.
            satisfaction = self.costs[project] if len(project) else np.zeros(0)
        elif kind == "cumulative":
            vote_weight = np.array(values, dtype=np.float64)
            satisfaction = vote_weight
        else:
            position = np.array(values, dtype=np.float64)
            length = np.array(lengths, dtype=np.float64)
            # Greedy's Borda score, as Kraków publishes it: the first of k gets k points, the
            # last 1. Equal Shares' satisfaction, as pabutools' Additive_Borda_Sat defines it:
            # one less (k - 1 down to 0), so the last-ranked project brings no satisfaction.
            vote_weight = length - position
            satisfaction = length - position - 1
        order = np.argsort(project, kind="stable")
        bounds = np.searchsorted(project[order], np.arange(len(self.items) + 1))
        self.votes = np.diff(bounds)
        self.scores = np.bincount(project, weights=vote_weight, minlength=len(self.items))
        voter, satisfaction = voter[order], np.asarray(satisfaction, dtype=np.float64)[order]
        self.supporters: list[np.ndarray] = []
        self.satisfaction: list[np.ndarray] = []
        for position in range(len(self.items)):
            start, stop = bounds[position], bounds[position + 1]
            keep = satisfaction[start:stop] > 0
            self.supporters.append(voter[start:stop][keep])
            self.satisfaction.append(satisfaction[start:stop][keep])

    def tie_key(self, position: int) -> tuple:
        """The published tie rule: more votes, then the lower cost, then the earlier place."""
        return (-int(self.votes[position]), self.costs[position], position)

    def verdict(self, position: int, **fields) -> Verdict:
        item = self.items[position]
        return Verdict(
            key=item.key,
            cost=float(item.cost),
            votes=int(self.votes[position]),
            score=float(self.scores[position]),
            **fields,
        )


def profile_of_election(election) -> Profile:
    """A Profile from a parsed Pabulib file (`pabulib.Election`)."""
    items = [Item(project.id, float(project.cost)) for project in election.projects]
    ballots = ((ballot.projects, ballot.points) for ballot in election.ballots)
    return Profile(election.vote_type, items, ballots, election.budget)


def count(profile: Profile, rule: str, *, minimum_votes: int = 0) -> Outcome:
    if rule == "greedy":
        return greedy(profile, minimum_votes=minimum_votes)
    if rule == "equal-shares":
        return equal_shares(profile, minimum_votes=minimum_votes)
    if rule == "equal-shares-add1":
        return equal_shares_add1(profile, minimum_votes=minimum_votes)
    raise ValueError(f"unknown rule {rule!r}; the rules are {', '.join(RULES)}")


def _excluded(profile: Profile, position: int, minimum_votes: int) -> Verdict | None:
    if profile.votes[position] < minimum_votes:
        return profile.verdict(position, won=False, reason=BELOW_MINIMUM)
    return None


def greedy(profile: Profile, *, minimum_votes: int = 0) -> Outcome:
    """Fund projects by score, highest first, skipping those that no longer fit."""
    verdicts: dict[int, Verdict] = {}
    candidates = []
    for position in range(len(profile.items)):
        verdict = _excluded(profile, position, minimum_votes)
        if verdict is None and profile.scores[position] <= 0:
            verdict = profile.verdict(position, won=False, reason=NO_SUPPORT)
        if verdict is None:
            candidates.append(position)
        else:
            verdicts[position] = verdict
    candidates.sort(key=lambda position: (-profile.scores[position], *profile.tie_key(position)))
    left, winners = profile.budget, []
    for turn, position in enumerate(candidates, start=1):
        cost = float(profile.costs[position])
        fits = bool(cost <= left * (1 + TOLERANCE))
        verdicts[position] = profile.verdict(
            position,
            won=fits,
            reason=FUNDED if fits else DID_NOT_FIT,
            round=turn,
            left=left,
        )
        if fits:
            left -= cost
            winners.append(profile.items[position].key)
    return Outcome(
        rule="greedy",
        budget=profile.budget,
        winners=winners,
        spent=profile.budget - left,
        verdicts=[verdicts[position] for position in range(len(profile.items))],
        rounds=len(candidates),
    )


def _affordability(cost: float, shares: np.ndarray, satisfaction: np.ndarray) -> float:
    """The least price per unit of satisfaction at which these supporters can buy the
    project, each paying price × satisfaction or, if less, all they have left."""
    ratio = shares / satisfaction
    order = np.argsort(ratio, kind="stable")
    ratio, shares, satisfaction = ratio[order], shares[order], satisfaction[order]
    paid_in_full = np.concatenate(([0.0], np.cumsum(shares)[:-1]))
    satisfaction_after = satisfaction[::-1].cumsum()[::-1]
    price = (cost - paid_in_full) / satisfaction_after
    fits = np.flatnonzero(price <= ratio * (1 + TOLERANCE))
    return float(price[fits[0]]) if len(fits) else float("inf")


def _equal_shares_run(profile: Profile, share: float, minimum_votes: int):
    """One run of the Method of Equal Shares at this starting share per voter."""
    shares = np.full(profile.voters, share, dtype=np.float64)
    verdicts: dict[int, Verdict] = {}
    remaining: dict[int, float] = {}  # candidate -> a lower bound on its price
    winners: list[int] = []
    for position in range(len(profile.items)):
        verdict = _excluded(profile, position, minimum_votes)
        total = profile.satisfaction[position].sum()
        if verdict is None and total <= 0:
            verdict = profile.verdict(position, won=False, reason=NO_SUPPORT)
        if verdict is None and profile.costs[position] <= 0:
            # What costs nothing and has support is bought first (as pabutools does).
            verdict = profile.verdict(position, won=True, reason=FUNDED, round=0, price=0.0)
            winners.append(position)
        if verdict is None:
            remaining[position] = profile.costs[position] / total
        else:
            verdicts[position] = verdict
    round_number = 0
    while remaining:
        round_number += 1
        best, tied = float("inf"), []
        # Prices only rise from round to round (shares only shrink), so last round's price is
        # a lower bound: once it exceeds the best found, no later project can beat it.
        for position in sorted(remaining, key=remaining.__getitem__):
            supporters = profile.supporters[position]
            available = float(shares[supporters].sum())
            cost = float(profile.costs[position])
            if available < cost * (1 - TOLERANCE):
                del remaining[position]
                verdicts[position] = profile.verdict(
                    position,
                    won=False,
                    reason=SHARES_RAN_OUT,
                    round=round_number,
                    available=available,
                )
                continue
            if remaining[position] > best * (1 + TOLERANCE):
                break
            price = _affordability(cost, shares[supporters], profile.satisfaction[position])
            remaining[position] = price
            if price < best * (1 - TOLERANCE):
                best, tied = price, [position]
            elif price <= best * (1 + TOLERANCE):
                tied.append(position)
        if not tied:
            break
        chosen = min(tied, key=profile.tie_key)
        price = remaining.pop(chosen)
        supporters = profile.supporters[chosen]
        payment = np.minimum(shares[supporters], price * profile.satisfaction[chosen])
        shares[supporters] -= payment
        winners.append(chosen)
        verdicts[chosen] = profile.verdict(
            chosen,
            won=True,
            reason=FUNDED,
            round=round_number,
            price=price,
            payers=int(np.count_nonzero(payment > 0)),
        )
    return winners, verdicts, round_number


def _outcome(profile, rule, share, winners, verdicts, rounds, **extra) -> Outcome:
    return Outcome(
        rule=rule,
        budget=profile.budget,
        winners=[profile.items[position].key for position in winners],
        spent=float(sum(profile.costs[position] for position in winners)),
        verdicts=[verdicts[position] for position in range(len(profile.items))],
        share=share,
        rounds=rounds,
        extra=extra,
    )


def equal_shares(profile: Profile, *, minimum_votes: int = 0) -> Outcome:
    """The Method of Equal Shares without completion."""
    share = profile.budget / profile.voters if profile.voters else 0.0
    winners, verdicts, rounds = _equal_shares_run(profile, share, minimum_votes)
    return _outcome(profile, "equal-shares", share, winners, verdicts, rounds)


def equal_shares_add1(profile: Profile, *, minimum_votes: int = 0) -> Outcome:
    """Equal Shares with the Add1 completion, as pabutools' `voter_budget_increment=1`: run
    the method at a share of budget/voters; while its outcome leaves money for some project
    it did not fund (among those with support that are not excluded), raise every voter's
    share by one unit of currency and run again. Stop at the first outcome that leaves no
    such money, or, when an outcome costs more than the budget, keep the one before it."""
    if not profile.voters:
        return equal_shares(profile, minimum_votes=minimum_votes)
    start = profile.budget / profile.voters
    share = start
    previous = None
    steps = 0
    while True:
        winners, verdicts, rounds = _equal_shares_run(profile, share, minimum_votes)
        spent = float(sum(profile.costs[position] for position in winners))
        if spent > profile.budget * (1 + TOLERANCE):
            if previous is None:  # cannot happen at the starting share; kept for safety
                previous = (share, winners, verdicts, rounds)
            break
        previous = (share, winners, verdicts, rounds)
        left = profile.budget - spent
        chosen = set(winners)
        could_fit = any(
            position not in chosen
            and verdicts[position].reason not in (BELOW_MINIMUM, NO_SUPPORT)
            and profile.costs[position] <= left * (1 + TOLERANCE)
            for position in range(len(profile.items))
        )
        if not could_fit:
            break
        share += 1.0
        steps += 1
    share, winners, verdicts, rounds = previous
    return _outcome(
        profile,
        "equal-shares-add1",
        share,
        winners,
        verdicts,
        rounds,
        starting_share=start,
        increments=int(round(share - start)),
    )
