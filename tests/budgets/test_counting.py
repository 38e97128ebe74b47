"""The counting rules on elections small enough to work out by hand, and the reasons they give."""

import pytest

from agora.budgets import counting
from agora.budgets.counting import Item, Profile


def approval(costs: dict[str, float], ballots: list[str], budget: float) -> Profile:
    items = [Item(key, cost) for key, cost in costs.items()]
    return Profile("approval", items, [(tuple(ballot), None) for ballot in ballots], budget)


def verdicts(outcome) -> dict[str, counting.Verdict]:
    return {verdict.key: verdict for verdict in outcome.verdicts}


# Three voters with 100 each: all want A (200), only the third also wants B (100).
SMALL = approval({"A": 200, "B": 100}, ["A", "A", "AB"], 300)


def test_greedy_funds_by_votes_and_skips_what_does_not_fit():
    profile = approval({"A": 600, "B": 500, "C": 300, "D": 100}, ["AB", "AB", "AC", "AD"], 1000)
    outcome = counting.greedy(profile)
    # A (4 votes), B (2), then D and C (1 each; D costs less).
    assert outcome.winners == ["A", "D", "C"]
    by_key = verdicts(outcome)
    assert (by_key["B"].won, by_key["B"].reason) == (False, counting.DID_NOT_FIT)
    assert (by_key["B"].round, by_key["B"].left) == (2, 400)
    assert (by_key["D"].round, by_key["D"].left) == (3, 400)
    assert (by_key["C"].round, by_key["C"].left) == (4, 300)
    assert outcome.spent == 1000
    assert outcome.left == 0


def test_greedy_ties_go_to_more_votes_then_lower_cost_then_the_earlier_project():
    # Cumulative: X and Y both have 6 points, X from two voters, Y from one.
    items = [Item("X", 100), Item("Y", 100), Item("Z", 50), Item("W", 50)]
    ballots = [(("X", "Z", "W"), (3, 2, 2)), (("X", "Y"), (3, 6))]
    outcome = counting.greedy(Profile("cumulative", items, ballots, 150))
    # X (6 points, 2 votes) before Y (6 points, 1 vote); Z and W tie on points and votes and
    # cost: Z comes first in the list.
    assert [verdict.round for verdict in outcome.verdicts] == [1, 2, 3, 4]
    assert outcome.winners == ["X", "Z"]


def test_greedy_by_borda_score_counts_k_points_for_the_first_of_k():
    items = [Item("A", 10), Item("B", 10), Item("C", 10)]
    ballots = [(("A", "B", "C"), None), (("C", "B", "A"), None), (("B",), None)]
    profile = Profile("ordinal", items, ballots, 20)
    assert list(profile.scores) == [4, 5, 4]
    # B first; A and C tie on score and votes and cost: A is earlier in the list.
    assert counting.greedy(profile).winners == ["B", "A"]


def test_a_minimum_number_of_votes_leaves_a_project_out_under_every_rule():
    for rule in counting.RULES:
        outcome = counting.count(SMALL, rule, minimum_votes=2)
        assert "B" not in outcome.winners
        assert verdicts(outcome)["B"].reason == counting.BELOW_MINIMUM


def test_equal_shares_lets_supporters_pay_and_says_whose_shares_ran_out():
    outcome = counting.equal_shares(SMALL)
    assert outcome.share == 100
    assert outcome.winners == ["A"]
    by_key = verdicts(outcome)
    # A costs 200, shared by three voters at a third of a unit per unit of satisfaction.
    assert by_key["A"].price == pytest.approx(1 / 3)
    assert by_key["A"].payers == 3
    # The third voter has 33.33 left, and B costs 100.
    assert by_key["B"].reason == counting.SHARES_RAN_OUT
    assert by_key["B"].available == pytest.approx(100 / 3)
    assert by_key["B"].round == 2
    # Greedy funds B with the money the first two voters did not need.
    assert counting.greedy(SMALL).winners == ["A", "B"]


