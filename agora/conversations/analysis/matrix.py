"""The vote matrix: who voted what on which statement, built from rows of votes.

Votes use Agora's (and Pol.is's CSV export's) convention: agree = +1, disagree = -1,
pass = 0; a cell nobody voted in is NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

AGREE = 1
DISAGREE = -1
PASS = 0


@dataclass(frozen=True)
class VoteMatrix:
    """Participants (rows) by statements (columns); NaN where a participant has not voted."""

    participants: np.ndarray
    statements: np.ndarray
    values: np.ndarray
    #: The voted cells as (rows, columns) in the order they were first voted, if known: who is
    #: "in the conversation" depends on that order, as in Pol.is's running computation.
    arrivals: tuple[np.ndarray, np.ndarray] | None = None
    #: Every vote as (rows, columns, values, timestamps), changed votes included, in the order
    #: given, when timestamps are known: history.py replays them as Pol.is's worker saw them.
    log: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape


def build_vote_matrix(
    participant_ids,
    statement_ids,
    votes,
    timestamps=None,
    *,
    participants=None,
    statements=None,
) -> VoteMatrix:
    """Build the matrix from parallel arrays of votes. When a person voted on a statement more
    than once, the latest vote counts (by timestamp, or by position when there are none)."""
    participant_ids = np.asarray(participant_ids)
    statement_ids = np.asarray(statement_ids)
    votes = np.asarray(votes, dtype=np.float64)
    if participants is None:
        participants, rows = _index(participant_ids)
    else:
        participants = np.asarray(participants)
        rows = positions_of(participants, participant_ids)
    if statements is None:
        statements, columns = _index(statement_ids)
    else:
        statements = np.asarray(statements)
        columns = positions_of(statements, statement_ids)
    values = np.full((len(participants), len(statements)), np.nan)
    arrivals = log = None
    if len(votes):
        order = (
            np.arange(len(votes))
            if timestamps is None
            else np.argsort(np.asarray(timestamps), kind="stable")
        )
        cells = rows[order].astype(np.int64) * len(statements) + columns[order]
        flat = values.reshape(-1)
        # Cells voted on once (nearly all) are simply written; only the changed minds, cells
        # voted on more than once, are sorted to find their first and last vote.
        repeated = np.bincount(cells, minlength=flat.size)[cells] > 1
        once = ~repeated
        flat[cells[once]] = votes[order[once]]
        first_vote = once
        if repeated.any():
            positions = np.flatnonzero(repeated)
            by_cell = positions[np.argsort(cells[positions], kind="stable")]
            sorted_cells = cells[by_cell]
            boundaries = np.flatnonzero(sorted_cells[1:] != sorted_cells[:-1]) + 1
            starts = np.concatenate([[0], boundaries])
            ends = np.concatenate([boundaries, [len(by_cell)]]) - 1
            flat[sorted_cells[ends]] = votes[order[by_cell[ends]]]
            first_vote = once.copy()
            first_vote[by_cell[starts]] = True
        if timestamps is not None:
            first = cells[first_vote]
            arrivals = (first // len(statements), first % len(statements))
            log = (rows, columns, votes, np.asarray(timestamps))
    return VoteMatrix(
        participants=participants,
        statements=statements,
        values=values,
        arrivals=arrivals,
        log=log,
    )


def _index(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ids in order, and the position of each id among them. Database keys (small
    non-negative integers) are counted rather than sorted, which is much faster."""
    if ids.dtype.kind in "iu" and len(ids) and ids.min() >= 0 and ids.max() < 4 * len(ids) + 1024:
        present = np.bincount(ids) > 0
        position = np.cumsum(present) - 1
        return np.flatnonzero(present), position[ids]
    return np.unique(ids, return_inverse=True)


def positions_of(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Index of each wanted id in ids (which need not be sorted); every id must be present."""
    sorter = np.argsort(ids, kind="stable")
    found = sorter[np.searchsorted(ids, wanted, sorter=sorter)]
    if not np.array_equal(ids[found], wanted):
        raise ValueError("a vote refers to an unknown participant or statement")
    return found
