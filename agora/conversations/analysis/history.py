"""The replay: opinion groups as Pol.is finds them, from a conversation's votes in arrival order.

Pol.is never clusters a conversation from scratch, and its groups depend on that history.

What Pol.is's math engine does, and what is replayed here:

- Its worker polls for new votes every second and runs one update over whatever arrived. Votes
  are therefore replayed in runs: the votes of each second (counted from the first vote) form
  one run. A conversation that needs more than `MAX_RUNS` runs is not replayed (the caller
  clusters it from scratch): that bounds the cost, and replaying it in coarser runs would not
  be Pol.is's history any more (on the larger open-data exports the groups then change with
  the run length).
- In each run, who is in the conversation is decided again (once in, always in), the principal
  components are recomputed, and the base clusters (at most 100) start from the last run's:
  their centers are recomputed from their members' new positions, identical ones are merged,
  and while there are fewer clusters than allowed (and than distinct positions) the participant
  farthest from every center becomes a new cluster, with the next free id. Then k-means runs
  (at most 100 rounds).
- The opinion groups are clusters of the base clusters, taken in id order. Pol.is stores the
  base clusters (with their ids) between runs, but not its per-k group clusterings nor its
  "k smoother" (the rule that a new number of groups must win four runs in a row): whenever its
  worker reloads a conversation, the groups start afresh from the first distinct base clusters
  in id order, and the number of groups with the best silhouette is taken at once. Given
  Pol.is's own base clusters, that rule gives exactly Pol.is's published groups in all five
  math fixtures, so the replay ends that way.

Pure NumPy, like the rest of this package; docs/opinion-maps.md explains it in plain words.
"""

from __future__ import annotations

import ctypes
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from agora.conversations.analysis.clustering import (
    CONVERGENCE,
    MAX_GROUPS,
    MIN_GROUPS,
    first_distinct,
)
from agora.conversations.analysis.matrix import VoteMatrix
from agora.conversations.analysis.participation import in_conversation
from agora.conversations.analysis.projection import centred_scatter, participant_positions

#: Pol.is's worker polls for new votes every second: votes within one second form one run.
WINDOW_MS = 1_000
#: Conversations needing more runs than this are not replayed (their groups are found from
#: scratch): it bounds the replay's cost to well under a second.
MAX_RUNS = 1_000
#: Pol.is's limits: base clusters, k-means rounds for base clusters and for groups.
BASE_K = 100
BASE_ITERATIONS = 100
GROUP_ITERATIONS = 20


@dataclass
class Cluster:
    id: int
    members: np.ndarray  # names: participant rows (base clusters) or base cluster ids (groups)
    center: np.ndarray


# -- Pol.is's k-means, continued from the last run's clusters ---------------------------------