def test_add1_raises_the_shares_one_unit_at_a_time_until_nothing_more_fits():
    outcome = counting.equal_shares_add1(SMALL)
    # At 167 each, the third voter keeps 100.33 after paying 66.67 for A: enough for B.
    assert outcome.winners == ["A", "B"]
    assert outcome.share == pytest.approx(167)
    assert outcome.extra == {"starting_share": 100, "increments": 67}
    assert outcome.spent == 300


def test_add1_keeps_the_last_outcome_within_the_budget():
    # A and B each wanted by a different half; C by everyone. Raising the shares would buy a
    # second expensive project and overspend: Add1 stops before that.
    profile = approval({"A": 60, "B": 60, "C": 50}, ["AC", "BC"], 100)
    plain = counting.equal_shares(profile)
    completed = counting.equal_shares_add1(profile)
    assert plain.winners == ["C"]
    assert completed.winners == ["C"]
    assert completed.spent <= 100


def test_equal_shares_ties_go_to_more_votes_then_the_lower_cost():
    # With approval ballots each supporter pays cost / supporters: X and Y cost their two
    # supporters the same per unit, so the tie rule decides: same votes, Y costs less.
    profile = approval({"X": 150, "Y": 100}, ["XY", "XY"], 200)
    outcome = counting.equal_shares(profile)
    assert outcome.winners == ["Y"]
    assert verdicts(outcome)["X"].reason == counting.SHARES_RAN_OUT


def test_equal_shares_gives_the_last_of_a_ranking_no_satisfaction():
    """As pabutools' Additive_Borda_Sat: the r-th of k ranked projects satisfies k - r."""
    items = [Item("A", 10), Item("B", 10)]
    ballots = [(("A", "B"), None), (("B",), None)]
    profile = Profile("ordinal", items, ballots, 100)
    outcome = counting.equal_shares(profile)
    assert outcome.winners == ["A"]
    assert verdicts(outcome)["B"].reason == counting.NO_SUPPORT
    assert counting.greedy(profile).winners == ["B", "A"]


def test_cumulative_points_are_the_satisfaction():
    # Voter 1 puts 9 points on A, 1 on B; voter 2 all 10 on B. B is bought by both, paying by
    # points: B's price per point is 100/11; A is then out of reach of voter 1's 9.09 left.
    items = [Item("A", 100), Item("B", 100)]
    ballots = [(("A", "B"), (9, 1)), (("B",), (10,))]
    outcome = counting.equal_shares(Profile("cumulative", items, ballots, 200))
    assert outcome.winners == ["B"]
    assert verdicts(outcome)["B"].price == pytest.approx(100 / 11)
    assert verdicts(outcome)["A"].available == pytest.approx(100 - 100 / 11)


def test_what_costs_nothing_and_has_support_is_funded_first():
    items = [Item("A", 0), Item("B", 100)]
    profile = Profile("cumulative", items, [(("A", "B"), (1, 1))], 100)
    outcome = counting.equal_shares(profile)
    assert outcome.winners == ["A", "B"]
    assert verdicts(outcome)["A"].round == 0


def test_with_cost_as_satisfaction_a_free_project_satisfies_nobody():
    """As pabutools' Cost_Sat: an approved project that costs nothing gives no satisfaction,
    so Equal Shares leaves it out; greedy funds it."""
    profile = approval({"A": 0, "B": 100}, ["AB"], 100)
    assert counting.equal_shares(profile).winners == ["B"]
    assert verdicts(counting.equal_shares(profile))["A"].reason == counting.NO_SUPPORT
    assert counting.greedy(profile).winners == ["A", "B"]


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="unknown rule 'phragmen'"):
        counting.count(SMALL, "phragmen")


def test_no_ballots_fund_nothing():
    profile = approval({"A": 10}, [], 100)
    for rule in counting.RULES:
        outcome = counting.count(profile, rule)
        assert outcome.winners == []
        assert outcome.verdicts[0].reason == counting.NO_SUPPORT
