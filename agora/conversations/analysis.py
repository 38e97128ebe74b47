"""The opinion-map computation, as Pol.is does it: from votes to groups, representative
statements and consensus.

Pure NumPy and no Django, so the worker, the import command, the tests and the benchmark all run
the same code. Votes use Agora's (and Pol.is's CSV export's) convention: agree = +1,
disagree = -1, pass = 0; a cell nobody voted in is NaN. Pol.is's own engine stores agree as -1,
so its PCA center has the opposite sign to ours and its components and projections may too;
everything else (counts, tests, consensus) does not depend on the sign.

docs/opinion-maps.md explains each step in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

AGREE = 1
DISAGREE = -1
PASS = 0

#: A participant counts once they voted on this many statements (or on all, if there are fewer).
MIN_VOTES = 7
#: If fewer people than this qualify, the most active voters are added until there are this many.
MIN_PARTICIPANTS = 15
#: Participants are first gathered into at most this many small "base clusters".
BASE_CLUSTERS = 100
#: Opinion groups: at least two, at most five.
MIN_GROUPS = 2
MAX_GROUPS = 5
#: One-sided z-score for 90 % confidence, the significance every test here uses.
Z_90 = 1.2816
#: Meta statements (about the conversation itself) are always shown with this priority, squared.
META_PRIORITY = 7
#: K-means stops when no center moved more than this.
CONVERGENCE = 0.01


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
        rows = _positions(participants, participant_ids)
    if statements is None:
        statements, columns = _index(statement_ids)
    else:
        statements = np.asarray(statements)
        columns = _positions(statements, statement_ids)
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


def _positions(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Index of each wanted id in ids (which need not be sorted); every id must be present."""
    sorter = np.argsort(ids, kind="stable")
    found = sorter[np.searchsorted(ids, wanted, sorter=sorter)]
    if not np.array_equal(ids[found], wanted):
        raise ValueError("a vote refers to an unknown participant or statement")
    return found


# -- who takes part ---------------------------------------------------------------------------


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


# -- the map: principal components ------------------------------------------------------------


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
            components = _leading_eigenvectors(scatter, n_components)
    components = components * _sign(components)[:, None]
    if len(components) < 2:
        components = np.vstack([components, np.zeros((2 - len(components), columns))])
    return components


def _leading_eigenvectors(
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


# -- clustering ---------------------------------------------------------------------------------


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
    for axis in range(points.shape[1]):
        difference = points[:, axis, None] - centers[None, :, axis]
        squared += difference * difference
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


# -- what each group thinks ---------------------------------------------------------------------


def vote_counts(values: np.ndarray, members: np.ndarray) -> np.ndarray:
    """(agree, disagree, seen) counts per statement over the rows in members (mask or index)."""
    rows = values[members]
    return np.stack(
        [
            (rows == AGREE).sum(axis=0),
            (rows == DISAGREE).sum(axis=0),
            (~np.isnan(rows)).sum(axis=0),
        ]
    ).astype(np.int64)


def proportion_test(successes, trials):
    """z-score of a proportion against one half, with one pseudo-count added to each side."""
    successes = np.asarray(successes) + 1.0
    trials = np.asarray(trials) + 1.0
    return 2.0 * np.sqrt(trials) * (successes / trials - 0.5)


def two_proportion_test(successes_in, successes_out, trials_in, trials_out):
    """z-score that a proportion inside a group exceeds the one outside (pseudo-counts of one);
    0 when everyone succeeded."""
    successes_in = np.asarray(successes_in) + 1.0
    successes_out = np.asarray(successes_out) + 1.0
    trials_in = np.asarray(trials_in) + 1.0
    trials_out = np.asarray(trials_out) + 1.0
    pooled = (successes_in + successes_out) / (trials_in + trials_out)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / trials_in + 1 / trials_out))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (successes_in / trials_in - successes_out / trials_out) / spread
    return np.where(pooled == 1, 0.0, z)


