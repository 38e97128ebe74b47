"""The whole opinion-map computation, from a vote matrix to groups and what they think."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agora.conversations.analysis import history, versions
from agora.conversations.analysis.clustering import base_clusters, group_clusters, kmeans
from agora.conversations.analysis.matrix import VoteMatrix, positions_of
from agora.conversations.analysis.participation import in_conversation, in_conversation_over_time
from agora.conversations.analysis.projection import Projection, project
from agora.conversations.analysis.statistics import (
    comment_priorities,
    consensus_from_counts,
    group_aware_consensus,
    representativeness_from_counts,
    vote_counts,
)


@dataclass
class Analysis:
    participants: np.ndarray
    statements: np.ndarray
    vote_counts: np.ndarray
    in_conversation: np.ndarray  # mask over participants
    projection: Projection
    base_members: np.ndarray  # rows of the in-conversation participants, in the order they joined
    base_labels: np.ndarray  # base cluster of each of those
    base_centers: np.ndarray
    group_labels: np.ndarray  # per participant; -1 outside the conversation
    group_centers: np.ndarray
    group_counts: np.ndarray  # groups x (agree, disagree, seen) x statements
    representative: list[list[dict]]
    consensus: dict
    group_aware_consensus: np.ndarray
    priorities: np.ndarray

    @property
    def groups(self) -> list[np.ndarray]:
        """Participant ids of each group."""
        return [
            self.participants[self.group_labels == group]
            for group in range(len(self.group_centers))
        ]


def analyze(
    matrix: VoteMatrix,
    *,
    moderated_out=(),
    meta=(),
    groups: list | None = None,
    replay: bool = False,
    removed_in_2017=None,
    recomputed_after_fix: bool = False,
) -> Analysis:
    """Run the whole pipeline. `moderated_out` and `meta` are statement ids; `groups` (lists of
    participant ids) replaces Agora's own clustering, to compare with another engine's.

    With `replay` (and vote timestamps in the matrix), who takes part and the base clusters come
    from replaying the votes in the order they arrived, as Pol.is's worker met them
    (history.py), and the groups are made from those base clusters as Pol.is makes them; its
    cost grows with the number of runs replayed, which history.MAX_RUNS bounds.

    A replay of votes cast in 2017 also applies the rules Pol.is's engine then followed
    (versions.py); `removed_in_2017` are the statements it held as removed (by default
    `moderated_out`). history.py replays today's engine, so such votes are not replayed there.
    `recomputed_after_fix` says that Pol.is recomputed the map of such votes after its 2017
    engine was replaced (versions.fits_better_today tells it from Pol.is's published groups):
    the map is then today's; who is in the conversation stays as the 2017 engine left it."""
    raw = matrix.values
    excluded = np.isin(matrix.statements, list(moderated_out))
    is_meta = np.isin(matrix.statements, list(meta))
    voted = ~np.isnan(raw)
    counts = voted.sum(axis=1)
    timestamps = matrix.log[3] if replay and matrix.log is not None else None
    of_2017 = timestamps is not None and bool(versions.in_2017_window(timestamps).any())
    if of_2017 and versions.last_update_before_fix(timestamps) and not recomputed_after_fix:
        projection = versions.project_empty_as_zero(raw, voted, excluded)
    else:
        projection = project(raw, voted, excluded)
    clustering = None
    if timestamps is not None and not of_2017 and history.can_replay(timestamps):
        replayed = history.replay(matrix, *matrix.log, excluded=excluded)
        taking_part = replayed.in_conversation
        inside, base_labels, base_centers = history.base_labels(replayed.base)
        base_groups, group_centers = history.groups_from_base(replayed.base)
        clustering = (base_labels, base_centers, base_groups, group_centers)
    elif matrix.arrivals is None:
        taking_part = in_conversation(counts, raw.shape[1])
        inside = np.flatnonzero(taking_part)
    else:
        taking_part = in_conversation_over_time(*matrix.arrivals, len(raw))
        if of_2017:
            removed = moderated_out if removed_in_2017 is None else removed_in_2017
            taking_part |= versions.in_conversation_while_removed_counted(
                matrix.log[0],
                matrix.log[1],
                timestamps,
                raw.shape,
                np.isin(matrix.statements, list(removed)),
            )
        inside = np.flatnonzero(taking_part)
        # Pol.is meets participants in the order they joined; its k-means starts from the first.
        arrived_rows = matrix.arrivals[0]
        joined = np.full(len(raw), len(arrived_rows))
        np.minimum.at(joined, arrived_rows, np.arange(len(arrived_rows)))
        inside = inside[np.argsort(joined[inside], kind="stable")]
    return conclude(
        participants=matrix.participants,
        statements=matrix.statements,
        counts=counts,
        taking_part=taking_part,
        projection=projection,
        inside=inside,
        excluded=excluded,
        is_meta=is_meta,
        count_votes=lambda masks: np.array([vote_counts(raw, mask) for mask in masks]),
        total_counts=lambda: vote_counts(raw, slice(None)),
        groups=groups,
        clustering=clustering,
    )


def conclude(
    *,
    participants,
    statements,
    counts,
    taking_part,
    projection: Projection,
    inside,
    excluded,
    is_meta,
    count_votes,
    total_counts,
    groups=None,
    base_start=None,
    clustering=None,
) -> Analysis:
    """Everything after the projection: base clusters (from `base_start` centers if given),
    groups, and what the groups think. `count_votes(masks)` and `total_counts()` give the
    (agree, disagree, seen) counts per statement for groups of rows and for everyone.
    `clustering` (base labels and centers, group of each base cluster, group centers) is a
    clustering already made, as by a replay."""
    points = projection.participants[inside]
    if clustering is not None:
        base_labels, base_centers = clustering[0], clustering[1]
    elif base_start is not None and len(base_start) and len(points):
        base_labels, base_centers = kmeans(points, base_start)
    else:
        base_labels, base_centers = base_clusters(points)
    group_labels = np.full(len(participants), -1, dtype=np.int64)
    if groups is None and clustering is not None:
        base_groups, group_centers = clustering[2], clustering[3]
        group_labels[inside] = base_groups[base_labels]
    elif groups is None:
        weights = np.bincount(base_labels, minlength=len(base_centers)).astype(np.float64)
        if len(base_centers):
            base_groups, group_centers = group_clusters(base_centers, weights)
            group_labels[inside] = base_groups[base_labels]
        else:
            group_centers = np.zeros((0, 2))
    else:
        for group, members in enumerate(groups):
            group_labels[positions_of(participants, np.asarray(members))] = group
        group_centers = np.array(
            [projection.participants[group_labels == g].mean(axis=0) for g in range(len(groups))]
        ).reshape(-1, 2)
    masks = [group_labels == group for group in range(len(group_centers))]
    group_counts = np.asarray(count_votes(masks)).reshape(len(masks), 3, len(statements))
    return Analysis(
        participants=participants,
        statements=statements,
        vote_counts=counts,
        in_conversation=taking_part,
        projection=projection,
        base_members=inside,
        base_labels=base_labels,
        base_centers=base_centers,
        group_labels=group_labels,
        group_centers=group_centers,
        group_counts=group_counts,
        representative=representativeness_from_counts(group_counts, statements, excluded),
        consensus=consensus_from_counts(total_counts(), statements, excluded),
        group_aware_consensus=group_aware_consensus(group_counts),
        priorities=comment_priorities(group_counts, projection.extremity, is_meta),
    )
