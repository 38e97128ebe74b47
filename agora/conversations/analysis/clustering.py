"""Clusters of people on the map: base clusters, opinion groups, and comparing two partitions."""

from __future__ import annotations

import numpy as np

#: Participants are first gathered into at most this many small "base clusters".
BASE_CLUSTERS = 100
#: Opinion groups: at least two, at most five.
MIN_GROUPS = 2
MAX_GROUPS = 5
#: K-means stops when no center moved more than this.
CONVERGENCE = 0.01


def kmeans(
    points: np.ndarray,
    centers: np.ndarray,
    weights: np.ndarray | None = None,
    max_iterations: int = 100,
) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's k-means from the given starting centers; clusters that lose all their points are
    dropped. Returns (labels, centers) with labels indexing the returned centers."""
    weights = np.ones(len(points)) if weights is None else np.asarray(weights, dtype=np.float64)
    centers = np.array(centers, dtype=np.float64)
    for _ in range(max_iterations + 1):
        labels = _closest(points, centers)
        # renumber the clusters that kept points 0, 1, ... in their order (counting, not sorting)
        kept = np.bincount(labels, minlength=len(centers)) > 0
        labels = (np.cumsum(kept) - 1)[labels]
        used = int(kept.sum())
        mass = np.bincount(labels, weights=weights, minlength=used)
        totals = np.stack(
            [
                np.bincount(labels, weights=weights * points[:, axis], minlength=used)
                for axis in range(points.shape[1])
            ],
            axis=1,
        )
        new_centers = totals / mass[:, None]
        done = used == len(centers) and _same_centers(centers, new_centers)
        centers = new_centers
        if done:
            break
    return _closest(points, centers), centers


def _closest(points: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Index of the nearest center for each point (the first one on a tie): squared distances
    axis by axis, exact and faster for two axes than a matrix product."""
    squared = np.zeros((len(points), len(centers)))
    difference = np.empty_like(squared)  # one scratch table, reused for each axis
    for axis in range(points.shape[1]):
        np.subtract(points[:, axis, None], centers[None, :, axis], out=difference)
        difference *= difference
        squared += difference
    return squared.argmin(axis=1)


def _same_centers(old: np.ndarray, new: np.ndarray) -> bool:
    return bool(np.all(np.sqrt(((old - new) ** 2).sum(axis=1)) < CONVERGENCE))


def first_distinct(points: np.ndarray, k: int) -> np.ndarray:
    """The first k distinct points in row order: Pol.is's starting centers."""
    _, first = np.unique(points, axis=0, return_index=True)
    return points[np.sort(first)[:k]]


def base_clusters(points: np.ndarray, k: int = BASE_CLUSTERS) -> tuple[np.ndarray, np.ndarray]:
    """Fine-grained clusters of participants (at most k); with fewer distinct positions than k,
    every distinct position is its own cluster."""
    if len(points) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2))
    return kmeans(points, first_distinct(points, k))


def silhouette(points: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette over the points (unweighted); a point alone in its cluster scores 0."""
    distances = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    clusters = np.unique(labels)
    if len(clusters) < 2:
        return 0.0
    sizes = np.array([(labels == c).sum() for c in clusters])
    # mean distance from every point to every cluster, leaving the point itself out
    sums = np.stack([distances[:, labels == c].sum(axis=1) for c in clusters], axis=1)
    own = np.searchsorted(clusters, labels)
    own_size = sizes[own] - 1
    a = sums[np.arange(len(points)), own] / np.maximum(own_size, 1)
    other = sums / sizes[None, :]
    other[np.arange(len(points)), own] = np.inf
    b = other.min(axis=1)
    scores = np.where(own_size == 0, 0.0, (b - a) / np.maximum(np.maximum(a, b), 1e-300))
    return float(scores.mean())


def group_clusters(centers: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Opinion groups over the base clusters: weighted k-means for k = 2 .. min(5, 2 + n/12),
    each started, as Pol.is starts it, from the first k distinct base clusters; the k with the
    best silhouette wins. Returns (label per base cluster, group centers)."""
    n_distinct = len(np.unique(centers, axis=0))
    largest = min(MAX_GROUPS, 2 + len(centers) // 12, n_distinct)
    if largest < MIN_GROUPS:
        return np.zeros(len(centers), dtype=np.int64), centers[:1].copy()
    best = None
    for k in range(MIN_GROUPS, largest + 1):
        labels, group_centers = kmeans(centers, first_distinct(centers, k), weights)
        score = silhouette(centers, labels)
        if best is None or score > best[0]:
            best = (score, labels, group_centers)
    return _ordered_groups(best[1], best[2])


def _ordered_groups(labels: np.ndarray, centers: np.ndarray):
    """Number groups by their first member, so the same data always gives the same ids."""
    used, first = np.unique(labels, return_index=True)
    order = used[np.argsort(first)]
    renumber = np.empty(len(centers), dtype=np.int64)
    renumber[order] = np.arange(len(order))
    return renumber[labels], centers[order]


def adjusted_rand_index(labels_a, labels_b) -> float:
    """Agreement of two partitions of the same items, corrected for chance: 1 identical,
    about 0 for unrelated ones."""
    _, a = np.unique(np.asarray(labels_a), return_inverse=True)
    _, b = np.unique(np.asarray(labels_b), return_inverse=True)
    table = np.zeros((a.max(initial=-1) + 1, b.max(initial=-1) + 1))
    np.add.at(table, (a, b), 1)

    def pairs(x):
        return (x * (x - 1) / 2).sum()

    index = pairs(table)
    rows, columns = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * columns / pairs(np.array([len(a)]))
    maximum = (rows + columns) / 2
    if maximum == expected:
        return 1.0
    return float((index - expected) / (maximum - expected))