@dataclass
class _GroupStats:
    na: np.ndarray
    nd: np.ndarray
    ns: np.ndarray
    pa: np.ndarray = field(init=False)
    pd: np.ndarray = field(init=False)
    pat: np.ndarray = field(init=False)
    pdt: np.ndarray = field(init=False)

    def __post_init__(self):
        self.pa = (self.na + 1.0) / (self.ns + 2.0)
        self.pd = (self.nd + 1.0) / (self.ns + 2.0)
        self.pat = proportion_test(self.na, self.ns)
        self.pdt = proportion_test(self.nd, self.ns)


def _statement_entry(statement, stats, other, index, *, n_agree=False):
    agree_side = other["rat"][index] > other["rdt"][index]
    side = "agree" if agree_side else "disagree"
    entry = {
        "tid": statement,
        "n-success": int((stats.na if agree_side else stats.nd)[index]),
        "n-trials": int(stats.ns[index]),
        "p-success": float((stats.pa if agree_side else stats.pd)[index]),
        "p-test": float((stats.pat if agree_side else stats.pdt)[index]),
        "repness": float(other["ra" if agree_side else "rd"][index]),
        "repness-test": float(other["rat" if agree_side else "rdt"][index]),
        "repful-for": side,
    }
    if n_agree:
        entry["n-agree"] = int(stats.na[index])
        entry["best-agree"] = True
    return entry


def representativeness(
    values: np.ndarray,
    groups: list[np.ndarray],
    statements,
    excluded: np.ndarray | None = None,
) -> list[list[dict]]:
    """For each group, up to five statements that set it apart from everyone else, agrees
    first, each with its counts, shares and z-scores (Pol.is's repness, same keys).

    A statement qualifies when the group's agreement (or disagreement) is significant at 90 %
    both on its own and compared with the other groups; they are ranked by the product of the
    two ratios and the two z-scores. The group's best agreed statement leads even when it does
    not qualify, and a group with no qualifying statement still gets its single best one."""
    counts = np.array([vote_counts(values, members) for members in groups])
    return representativeness_from_counts(counts, statements, excluded)


def representativeness_from_counts(counts: np.ndarray, statements, excluded=None) -> list:
    """Representativeness from (agree, disagree, seen) counts per group and statement."""
    excluded = np.zeros(counts.shape[-1], dtype=bool) if excluded is None else excluded
    total = np.sum(counts, axis=0)
    result = []
    for group_counts in counts:
        stats = _GroupStats(*group_counts)
        rest = _GroupStats(*(total - group_counts))
        other = {
            "ra": stats.pa / rest.pa,
            "rd": stats.pd / rest.pd,
            "rat": two_proportion_test(stats.na, rest.na, stats.ns, rest.ns),
            "rdt": two_proportion_test(stats.nd, rest.nd, stats.ns, rest.ns),
        }
        result.append(_select_representative(stats, other, statements, excluded))
    return result


def _select_representative(stats, other, statements, excluded):
    rat, rdt = other["rat"], other["rdt"]
    passes = ((rat > Z_90) & (stats.pat > Z_90)) | ((rdt > Z_90) & (stats.pdt > Z_90))
    sufficient, best, best_agree = [], None, None
    best_z = None
    for index in np.flatnonzero(~excluded):
        if passes[index]:
            sufficient.append(index)
        if not sufficient and (best_z is None or max(rat[index], rdt[index]) > best_z):
            # Pol.is keeps this score in single precision; comparing the same way picks the same.
            best, best_z = index, np.float32(max(rat[index], rdt[index]))
        if _beats_best_agree(stats, other, index, best_agree):
            best_agree = index
    statements = np.asarray(statements).tolist()
    head = []
    if best_agree is not None:
        head = [_statement_entry(statements[best_agree], stats, other, best_agree, n_agree=True)]
    elif best is not None:
        head = [_statement_entry(statements[best], stats, other, best)]
    if not sufficient:
        return head
    entries = [
        _statement_entry(statements[index], stats, other, index)
        for index in sufficient
        if index != best_agree
    ]
    entries.sort(key=lambda e: -(e["repness"] * e["repness-test"] * e["p-success"] * e["p-test"]))
    chosen = (head if best_agree is not None else []) + entries
    chosen = chosen[:5]
    return [e for e in chosen if e["repful-for"] == "agree"] + [
        e for e in chosen if e["repful-for"] == "disagree"
    ]


