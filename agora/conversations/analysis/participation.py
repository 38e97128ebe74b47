"""Who takes part in the map: the participants it is built from, now or vote by vote."""

from __future__ import annotations

import numpy as np

#: A participant counts once they voted on this many statements (or on all, if there are fewer).
MIN_VOTES = 7
#: If fewer people than this qualify, the most active voters are added until there are this many.
MIN_PARTICIPANTS = 15


def in_conversation(
    vote_counts: np.ndarray, n_statements: int, already: np.ndarray | None = None
) -> np.ndarray:
    """Boolean mask of the participants the map is built from: those who voted on at least
    min(7, statements) statements, and those `already` in (once in, always in), topped up to
    15 by the most active voters (ties by row)."""
    vote_counts = np.asarray(vote_counts)
    mask = vote_counts >= min(MIN_VOTES, n_statements)
    if already is not None:
        mask |= already
    missing = MIN_PARTICIPANTS - int(mask.sum())
    if missing > 0:
        candidates = np.flatnonzero(~mask)
        by_activity = candidates[np.argsort(-vote_counts[candidates], kind="stable")]
        mask[by_activity[:missing]] = True
    return mask


def in_conversation_over_time(rows: np.ndarray, columns: np.ndarray, n: int) -> np.ndarray:
    """The same rule replayed vote by vote, in the order votes arrived (`rows` and `columns`
    of each first vote on a cell), as Pol.is applies it on every update: once in, a
    participant stays in. So early participants, taken in while there were fewer than 15 or
    fewer than 7 statements, remain in the map."""
    rows = np.asarray(rows, dtype=np.int64)
    columns = np.asarray(columns, dtype=np.int64)
    counts = np.bincount(rows, minlength=n)
    mask = counts >= MIN_VOTES
    # While fewer than 7 statements had votes, the bar was lower: check that stretch vote by
    # vote (votes cast so far by the voter against statements voted on so far).
    new_column = np.zeros(len(columns), dtype=bool)
    new_column[_first_occurrences(columns)] = True
    statements_so_far = np.cumsum(new_column)
    early = int(np.searchsorted(statements_so_far, MIN_VOTES))
    early_rows = rows[:early]
    by_row = np.argsort(early_rows, kind="stable")
    group_starts = np.searchsorted(early_rows[by_row], early_rows[by_row])
    own_count = np.empty(early, dtype=np.int64)
    own_count[by_row] = np.arange(early) - group_starts + 1
    mask[early_rows[own_count >= statements_so_far[:early]]] = True
    # Until 15 are in, the most active voters so far are taken in after every vote.
    so_far = np.zeros(n, dtype=np.int64)
    inside = np.zeros(n, dtype=bool)
    threshold = np.minimum(MIN_VOTES, statements_so_far)
    for event in range(len(rows)):
        if inside.sum() >= MIN_PARTICIPANTS:
            break
        row = rows[event]
        so_far[row] += 1
        inside[row] |= so_far[row] >= threshold[event]
        missing = MIN_PARTICIPANTS - int(inside.sum())
        if missing > 0:
            candidates = np.flatnonzero(~inside & (so_far > 0))
            by_activity = candidates[np.argsort(-so_far[candidates], kind="stable")]
            inside[by_activity[:missing]] = True
    return mask | inside


def _first_occurrences(values: np.ndarray) -> np.ndarray:
    """Index of the first occurrence of each distinct value of an array of small non-negative
    integers, without sorting."""
    first = np.full(int(values.max(initial=-1)) + 1, len(values))
    np.minimum.at(first, values, np.arange(len(values)))
    return first[first < len(values)]
