"""The Pabulib reader: every shared file, the ballot kinds, and files it must refuse."""

from collections import Counter
from decimal import Decimal

import pytest

from agora.budgets import pabulib
from tests.budgets.conftest import FILES, election

APPROVAL = """META
key;value
description;A small test
budget;1000
vote_type;approval
currency;EUR
PROJECTS
project_id;cost;votes;name;selected
a;600;2;"Park; with a semicolon";1
b;500;2;Library;0
VOTES
voter_id;vote
1;a,b
2;b,a,a
"""


def test_an_approval_file_keeps_every_column():
    parsed = pabulib.parse_text(APPROVAL)
    assert parsed.budget == Decimal(1000)
    assert (parsed.vote_type, parsed.currency) == ("approval", "EUR")
    assert [project.id for project in parsed.projects] == ["a", "b"]
    assert parsed.projects[0].name == "Park; with a semicolon"
    assert parsed.projects[0].fields["votes"] == "2"
    assert [project.selected for project in parsed.projects] == [True, False]
    # A project named twice on an approval ballot counts once.
    assert [ballot.projects for ballot in parsed.ballots] == [("a", "b"), ("b", "a")]


def test_cumulative_points_follow_the_projects_and_repeats_add_up():
    text = APPROVAL.replace("vote_type;approval", "vote_type;cumulative").replace(
        "voter_id;vote\n1;a,b\n2;b,a,a\n", "voter_id;vote;points\n1;a,b;3,7\n2;b,b;1,1\n"
    )
    ballots = pabulib.parse_text(text).ballots
    assert (ballots[0].projects, ballots[0].points) == (("a", "b"), (3, 7))
    assert (ballots[1].projects, ballots[1].points) == (("b",), (2,))


def test_ordinal_ballots_keep_their_order():
    text = APPROVAL.replace("vote_type;approval", "vote_type;ordinal").replace("2;b,a,a", "2;b")
    assert [ballot.projects for ballot in pabulib.parse_text(text).ballots] == [("a", "b"), ("b",)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("budget;1000", "budget;lots"), "the budget is not a number: 'lots'"),
        (("budget;1000\n", ""), "META has no budget"),
        (("vote_type;approval", "vote_type;scoring"), "vote_type 'scoring' is not one"),
        (("2;b,a,a", "2;b,z"), "line 14: a vote for unknown project z"),
        (("b;500;2", "b;-5;2"), "line 10: the cost of project b must be a number of zero or more"),
        (("b;500;2", "a;500;2"), "line 10: project a appears twice"),
        (("VOTES\n", ""), "the VOTES section is missing"),
        (("META\n", ""), "line 1: the file must start with a META section"),
        (("project_id;cost", "id;cost"), "the PROJECTS section has no project_id column"),
    ],
)
def test_a_file_agora_cannot_count_is_refused_with_the_reason(change, message):
    with pytest.raises(pabulib.PabulibError, match=message.replace("(", r"\(")):
        pabulib.parse_text(APPROVAL.replace(*change))


def test_cumulative_points_must_match_the_projects():
    text = APPROVAL.replace("vote_type;approval", "vote_type;cumulative").replace(
        "voter_id;vote\n1;a,b\n2;b,a,a\n", "voter_id;vote;points\n1;a,b;3\n"
    )
    with pytest.raises(pabulib.PabulibError, match="line 13: 1 points for 2 projects"):
        pabulib.parse_text(text)


def test_a_ranking_may_not_name_a_project_twice():
    text = APPROVAL.replace("vote_type;approval", "vote_type;ordinal")
    with pytest.raises(pabulib.PabulibError, match="line 14: a ranking names a project twice"):
        pabulib.parse_text(text)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(pabulib.PabulibError, match="cannot read .*nothing.pb"):
        pabulib.read(tmp_path / "nothing.pb")


KINDS = Counter(election(name).vote_type for name in FILES)


def test_the_shared_files_hold_the_three_kinds():
    assert KINDS == {"approval": 16, "cumulative": 8, "ordinal": 8}


@pytest.mark.parametrize("name", FILES)
def test_every_shared_file_reads_and_its_vote_counts_agree(name):
    """Each project's ballots, counted from VOTES, equal the file's own `votes` column, except
    in the Częstochowa files, whose comment says some ambiguous voters were removed."""
    parsed = election(name)
    assert parsed.budget > 0
    assert len(parsed.ballots) > 100
    counted = Counter(key for ballot in parsed.ballots for key in ballot.projects)
    published = {project.id: int(project.fields["votes"]) for project in parsed.projects}
    differing = {key for key, votes in published.items() if counted[key] != votes}
    if "czestochowa" in name:
        assert "removed" in parsed.meta["comments"]
        assert all(counted[key] <= published[key] for key in differing)
    else:
        assert differing == set()
    if parsed.vote_type == "approval":
        assert any(project.selected for project in parsed.projects)
