"""The opinion-map math against Pol.is's own output on five real conversations.

Every figure here is asserted as measured; docs/opinion-maps.md lists them and says where
Pol.is's published output cannot be reproduced from the data it ships with, and why.
"""

from functools import cache

import numpy as np
import pytest

from agora.conversations import analysis
from tests.conversations.polis_fixtures import NAMES, load

SMALL = ["25ptpt-3gp-no-strict-with-meta", "50ptpt-3gp-strict-no-meta", "below-100-ptpts"]


@cache
def given_polis_groups(name):
    fixture = load(name)
    result = analysis.analyze(
        fixture.matrix,
        moderated_out=fixture.moderated_out,
        meta=fixture.meta,
        groups=fixture.groups(),
    )
    return fixture, result


@cache
def from_scratch(name):
    fixture = load(name)
    result = analysis.analyze(
        fixture.matrix, moderated_out=fixture.moderated_out, meta=fixture.meta
    )
    return fixture, result


def same_up_to_sign(mine, theirs, tolerance):
    mine, theirs = np.asarray(mine), np.asarray(theirs)
    return min(np.abs(mine - theirs).max(), np.abs(mine + theirs).max()) <= tolerance


@pytest.mark.parametrize("name", NAMES)
def test_pca_center_and_components_match_polis(name):
    fixture, result = given_polis_groups(name)
    pca = fixture.math["pca"]
    # Pol.is's engine stores agree as -1, so its center is ours negated.
    np.testing.assert_allclose(result.projection.center, -np.array(pca["center"]), atol=1e-12)
    for mine, theirs in zip(result.projection.components, pca["comps"], strict=True):
        assert same_up_to_sign(mine, theirs, 1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_statement_projection_and_extremity_match_polis(name):
    fixture, result = given_polis_groups(name)
    pca = fixture.math["pca"]
    np.testing.assert_allclose(result.projection.extremity, pca["comment-extremity"], atol=1e-12)
    for mine, theirs in zip(result.projection.statements, pca["comment-projection"], strict=True):
        assert same_up_to_sign(mine, theirs, 1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_participant_projections_match_polis_base_cluster_positions(name):
    """Pol.is publishes positions per base cluster: the mean of its members' projections
    (the participant's own position when, under 100 participants, each is alone)."""
    fixture, result = given_polis_groups(name)
    base = fixture.math["base-clusters"]
    row = {pid: index for index, pid in enumerate(fixture.matrix.participants.tolist())}
    positions = np.array(
        [
            result.projection.participants[[row[p] for p in members]].mean(axis=0)
            for members in base["members"]
        ]
    )
    assert same_up_to_sign(positions[:, 0], base["x"], 1e-12)
    assert same_up_to_sign(positions[:, 1], base["y"], 1e-12)


@pytest.mark.parametrize(
    "name",
    [
        *[n for n in NAMES if n != "above-100-ptpts"],
        pytest.param(
            "above-100-ptpts",
            marks=pytest.mark.xfail(
                strict=True,
                reason="Pol.is counts 31 participants with 2 to 6 votes in the conversation "
                "whom no replay of the exported votes admits (see docs/opinion-maps.md)",
            ),
        ),
    ],
)
def test_participants_in_the_conversation_match_polis_exactly(name):
    fixture, result = given_polis_groups(name)
    mine = set(fixture.matrix.participants[result.in_conversation].tolist())
    assert mine == set(fixture.math["in-conv"])


def test_above_100_in_conversation_misses_only_polis_extra_low_voters():
    fixture, result = given_polis_groups("above-100-ptpts")
    mine = set(fixture.matrix.participants[result.in_conversation].tolist())
    theirs = set(fixture.math["in-conv"])
    assert mine < theirs
    assert len(theirs - mine) == 31


@pytest.mark.parametrize("name", NAMES)
def test_representative_statements_match_polis(name):
    fixture, result = given_polis_groups(name)
    for group, mine in zip(fixture.math["group-clusters"], result.representative, strict=True):
        theirs = fixture.math["repness"][str(group["id"])]
        assert [e["tid"] for e in mine] == [e["tid"] for e in theirs]
        for ours, polis in zip(mine, theirs, strict=True):
            assert ours.keys() == polis.keys()
            for key, value in polis.items():
                if key == "repness-test":
                    # Pol.is publishes this one in single precision.
                    assert np.float32(ours[key]) == np.float32(value)
                elif isinstance(value, float):
                    assert ours[key] == pytest.approx(value, abs=1e-9)
                else:
                    assert ours[key] == value


@pytest.mark.parametrize("name", NAMES)
def test_consensus_matches_polis(name):
    fixture, result = given_polis_groups(name)
    for side in ("agree", "disagree"):
        theirs = fixture.math["consensus"][side]
        assert [e["tid"] for e in result.consensus[side]] == [e["tid"] for e in theirs]
        for ours, polis in zip(result.consensus[side], theirs, strict=True):
            for key, value in polis.items():
                assert ours[key] == pytest.approx(value, abs=1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_group_aware_consensus_matches_polis(name):
    fixture, result = given_polis_groups(name)
    theirs = fixture.math["group-aware-consensus"]
    statements = fixture.matrix.statements.tolist()
    assert set(map(int, theirs)) == set(statements)
    for statement, value in zip(statements, result.group_aware_consensus, strict=True):
        assert value == pytest.approx(theirs[str(statement)], abs=1e-9)


@pytest.mark.parametrize(
    "name",
    [
        *[n for n in NAMES if n != "50ptpt-3gp-strict-no-meta"],
        pytest.param(
            "50ptpt-3gp-strict-no-meta",
            marks=pytest.mark.xfail(
                strict=True,
                reason="this fixture gives every statement 49 (the meta priority), which "
                "Pol.is's published formula cannot produce for non-meta statements",
            ),
        ),
    ],
)
def test_comment_priorities_match_polis(name):
    fixture, result = given_polis_groups(name)
    theirs = fixture.math["comment-priorities"]
    for statement, value in zip(fixture.matrix.statements.tolist(), result.priorities, strict=True):
        assert value == pytest.approx(theirs[str(statement)], abs=1e-9)


def polis_agreement(name):
    fixture, result = from_scratch(name)
    theirs = {pid: group for group, members in enumerate(fixture.groups()) for pid in members}
    ours = dict(
        zip(fixture.matrix.participants.tolist(), result.group_labels.tolist(), strict=True)
    )
    common = [pid for pid in theirs if ours[pid] >= 0]
    return analysis.adjusted_rand_index([theirs[p] for p in common], [ours[p] for p in common])


#: Measured adjusted Rand index of Agora's own groups against Pol.is's, per fixture.
MEASURED_ARI = {
    "150ptpt-3gp-no-strict-no-meta": 0.9285,
    "25ptpt-3gp-no-strict-with-meta": 0.6330,
    "50ptpt-3gp-strict-no-meta": 1.0,
    "above-100-ptpts": 0.8950,
    "below-100-ptpts": 1.0,
}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=pytest.mark.xfail(
                strict=True,
                reason="Pol.is's 3 groups here come from its clustering history; started "
                "from scratch its own rule finds another split (ARI 0.633)",
            ),
        )
        if name == "25ptpt-3gp-no-strict-with-meta"
        else name
        for name in SMALL
    ],
)
def test_own_groups_agree_with_polis_under_100_participants(name):
    assert polis_agreement(name) >= 0.9