def _beats_best_agree(stats, other, index, best):
    """Whether a statement is a better 'what this group agrees on' than the best so far."""
    if stats.na[index] == 0 and stats.nd[index] == 0:
        return False
    ra, rat = other["ra"], other["rat"]
    if best is not None and ra[best] > 1.0:
        score = ra[index] * rat[index] * stats.pa[index] * stats.pat[index]
        return score > ra[best] * rat[best] * stats.pa[best] * stats.pat[best]
    if best is not None:
        return stats.pa[index] * stats.pat[index] > stats.pa[best] * stats.pat[best]
    return bool(stats.pat[index] > Z_90 or (ra[index] > 1.0 and stats.pa[index] > 0.5))


def consensus(values: np.ndarray, statements, excluded: np.ndarray | None = None) -> dict:
    """Statements most people agree (or disagree) with, over everyone: share above one half and
    significant at 90 %, the five with the highest share x z-score on each side."""
    return consensus_from_counts(vote_counts(values, slice(None)), statements, excluded)


def consensus_from_counts(counts: np.ndarray, statements, excluded=None) -> dict:
    """Consensus from (agree, disagree, seen) counts over everyone, per statement."""
    excluded = np.zeros(counts.shape[-1], dtype=bool) if excluded is None else excluded
    stats = _GroupStats(*counts)
    statements = np.asarray(statements).tolist()
    result = {}
    for side, successes, share, test in (
        ("agree", stats.na, stats.pa, stats.pat),
        ("disagree", stats.nd, stats.pd, stats.pdt),
    ):
        candidates = np.flatnonzero(~excluded & (share > 0.5) & (test > Z_90))
        metric = share[candidates] * test[candidates]
        top = candidates[np.argsort(-metric, kind="stable")[:5]]
        result[side] = [
            {
                "tid": statements[index],
                "n-success": int(successes[index]),
                "n-trials": int(stats.ns[index]),
                "p-success": float(share[index]),
                "p-test": float(test[index]),
            }
            for index in top
        ]
    return result


def group_aware_consensus(group_counts: np.ndarray) -> np.ndarray:
    """Per statement, the product over groups of (agrees + 1) / (votes + 2): high only when
    every group tends to agree."""
    agrees, seen = group_counts[:, 0, :], group_counts[:, 2, :]
    return np.prod((agrees + 1.0) / (seen + 2.0), axis=0)


def comment_priorities(
    group_counts: np.ndarray, extremity: np.ndarray, meta: np.ndarray
) -> np.ndarray:
    """How much showing a statement next would help the map: statements that few have seen,
    that people do not pass on, that are agreed with and that pull people apart come first.
    Meta statements get a fixed priority."""
    agrees, disagrees, seen = group_counts.sum(axis=0)
    passes = seen - agrees - disagrees
    pass_share = (passes + 1.0) / (seen + 2.0)
    agree_share = (agrees + 1.0) / (seen + 2.0)
    importance = (1 - pass_share) * (extremity + 1) * agree_share
    novelty = 1 + 8 * 2.0 ** (seen / -5.0)
    return np.where(meta, float(META_PRIORITY), importance * novelty) ** 2


# -- the whole pipeline -------------------------------------------------------------------------


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
) -> Analysis:
    """Run the whole pipeline. `moderated_out` and `meta` are statement ids; `groups` (lists of
    participant ids) replaces Agora's own clustering, to compare with another engine's.

    With `replay` (and vote timestamps in the matrix), who takes part and the base clusters come
    from replaying the votes in the order they arrived, as Pol.is's worker met them
    (history.py), and the groups are made from those base clusters as Pol.is makes them; its
    cost grows with the number of runs replayed, which history.MAX_RUNS bounds."""
    raw = matrix.values
    excluded = np.isin(matrix.statements, list(moderated_out))
    is_meta = np.isin(matrix.statements, list(meta))
    voted = ~np.isnan(raw)
    counts = voted.sum(axis=1)
    projection = project(raw, voted, excluded)
    clustering = None
    from agora.conversations import history

    if replay and matrix.log is not None and history.can_replay(matrix.log[3]):
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
            group_labels[_positions(participants, np.asarray(members))] = group
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
