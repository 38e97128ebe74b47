"""The rules of Pol.is's 2017 engine, applied by a replay to votes of that time
(analysis/versions.py)."""

import numpy as np
import pytest

from agora.conversations import analysis
from agora.conversations.analysis import versions

IN_2017 = versions.REMOVED_COUNTED_FROM_MS + 86_400_000  # a day into the window
IN_2019 = versions.FIXED_FROM_MS + 365 * 86_400_000


def votes_of(cells, when):
    rows = np.array([row for row, _ in cells])
    columns = np.array([column for _, column in cells])
    return rows, columns, np.full(len(cells), float(when))


def test_in_2017_every_removed_statement_counted_as_a_vote_of_everyone():
    # ten statements, the last three removed, all with a vote; person 0 voted on four others,
    # person 1 on three, person 2 on one removed statement only
    cells = [(3, 7), (3, 8), (3, 9)]
    cells += [(0, column) for column in range(4)] + [(1, column) for column in range(3)]
    cells += [(2, 9)] + [(3, column) for column in range(7)]
    rows, columns, times = votes_of(cells, IN_2017)
    removed = np.arange(10) >= 7
    inside = versions.in_conversation_while_removed_counted(rows, columns, times, (4, 10), removed)
    # counts: 4 + 3 = 7, 3 + 3 = 6, 0 + 3 = 3, 7 + 3 = 10
    assert inside.tolist() == [True, False, False, True]


def test_votes_after_the_fix_are_counted_as_today():
    cells = [(1, column) for column in range(10)] + [(0, column) for column in range(4)]
    rows, columns, times = votes_of(cells, IN_2019)
    removed = np.arange(10) >= 7
    inside = versions.in_conversation_while_removed_counted(rows, columns, times, (2, 10), removed)
    assert not inside.any()


def test_the_2017_map_takes_empty_cells_as_zero():
    values = np.array([[1.0, np.nan, -1.0], [np.nan, 1.0, 1.0], [-1.0, -1.0, np.nan]])
    voted = ~np.isnan(values)
    excluded = np.array([False, False, True])
    projection = versions.project_empty_as_zero(values, voted, excluded)
    filled = np.nan_to_num(values)
    filled[:, 2] = 0
    np.testing.assert_allclose(projection.center, filled.mean(axis=0))
    centred = filled - filled.mean(axis=0)
    _, _, right = np.linalg.svd(centred)
    first = projection.components[0]
    assert min(np.abs(first - right[0]).max(), np.abs(first + right[0]).max()) < 1e-12
    # a person's position: own votes (removed statement included) centred, scaled up
    own = np.where(voted | excluded, filled - projection.center, 0.0)
    scale = np.sqrt(3 / (voted | excluded).sum(axis=1))
    np.testing.assert_allclose(
        projection.participants, own @ projection.components.T * scale[:, None], atol=1e-12
    )


def test_a_replay_of_2017_votes_follows_the_2017_engine_and_later_votes_do_not():
    generator = np.random.default_rng(5)
    people, statements, votes = 40, 12, 200
    args = (
        generator.integers(0, people, votes),
        generator.integers(0, statements, votes),
        generator.integers(-1, 2, votes),
    )
    for when, expected in ((IN_2017, True), (IN_2019, False)):
        times = when + np.arange(votes) * 60_000
        matrix = analysis.build_vote_matrix(*args, times)
        replayed = analysis.analyze(matrix, moderated_out=[0, 1, 2, 3, 4, 5, 6], replay=True)
        today = analysis.analyze(matrix, moderated_out=[0, 1, 2, 3, 4, 5, 6])
        # seven removed statements: in 2017 everyone who voted is in the conversation
        assert replayed.in_conversation.all() == expected
        assert np.allclose(replayed.projection.center, today.projection.center) != expected


def test_group_fit_is_the_share_of_points_nearest_their_own_groups_center():
    points = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [11.0, 0.0], [2.0, 0.0]])
    assert versions.group_fit(points, [0, 0, 1, 1, 0]) == 1.0
    # the last point put with the far group: its center (7.67) is farther than the other's (0.5)
    assert versions.group_fit(points, [0, 0, 1, 1, 1]) == pytest.approx(4 / 5)


def test_groups_made_on_todays_map_are_told_from_groups_made_on_the_2017_map():
    """Two camps that differ on statements 0 to 2; two blocks of statements everyone who voted
    on agreed with, each skipped by about half. The 2017 map (empty cells 0) spends its axes on
    who skipped which block; today's (empty cells at the statement's mean) on the camps."""
    rng = np.random.default_rng(3)
    values = np.full((40, 23), np.nan)
    camp = np.arange(40) >= 20
    values[:, :3] = np.where(camp[:, None], -1.0, 1.0)
    values[:, :3] = np.where(rng.random((40, 3)) < 0.2, -values[:, :3], values[:, :3])
    skipped_first, skipped_second = rng.random(40) < 0.5, rng.random(40) < 0.5
    values[skipped_first, 3:13] = 1.0
    values[skipped_second, 13:] = 1.0
    voted = ~np.isnan(values)
    excluded = np.zeros(23, dtype=bool)
    rows = np.arange(40)
    assert versions.fits_better_today(values, voted, excluded, rows, camp.astype(int))
    assert not versions.fits_better_today(values, voted, excluded, rows, skipped_first.astype(int))
