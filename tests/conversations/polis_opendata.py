"""Agora's groups against Pol.is's on the nine open-data exports: the table of
docs/opinion-maps.md, computed. `tools/polis_agreement.py` prints it.

An export does not say which statements Pol.is marked as meta, and three of them cannot be
matched without: `META` names, for those, the statements that ask who the participant is
(docs/opinion-maps.md gives the figures with and without, and the evidence for each).
"""

import itertools
import sys
from dataclasses import dataclass
from functools import cache

import numpy as np

from agora.conversations import analysis, opendata
from agora.conversations.analysis import clustering
from tests.shared_data import SHARED_DATA

OPENDATA = SHARED_DATA / "polis" / "opendata"
NAMES = sorted(p.name for p in OPENDATA.iterdir()) if OPENDATA.is_dir() else []

META = {
    # "I voted to Leave", "... Remain", "working class", "middle class", "a European language":
    # with these five (and no other set) who is in the conversation is exactly Pol.is's 197
    "brexit-consensus": [0, 1, 10, 11, 15],
    # age, sex, gender, first language, ethnicity; 14 ("I had at least one encounter with the
    # police") is an experience, not who one is: with it too the index is 0.573
    "london.youth.policing": [1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
    # age, where one lives, benefits, sex, work: who is in is then exactly Pol.is's 234
    "scoop-hivemind.ubi": list(range(32, 43)),
}


@dataclass(frozen=True)
class Agreement:
    name: str
    agora_grouped: int
    polis_grouped: int
    placed: int  # of Pol.is's grouped people, those Agora places in a group too
    agora_groups: int
    polis_groups: int
    ari: float
    meta: tuple[int, ...]  # the statements given as meta

    @property
    def placed_share(self) -> float:
        return self.placed / self.polis_grouped


@cache
def agreement(name: str, *, with_meta: bool = True) -> Agreement:
    export = opendata.read_export(OPENDATA / name)
    meta = tuple(META.get(name, [])) if with_meta else ()
    result = opendata.analyze_export(export, meta=meta)
    ours = dict(zip(result.participants.tolist(), result.group_labels.tolist(), strict=True))
    placed = [p for p in export.polis_groups if ours.get(p, -1) >= 0]
    return Agreement(
        name=name,
        agora_grouped=int((result.group_labels >= 0).sum()),
        polis_grouped=len(export.polis_groups),
        placed=len(placed),
        agora_groups=len(result.group_centers),
        polis_groups=len(set(export.polis_groups.values())),
        ari=analysis.adjusted_rand_index(
            [export.polis_groups[p] for p in placed], [ours[p] for p in placed]
        ),
        meta=meta,
    )


def table(rows: list[Agreement]) -> str:
    lines = [
        "| export | Agora grouped | Pol.is grouped | placed | groups Agora / Pol.is | ARI |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for row in rows:
        meta = " (meta given)" if row.meta else ""
        lines.append(
            f"| {row.name}{meta} | {row.agora_grouped:,} | {row.polis_grouped:,} | "
            f"{row.placed_share:.1%} | {row.agora_groups} / {row.polis_groups} | {row.ari:.3f} |"
        )
    mean = sum(row.ari for row in rows) / len(rows)
    lines.append(f"\nMean ARI {mean:.3f}, lowest {min(row.ari for row in rows):.3f}.")
    return "\n".join(lines)


@dataclass(frozen=True)
class Starts:
    """How Agora's groups for Pol.is's number of groups depend on where k-means starts: over
    every choice of starting base clusters (a sample of 2,000 beyond pairs), the share of
    the resulting groupings that agree with Pol.is's to ARI 0.6 and to 0.85, the median and
    the best. Pol.is starts from its first base clusters in id order, which its history made
    and the export does not hold."""

    name: str
    k: int
    tried: int
    share_06: float
    share_085: float
    median: float
    best: float


@cache
def starts(name: str) -> Starts:
    export = opendata.read_export(OPENDATA / name)
    result = opendata.analyze_export(export, meta=tuple(META.get(name, [])))
    inside = result.participants[result.base_members].tolist()
    labels, centers = result.base_labels, result.base_centers
    weights = np.bincount(labels, minlength=len(centers)).astype(np.float64)
    known = [i for i, p in enumerate(inside) if p in export.polis_groups]
    theirs = [export.polis_groups[inside[i]] for i in known]
    k = len(set(theirs))
    distinct = clustering.first_distinct(centers, len(centers))
    if k == 2:
        choices = list(itertools.combinations(range(len(distinct)), 2))
    else:
        rng = np.random.default_rng(0)
        choices = [rng.choice(len(distinct), k, replace=False) for _ in range(2000)]
    aris = []
    for choice in choices:
        groups, _ = clustering.kmeans(centers, distinct[list(choice)], weights)
        ours = groups[labels]
        aris.append(analysis.adjusted_rand_index(theirs, ours[known]))
    aris = np.array(aris)
    return Starts(
        name=name,
        k=k,
        tried=len(aris),
        share_06=float((aris >= 0.6).mean()),
        share_085=float((aris >= 0.85).mean()),
        median=float(np.median(aris)),
        best=float(aris.max()),
    )


def starts_table(rows: list[Starts]) -> str:
    lines = [
        "| export | Pol.is groups | starts tried | ARI >= 0.6 | ARI >= 0.85 | median | best |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.name} | {row.k} | {row.tried:,} | {row.share_06:.0%} | "
            f"{row.share_085:.0%} | {row.median:.3f} | {row.best:.3f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table([agreement(name) for name in NAMES]))
    print("\nWithout the meta statements:")
    print(table([agreement(name, with_meta=False) for name in META]))
    if "--starts" in sys.argv:
        print("\nWhere k-means starts (Agora's map and base clusters, Pol.is's number of groups):")
        print(starts_table([starts(name) for name in NAMES]))
