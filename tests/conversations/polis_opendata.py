"""Agora's groups against Pol.is's on the nine open-data exports: the table of
docs/opinion-maps.md, computed. `tools/polis_agreement.py` prints it.

An export does not say which statements Pol.is marked as meta, and three of them cannot be
matched without: `META` names, for those, the statements that ask who the participant is
(docs/opinion-maps.md gives the figures with and without, and the evidence for each).
"""

from dataclasses import dataclass
from functools import cache

from agora.conversations import analysis, opendata
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


if __name__ == "__main__":
    print(table([agreement(name) for name in NAMES]))
    print("\nWithout the meta statements:")
    print(table([agreement(name, with_meta=False) for name in META]))
