"""What each group thinks: representative statements, consensus and comment priority."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from agora.conversations.analysis.matrix import AGREE, DISAGREE

#: One-sided z-score for 90 % confidence, the significance every test here uses.
Z_90 = 1.2816
#: Meta statements (about the conversation itself) are always shown with this priority, squared.
META_PRIORITY = 7


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
