"""The rules of Pol.is's 2017 engine, applied by a replay to votes of that time
(analysis/versions.py)."""

import numpy as np

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