def _mean(points: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    if weights is None:
        return points.mean(axis=0)
    return weights @ points / weights.sum()


def _recentre(clusters, position_of, points, weights) -> list[Cluster]:
    """Each center becomes the (weighted) mean of its members' current positions; members no
    longer present are ignored and a cluster left with none is dropped."""
    if not clusters:
        return []
    sizes = [len(c.members) for c in clusters]
    rows = position_of[np.concatenate([c.members for c in clusters]).astype(np.int64)]
    owner = np.repeat(np.arange(len(clusters)), sizes)
    present = rows >= 0
    rows, owner = rows[present], owner[present]
    w = np.ones(len(rows)) if weights is None else weights[rows]
    mass = np.bincount(owner, weights=w, minlength=len(clusters))
    x = np.bincount(owner, weights=w * points[rows, 0], minlength=len(clusters))
    y = np.bincount(owner, weights=w * points[rows, 1], minlength=len(clusters))
    return [
        Cluster(cluster.id, cluster.members, np.array([x[i] / mass[i], y[i] / mass[i]]))
        for i, cluster in enumerate(clusters)
        if mass[i] > 0
    ]


def _merge_identical(clusters: list[Cluster]) -> list[Cluster]:
    """Clusters with the same center become one, under the id of the larger (the later one
    when they are the same size)."""
    result: list[Cluster] = []
    where: dict[bytes, int] = {}
    for cluster in clusters:
        key = cluster.center.tobytes()
        if key not in where:
            where[key] = len(result)
            result.append(cluster)
            continue
        same = result[where[key]]
        keeper = cluster if len(cluster.members) >= len(same.members) else same
        members = np.concatenate([same.members, cluster.members])
        result[where[key]] = Cluster(keeper.id, members, same.center)
    return result


def _restart(names, points, last, k, weights) -> list[Cluster]:
    """Pol.is's start from the last clusters: recentred and merged, then the point farthest
    from every center is split off as a new cluster until there are min(k, distinct points)."""
    position_of = np.full(max(int(names.max()), max(int(c.members.max()) for c in last)) + 1, -1)
    position_of[names] = np.arange(len(names))
    clusters = _merge_identical(_recentre(last, position_of, points, weights))
    possible = min(k, len(np.unique(points, axis=0)))
    while True:
        clusters = _recentre(clusters, position_of, points, weights)
        if not clusters or len(clusters) >= possible:
            return clusters
        _, nearest = _nearest(points, np.array([c.center for c in clusters]))
        far = len(nearest) - 1 - int(np.argmax(nearest[::-1]))  # the last on a tie
        if nearest[far] <= 0:
            return clusters
        outlier = names[far]
        for cluster in clusters:
            cluster.members = cluster.members[cluster.members != outlier]
        new_id = max(c.id for c in clusters) + 1
        clusters.append(Cluster(new_id, np.array([outlier]), points[far].copy()))


def _nearest(points: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest center of each point (the last one on a tie, as Pol.is's min-key
    picks; Pol.is's own order of clusters is a hash map's beyond eight, so exact ties between
    distinct centers may still be broken differently) and the squared distance to it."""
    dx = points[:, 0, None] - centers[None, ::-1, 0]
    dy = points[:, 1, None] - centers[None, ::-1, 1]
    squared = dx * dx + dy * dy
    reversed_index = squared.argmin(axis=1)
    nearest = squared[np.arange(len(points)), reversed_index]
    return len(centers) - 1 - reversed_index, nearest


def _step(names, points, clusters, weights) -> list[Cluster]:
    closest, _ = _nearest(points, np.array([c.center for c in clusters]))
    w = np.ones(len(points)) if weights is None else weights
    mass = np.bincount(closest, weights=w, minlength=len(clusters))
    x = np.bincount(closest, weights=w * points[:, 0], minlength=len(clusters))
    y = np.bincount(closest, weights=w * points[:, 1], minlength=len(clusters))
    by_cluster = np.argsort(closest, kind="stable")
    members = np.split(
        names[by_cluster], np.cumsum(np.bincount(closest, minlength=len(clusters)))[:-1]
    )
    return [
        Cluster(cluster.id, members[i], np.array([x[i] / mass[i], y[i] / mass[i]]))
        for i, cluster in enumerate(clusters)
        if mass[i] > 0
    ]


def _same(old: list[Cluster], new: list[Cluster]) -> bool:
    """Pol.is's convergence test: the sorted centers pair up within 0.01 of each other (when a
    cluster was dropped, the extra centers are not compared, as in Pol.is)."""
    a = sorted(tuple(c.center) for c in old)
    b = sorted(tuple(c.center) for c in new)
    return all(np.hypot(x[0] - y[0], x[1] - y[1]) < CONVERGENCE for x, y in zip(a, b, strict=False))


def kmeans(names, points, k, last, iterations, weights=None) -> list[Cluster]:
    """Pol.is's k-means: from the last clusters if any, else from the first k distinct points
    (ids 0, 1, ...); stops when no center moved by 0.01, or after `iterations` more rounds.
    Clusters come back in id order."""
    names = np.asarray(names)
    if len(points) == 0:
        return []
    clusters = _restart(names, points, last, k, weights) if last else []
    if not clusters:
        starts = first_distinct(points, k)
        clusters = [Cluster(i, names[:0], center) for i, center in enumerate(starts)]
    for _ in range(iterations + 1):
        new = _step(names, points, clusters, weights)
        if _same(clusters, new):
            break
        clusters = new
    return sorted(new, key=lambda c: c.id)


def silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean over the points of (b - a) / max(a, b), with a the mean distance to the rest of the
    point's cluster and b to the nearest other cluster; 0 for a point alone in its cluster."""
    clusters, labels = np.unique(labels, return_inverse=True)
    if len(clusters) < 2:
        return 0.0
    member = np.eye(len(clusters))[labels]  # points x clusters
    sums = distances @ member
    sizes = member.sum(axis=0)
    own = sizes[labels] - 1
    a = sums[np.arange(len(labels)), labels] / np.maximum(own, 1)
    other = sums / sizes[None, :]
    other[np.arange(len(labels)), labels] = np.inf
    b = other.min(axis=1)
    top = np.maximum(a, b)
    scores = np.where((own == 0) | (top == 0), 0.0, (b - a) / np.where(top == 0, 1, top))
    return float(scores.mean())


def groups_from_base(base: list[Cluster]):
    """Opinion groups over base clusters in id order, as a freshly loaded Pol.is worker makes
    them: for k = 2 .. min(5, 2 + clusters / 12), weighted k-means from the first k distinct
    base clusters (at most 20 rounds); the best silhouette wins (the larger k on a tie).
    Returns (group index per base cluster, group centers)."""
    ids = np.array([c.id for c in base])
    centers = np.array([c.center for c in base]).reshape(-1, 2)
    weights = np.array([len(c.members) for c in base], dtype=np.float64)
    if len(base) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2))
    distances = np.sqrt(((centers[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2))
    best = None
    for k in range(MIN_GROUPS, min(MAX_GROUPS, 2 + len(base) // 12) + 1):
        groups = kmeans(ids, centers, k, [], GROUP_ITERATIONS, weights)
        labels = np.empty(len(ids), dtype=np.int64)
        position_of = {b: i for i, b in enumerate(ids.tolist())}
        for g, group in enumerate(groups):
            labels[[position_of[b] for b in group.members.tolist()]] = g
        score = silhouette(distances, labels)
        if best is None or score >= best[0]:
            best = (score, labels, np.array([g.center for g in groups]))
    return best[1], best[2]


# -- the replay ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Replay:
    #: Who is in the conversation after the last run: mask over the final matrix's rows.
    in_conversation: np.ndarray
    base: list[Cluster]  # members are final-matrix rows
    runs: int


class _Sums:
    """The votes so far and the sums the principal components are made of, updated row by row
    as votes arrive (as in incremental.py): with F the votes (0 where none) and B where votes
    were cast, the centred matrix is B * (F - c), whose scatter matrix is
    F'F - c_j F'B - c_i B'F + c_i c_j B'B. All entries are whole numbers, so the running sums are
    exact."""

    def __init__(self, rows: int, columns: int):
        self.filled = np.zeros((rows, columns))
        self.seen = np.zeros((rows, columns))
        self.ff = np.zeros((columns, columns))
        self.fb = np.zeros((columns, columns))
        self.bb = np.zeros((columns, columns))
        self.row_counts = np.zeros(rows, dtype=np.int64)

    def add(self, rows, columns, votes) -> None:
        """Votes in time order; of two on the same cell the later wins."""
        cells = rows * self.filled.shape[1] + columns
        _, from_end = np.unique(cells[::-1], return_index=True)
        latest = len(cells) - 1 - from_end
        rows, columns, votes = rows[latest], columns[latest], votes[latest]
        touched = np.unique(rows)
        old_f, old_b = self.filled[touched], self.seen[touched]
        self.filled[rows, columns] = votes
        self.seen[rows, columns] = 1.0
        new_f, new_b = self.filled[touched], self.seen[touched]
        self.ff += new_f.T @ new_f - old_f.T @ old_f
        self.fb += new_f.T @ new_b - old_f.T @ old_b
        self.bb += new_b.T @ new_b - old_b.T @ old_b
        self.row_counts[touched] = new_b.sum(axis=1).astype(np.int64)

    def positions(self, n: int, m: int, excluded: np.ndarray) -> np.ndarray:
        """Every seen participant's position, as `project` places them."""
        center, scatter = centred_scatter(
            self.ff[:m, :m], self.fb[:m, :m], self.bb[:m, :m], excluded
        )
        _, vectors = np.linalg.eigh(scatter)
        components = vectors[:, ::-1][:, :2].T
        if m < 2:
            components = np.vstack([components, np.zeros((2 - len(components), m))])
        return participant_positions(
            self.filled[:n, :m], self.seen[:n, :m], components, center, excluded
        )


def in_conversation_by_runs(matrix: VoteMatrix) -> np.ndarray:
    """Who is in the conversation after applying the rule at every one-second run (no
    clustering, so any number of runs is cheap). Mask over the matrix's rows."""
    rows, columns, _, timestamps = matrix.log
    order = np.argsort(np.asarray(timestamps, dtype=np.float64), kind="stable")
    rows, columns = np.asarray(rows)[order], np.asarray(columns)[order]
    inside = np.zeros(matrix.shape[0], dtype=bool)
    seen = np.zeros(matrix.shape, dtype=bool)
    column_seen = np.zeros(matrix.shape[1], dtype=bool)
    done = 0
    for end in runs_of(np.asarray(timestamps, dtype=np.float64)[order]).tolist():
        seen[rows[done:end], columns[done:end]] = True
        column_seen[columns[done:end]] = True
        done = end
        # rows that have not voted yet are not in Pol.is's matrix: they cannot be topped up
        present = seen.any(axis=1)
        inside[present] = in_conversation(
            seen[present].sum(axis=1), int(column_seen.sum()), already=inside[present]
        )
    return inside


@cache
def _blas_threads_setter():
    """OpenBLAS's per-thread "how many threads" setter, from the library NumPy ships, if any."""
    for library in sorted((Path(np.__file__).parent.parent / "numpy.libs").glob("*openblas*")):
        try:
            return ctypes.CDLL(str(library)).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
    return None


@contextmanager
def _one_blas_thread():
    """A replay makes thousands of tiny matrix computations; OpenBLAS's threads cost far more
    than they save on those (five times on a busy two-core machine), so they are turned off
    for this thread meanwhile."""
    setter = _blas_threads_setter()
    previous = setter(1) if setter is not None else None
    try:
        yield
    finally:
        if setter is not None:
            setter(previous)


def runs_of(timestamps: np.ndarray, window_ms: float = WINDOW_MS) -> np.ndarray:
    """End index (exclusive) of each run over time-sorted timestamps: a run holds the votes of
    one window, counted from the first vote."""
    timestamps = np.asarray(timestamps, dtype=np.float64)
    if len(timestamps) == 0:
        return np.zeros(0, dtype=np.int64)
    bucket = np.floor((timestamps - timestamps[0]) / window_ms).astype(np.int64)
    return np.concatenate([np.flatnonzero(np.diff(bucket)) + 1, [len(timestamps)]])


def can_replay(timestamps) -> bool:
    """Whether the votes fit in `MAX_RUNS` runs of one second: the replay's cost is bounded,
    and a coarser replay would not be Pol.is's history any more."""
    return 0 < len(runs_of(np.sort(np.asarray(timestamps, dtype=np.float64)))) <= MAX_RUNS


def replay(
    matrix: VoteMatrix,
    rows,
    columns,
    votes,
    timestamps,
    *,
    excluded: np.ndarray,
    window_ms: float | None = None,
) -> Replay:
    """Replay votes given as rows and columns of `matrix` with their values and times; return
    who is in the conversation and the base clusters after the last run."""
    order = np.argsort(np.asarray(timestamps, dtype=np.float64), kind="stable")
    rows = np.asarray(rows, dtype=np.int64)[order]
    columns = np.asarray(columns, dtype=np.int64)[order]
    votes = np.asarray(votes, dtype=np.float64)[order]
    times = np.asarray(timestamps, dtype=np.float64)[order]
    n_rows, n_columns = matrix.shape
    # Pol.is's matrix holds people and statements in the order they first appear.
    first_rows = rows[np.sort(np.unique(rows, return_index=True)[1])]
    first_columns = columns[np.sort(np.unique(columns, return_index=True)[1])]
    row_rank = np.full(n_rows, -1)
    row_rank[first_rows] = np.arange(len(first_rows))
    column_rank = np.full(n_columns, -1)
    column_rank[first_columns] = np.arange(len(first_columns))
    local_rows, local_columns = row_rank[rows], column_rank[columns]
    excluded = np.asarray(excluded)[first_columns]
    sums = _Sums(len(first_rows), len(first_columns))
    inside = np.zeros(len(first_rows), dtype=bool)
    ends = runs_of(times, WINDOW_MS if window_ms is None else window_ms)
    with _one_blas_thread():
        base = _replay_runs(ends, sums, inside, local_rows, local_columns, votes, excluded)
    # back to the final matrix's rows
    final_inside = first_rows[np.flatnonzero(inside)]
    mask = np.zeros(n_rows, dtype=bool)
    mask[final_inside] = True
    base = [Cluster(c.id, first_rows[c.members], c.center) for c in base]
    return Replay(in_conversation=mask, base=base, runs=len(ends))


def _replay_runs(ends, sums, inside, rows, columns, votes, excluded) -> list[Cluster]:
    """Each run: its votes in, who is in the conversation, positions, base clusters."""
    base: list[Cluster] = []
    done = seen_rows = seen_columns = 0
    for end in ends.tolist():
        sums.add(rows[done:end], columns[done:end], votes[done:end])
        seen_rows = max(seen_rows, int(rows[done:end].max()) + 1)
        seen_columns = max(seen_columns, int(columns[done:end].max()) + 1)
        done = end
        inside[:seen_rows] = in_conversation(
            sums.row_counts[:seen_rows], seen_columns, already=inside[:seen_rows]
        )
        members = np.flatnonzero(inside[:seen_rows])
        points = sums.positions(seen_rows, seen_columns, excluded[:seen_columns])[members]
        base = kmeans(members, points, BASE_K, base, BASE_ITERATIONS)
    return base


def base_labels(base: list[Cluster]):
    """(rows in the conversation, base cluster index of each, centers) from base clusters in id
    order, rows listed cluster by cluster."""
    if not base:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros((0, 2))
    inside = np.concatenate([c.members for c in base]).astype(np.int64)
    labels = np.repeat(np.arange(len(base)), [len(c.members) for c in base])
    return inside, labels, np.array([c.center for c in base])
