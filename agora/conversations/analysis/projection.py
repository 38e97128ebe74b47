"""The map itself: principal components of the votes and where people and statements land."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agora.conversations.analysis.matrix import AGREE


@dataclass(frozen=True)
class Projection:
    center: np.ndarray  # per statement: mean vote
    components: np.ndarray  # 2 x statements, unit rows
    participants: np.ndarray  # participants x 2
    statements: np.ndarray  # 2 x statements: where a lone "agree" with the statement lands
    extremity: np.ndarray  # per statement: length of that projection


#: Above this many statements the leading directions come from subspace iteration on the
#: scatter matrix rather than from a full eigendecomposition; both agree to about 1e-12.
DIRECT_EIGEN_LIMIT = 300


def centre(
    values: np.ndarray, voted: np.ndarray, excluded: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per statement, the mean of the votes cast (0 where none), and the matrix with that mean
    subtracted and every empty cell at 0: the same as filling empty cells with the mean first.
    Excluded (moderated-out) columns are all zeros, as if everyone had passed."""
    centred = np.where(voted, values, 0.0)
    centred[:, excluded] = 0.0
    counts = voted.sum(axis=0)
    center = np.divide(centred.sum(axis=0), counts, out=np.zeros(values.shape[1]), where=counts > 0)
    np.subtract(centred, center, out=centred, where=voted)
    return center, centred


def principal_components(centred: np.ndarray, n_components: int = 2) -> np.ndarray:
    """The leading principal directions (rows, unit length) of the centred matrix."""
    n_components = min(n_components, *centred.shape)
    rows, columns = centred.shape
    if columns > rows:
        _, _, right = np.linalg.svd(centred, full_matrices=False)
        components = right[:n_components]
    else:
        # statements x statements scatter matrix: cheap when statements are fewer than people
        scatter = centred.T @ centred
        if columns <= DIRECT_EIGEN_LIMIT:
            _, eigenvectors = np.linalg.eigh(scatter)
            components = eigenvectors[:, ::-1][:, :n_components].T
        else:
            components = leading_eigenvectors(scatter, n_components)
    components = components * _sign(components)[:, None]
    if len(components) < 2:
        components = np.vstack([components, np.zeros((2 - len(components), columns))])
    return components


def leading_eigenvectors(
    matrix: np.ndarray, count: int, block: int = 8, start: np.ndarray | None = None
) -> np.ndarray:
    """Leading eigenvectors of a symmetric positive semi-definite matrix by subspace iteration
    with Rayleigh-Ritz, until the leading ones stop moving (or 2,000 rounds). `start` (rows)
    seeds the subspace, so a small change to the matrix needs few rounds."""
    size = len(matrix)
    block = min(size, max(block, count))
    seed = np.random.default_rng(0).standard_normal((size, block))
    if start is not None:
        seed[:, : len(start)] = np.asarray(start).T
    basis, _ = np.linalg.qr(seed)
    previous = np.zeros((size, count))
    for _ in range(2000):
        basis, _ = np.linalg.qr(matrix @ basis)
        _, vectors = np.linalg.eigh(basis.T @ matrix @ basis)
        basis = basis @ vectors[:, ::-1]
        leading = basis[:, :count] * np.sign(np.sum(basis[:, :count] * previous, axis=0) + 0.5)
        if np.abs(leading - previous).max() < 1e-13:
            break
        previous = leading
    return leading.T


def _sign(components: np.ndarray) -> np.ndarray:
    """Fix each component's arbitrary sign: its largest entry (by size) is positive."""
    if components.size == 0:
        return np.ones(len(components))
    largest = components[np.arange(len(components)), np.abs(components).argmax(axis=1)]
    return np.where(largest < 0, -1.0, 1.0)


def project_participants(
    votes_cast: np.ndarray, centred: np.ndarray, components: np.ndarray
) -> np.ndarray:
    """Each person's position: their centred votes on the components, pushed outwards by
    sqrt(statements / votes cast) so that people who voted little are not all piled at the
    middle."""
    scale = np.sqrt(centred.shape[1] / np.maximum(votes_cast, 1))
    return (centred @ components.T) * scale[:, None]


def project_statements(center: np.ndarray, components: np.ndarray):
    """Where a person who agreed with one statement and voted on nothing else would land, and
    how far from the middle that is (the statement's extremity)."""
    n = len(center)
    projection = components * ((AGREE - center) * np.sqrt(n))[None, :]
    return projection, np.sqrt((projection**2).sum(axis=0))


def project(
    values: np.ndarray, voted: np.ndarray | None = None, excluded: np.ndarray | None = None
) -> Projection:
    voted = ~np.isnan(values) if voted is None else voted
    excluded = np.zeros(values.shape[1], dtype=bool) if excluded is None else excluded
    center, centred = centre(values, voted, excluded)
    components = principal_components(centred)
    statements, extremity = project_statements(center, components)
    # A removed statement's column is all zeros, which counts as a vote from everyone.
    votes_cast = (voted[:, ~excluded]).sum(axis=1) + int(excluded.sum())
    return Projection(
        center=center,
        components=components,
        participants=project_participants(votes_cast, centred, components),
        statements=statements,
        extremity=extremity,
    )


def centred_scatter(
    ff: np.ndarray, fb: np.ndarray, bb: np.ndarray, excluded: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The column means c and the scatter matrix of the centred votes B * (F - c), from the
    sums F'F, F'B and B'B (see incremental.RunningAnalysis); removed statements' rows and
    columns are 0."""
    counts, sums = np.diagonal(bb), np.diagonal(fb)
    center = np.divide(sums, counts, out=np.zeros(len(counts)), where=counts > 0)
    center[excluded] = 0.0
    scatter = ff - center[None, :] * fb - center[:, None] * fb.T + np.outer(center, center) * bb
    scatter[excluded, :] = 0.0
    scatter[:, excluded] = 0.0
    return center, scatter


def participant_positions(
    filled: np.ndarray,
    seen: np.ndarray,
    components: np.ndarray,
    center: np.ndarray,
    excluded: np.ndarray,
) -> np.ndarray:
    """Each participant's position, as `project` places them, without forming the centred
    matrix B * (F - c)."""
    votes_cast = seen[:, ~excluded].sum(axis=1) + int(excluded.sum())
    scale = np.sqrt(len(center) / np.maximum(votes_cast, 1))
    return (filled @ components.T - seen @ (components * center[None, :]).T) * scale[:, None]