@pytest.mark.parametrize("name", NAMES)
def test_own_groups_agreement_is_as_reported(name):
    assert polis_agreement(name) == pytest.approx(MEASURED_ARI[name], abs=5e-5)


def test_adjusted_rand_index_is_one_for_relabelled_partitions_and_low_for_unrelated():
    assert analysis.adjusted_rand_index([0, 0, 1, 1, 2], [5, 5, 3, 3, 9]) == pytest.approx(1.0)
    assert analysis.adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)


def test_latest_vote_counts_and_missing_cells_stay_empty():
    matrix = analysis.build_vote_matrix(
        ["a", "a", "b"], [1, 1, 2], [1, -1, 0], timestamps=[20, 10, 5]
    )
    assert matrix.participants.tolist() == ["a", "b"]
    assert matrix.values[0, 0] == 1  # the vote at time 20 is the latest
    assert np.isnan(matrix.values[0, 1])
    assert matrix.values[1, 1] == 0


def test_a_tiny_conversation_still_gives_a_map():
    matrix = analysis.build_vote_matrix([1, 2, 3], [1, 1, 1], [1, 1, -1])
    result = analysis.analyze(matrix)
    assert result.in_conversation.all()
    assert len(result.group_centers) >= 1


def test_large_matrices_get_the_same_components_by_subspace_iteration():
    generator = np.random.default_rng(3)
    values = generator.integers(-1, 2, (900, 400)).astype(float)
    values[generator.random(values.shape) < 0.7] = np.nan
    # two opinion camps, so the leading directions stand apart as in real conversations
    values[:450, :50] = 1.0
    values[450:, :50] = -1.0
    values[:300, 50:90] = -1.0
    _, centred = analysis.centre(values, ~np.isnan(values), np.zeros(400, dtype=bool))
    assert centred.shape[1] > analysis.DIRECT_EIGEN_LIMIT
    iterated = analysis.principal_components(centred)
    _, exact = np.linalg.eigh(centred.T @ centred)
    for mine, reference in zip(iterated, exact[:, ::-1][:, :2].T, strict=True):
        assert same_up_to_sign(mine, reference, 1e-9)


@pytest.mark.parametrize("seed", range(12))
def test_odd_little_conversations_never_break_the_pipeline(seed):
    generator = np.random.default_rng(seed)
    people, statements = generator.integers(1, 30), generator.integers(1, 12)
    votes = generator.integers(0, people * statements + 1)
    matrix = analysis.build_vote_matrix(
        generator.integers(0, people, votes),
        generator.integers(0, statements, votes),
        generator.integers(-1, 2, votes),
        generator.integers(0, 1000, votes),
    )
    removed = list(matrix.statements[: generator.integers(0, 2)])
    result = analysis.analyze(matrix, moderated_out=removed)
    assert np.isfinite(result.projection.participants).all()
    assert len(result.group_centers) <= analysis.MAX_GROUPS
    assert (result.group_labels[result.in_conversation] >= 0).all()
    assert np.isfinite(result.priorities).all()
