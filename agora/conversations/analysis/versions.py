"""Rules Pol.is's math engine followed for a while and then changed: a replay of an old export
applies them to the votes of their time.

Pol.is's published groups are those of its last update, made by the engine of that day, and
who is in the conversation is kept from update to update (once in, always in), so an export
carries the fingerprints of earlier versions. Two changes of 2017 show in the open-data
exports (docs/opinion-maps.md tells the story, export by export):

- From 27 February 2017 (polisMath commit b68ca8b) a removed statement's column, moderated out
  or meta, was set to 0 for everyone, and the "at least 7 votes" count was taken on that
  matrix, so every removed statement counted as a vote of every participant. The count was
  fixed on 31 October 2017 (30355e1), live by the first days of 2018: in football-concussions
  every participant with fewer than 7 votes who first voted by 20 December 2017 is in
  Pol.is's groups and none who first voted from 6 January 2018 on.
- Until the same fix (90b5b9e, 21 October 2017) the principal components were computed with
  every empty cell at 0 (the column means taken over everyone, voters or not), not at the
  statement's mean vote.

Only statements the engine then held as removed count: it kept its list of removed statements
from 27 February 2017 on and, until its 29 October 2017 change (6a119cf), did not read earlier
moderation again when it reloaded a conversation.
"""

from __future__ import annotations

import numpy as np

from agora.conversations.analysis.participation import MIN_VOTES
from agora.conversations.analysis.projection import (
    Projection,
    principal_components,
    project,
    project_statements,
)

#: 27 February 2017 00:00 UTC: removed statements start counting as everyone's votes.
REMOVED_COUNTED_FROM_MS = 1_488_153_600_000
#: 1 January 2018 00:00 UTC: the fixed engine is live (between 20 December 2017 and
#: 6 January 2018 by football-concussions' export), and empty cells are the column means.
FIXED_FROM_MS = 1_514_764_800_000


def in_2017_window(timestamps) -> np.ndarray:
    """Which of these times (milliseconds) fall while removed statements counted as votes."""
    timestamps = np.asarray(timestamps, dtype=np.float64)
    return (timestamps >= REMOVED_COUNTED_FROM_MS) & (timestamps < FIXED_FROM_MS)


def in_conversation_while_removed_counted(
    rows, columns, timestamps, shape: tuple[int, int], removed: np.ndarray
) -> np.ndarray:
    """Who the 2017 engine took into the conversation (a mask over rows): at an update in the
    window, a participant's count was their votes on statements not removed plus one for every
    removed statement that had a vote; min(7, statements with a vote) let them in. Counts only
    grow, so the last update of the window decides."""
    timestamps = np.asarray(timestamps, dtype=np.float64)
    inside = np.zeros(shape[0], dtype=bool)
    if not in_2017_window(timestamps).any():
        return inside
    before = timestamps < FIXED_FROM_MS
    seen = np.zeros(shape, dtype=bool)
    seen[np.asarray(rows)[before], np.asarray(columns)[before]] = True
    columns_voted = seen.any(axis=0)
    removed = np.asarray(removed, dtype=bool)
    counts = seen[:, ~removed].sum(axis=1) + int((columns_voted & removed).sum())
    return seen.any(axis=1) & (counts >= min(MIN_VOTES, int(columns_voted.sum())))


def last_update_before_fix(timestamps) -> bool:
    """Whether Pol.is's last update of these votes ran on the engine of 2017."""
    timestamps = np.asarray(timestamps, dtype=np.float64)
    return bool(len(timestamps)) and float(timestamps.max()) < FIXED_FROM_MS


def project_empty_as_zero(
    values: np.ndarray, voted: np.ndarray, excluded: np.ndarray
) -> Projection:
    """The 2017 engine's map: removed statements' columns all 0 (a vote from everyone), every
    other empty cell 0 for the principal components, whose center is each column's mean over
    every participant; a person's position sums their own centred votes (removed statements
    included), times sqrt(statements / those votes), as today."""
    cells = np.where(voted, values, 0.0)
    cells[:, excluded] = 0.0
    counted = voted | excluded[None, :]
    center = cells.mean(axis=0) if len(cells) else np.zeros(values.shape[1])
    components = principal_components(cells - center)
    own = np.where(counted, cells - center, 0.0)
    scale = np.sqrt(values.shape[1] / np.maximum(counted.sum(axis=1), 1))
    statements, extremity = project_statements(center, components)
    return Projection(
        center=center,
        components=components,
        participants=(own @ components.T) * scale[:, None],
        statements=statements,
        extremity=extremity,
    )


def group_fit(points: np.ndarray, labels: np.ndarray) -> float:
    """The share of points nearer to their own group's center than to any other: 1 for a
    partition k-means could end on (each point is then with its nearest center)."""
    labels = np.asarray(labels)
    if len(labels) == 0:
        return 0.0
    groups, index = np.unique(labels, return_inverse=True)
    mass = np.bincount(index, minlength=len(groups))
    sums = [np.bincount(index, weights=points[:, axis], minlength=len(groups)) for axis in (0, 1)]
    centers = np.stack(sums, axis=1) / mass[:, None]
    squared = ((points[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    return float((squared.argmin(axis=1) == index).mean())


def fits_better_today(
    values: np.ndarray, voted: np.ndarray, excluded: np.ndarray, rows, labels
) -> bool:
    """Whether another engine's groups (`labels` of the participants at `rows`) are a
    partition of today's map rather than of the 2017 map, i.e. whether Pol.is made them after
    its fix (see the module's docstring)."""
    rows = np.asarray(rows, dtype=np.int64)
    today = project(values, voted, excluded).participants[rows]
    then = project_empty_as_zero(values, voted, excluded).participants[rows]
    return group_fit(today, labels) > group_fit(then, labels)
