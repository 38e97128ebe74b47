"""Folding new votes into a running map gives what a full recomputation gives."""

import numpy as np
import pytest

from agora.conversations import analysis
from agora.conversations.incremental import RunningAnalysis, UnknownCell
from tests.conversations.polis_fixtures import load

NAME = "150ptpt-3gp-no-strict-no-meta"
REMOVED = [5, 7]


def same_up_to_sign(mine, theirs, tolerance=1e-12):
    return min(np.abs(mine - theirs).max(), np.abs(mine + theirs).max()) <= tolerance


def test_a_hundred_new_votes_give_the_same_map_as_starting_over():
    matrix = load(NAME).matrix
    generator = np.random.default_rng(1)
    rows = generator.integers(0, matrix.shape[0], 100)
    columns = generator.integers(0, matrix.shape[1], 100)
    votes = generator.integers(-1, 2, 100)
    running = RunningAnalysis(matrix, moderated_out=REMOVED)
    updated = running.update(matrix.participants[rows], matrix.statements[columns], votes)

    values = matrix.values.copy()
    for row, column, vote in zip(rows, columns, votes, strict=True):
        values[row, column] = vote
    changed = analysis.VoteMatrix(matrix.participants, matrix.statements, values)
    full = analysis.analyze(changed, moderated_out=REMOVED)

    np.testing.assert_allclose(updated.projection.center, full.projection.center, atol=1e-12)
    for mine, reference in zip(
        updated.projection.components, full.projection.components, strict=True
    ):
        assert same_up_to_sign(mine, reference)
    for axis in range(2):
        assert same_up_to_sign(
            updated.projection.participants[:, axis], full.projection.participants[:, axis]
        )
    np.testing.assert_allclose(updated.projection.extremity, full.projection.extremity, atol=1e-12)
    assert updated.consensus == full.consensus
    masks = [updated.group_labels == group for group in range(len(updated.group_centers))]
    expected = np.array([analysis.vote_counts(values, mask) for mask in masks])
    np.testing.assert_array_equal(updated.group_counts, expected)
    assert 2 <= len(updated.group_centers) <= analysis.MAX_GROUPS


def test_a_vote_from_someone_new_asks_for_a_rebuild():
    matrix = load(NAME).matrix
    running = RunningAnalysis(matrix)
    with pytest.raises(UnknownCell):
        running.update([10_000], [matrix.statements[0]], [1])
