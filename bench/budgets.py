"""Counting speed of participatory budgets: the Method of Equal Shares over 100,000 synthetic
approval ballots and 200 projects, then Częstochowa 2020 (16,978 cumulative ballots over 90
projects, the largest shared Pabulib file) beside pabutools, the reference implementation.

Run `.venv/bin/python bench/budgets.py`; it builds the synthetic ballots (seeded), counts them
three times (the profile, per project its supporters and their satisfaction, built from the
ballots each time, then Equal Shares), prints each run and the peak memory, then times Agora
and pabutools on Częstochowa (Equal Shares and greedy each, the file read by each), and writes
the section between `<!-- bench:budgets:start -->` and `<!-- bench:budgets:end -->` of
docs/performance.md (not with `--no-write`). It exits 1 when the best synthetic run takes 2 s
or more or the process's peak memory before pabutools runs is 300 MB or more.
"""

import os

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agora.budgets import counting, pabulib  # noqa: E402
from bench.tools import load_average, replace_section  # noqa: E402

SECONDS_LIMIT = 2.0
MEMORY_LIMIT_MB = 300
DOCUMENT = ROOT / "docs" / "performance.md"
SHARED = Path(os.environ.get("AGORA_SHARED_DATA", ROOT.parent / "shared" / "data"))
CZESTOCHOWA = SHARED / "pabulib" / "poland_czestochowa_2020_.pb"


def synthetic(voters: int, projects: int, seed: int):
    """Approval ballots of 1 to 10 projects each, drawn by a long-tailed popularity; costs
    from 20,000 to 600,000; a budget of a quarter of all costs."""
    rng = np.random.default_rng(seed)
    popularity = 1 / (np.arange(projects) + 5.0)
    popularity /= popularity.sum()
    costs = rng.integers(20, 601, size=projects) * 1000
    items = [counting.Item(f"P{number}", float(cost)) for number, cost in enumerate(costs)]
    lengths = rng.integers(1, 11, size=voters)
    drawn = rng.choice(projects, size=(voters, 10), p=popularity)
    keys = [item.key for item in items]
    ballots = [
        tuple(dict.fromkeys(keys[chosen] for chosen in row[:length]))
        for row, length in zip(drawn.tolist(), lengths.tolist(), strict=True)
    ]
    return items, ballots, float(costs.sum()) / 4


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function, *args, **kwargs):
    started, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-pabutools", action="store_true", help="leave the comparison out")
    parser.add_argument("--no-write", action="store_true", help="print only")
    options = parser.parse_args()
    load_before = load_average()

    items, ballots, budget = synthetic(options.voters, options.projects, options.seed)
    runs = []
    for number in range(1, options.runs + 1):
        pairs = ((ballot, None) for ballot in ballots)
        profile, build, build_cpu = timed(counting.Profile, "approval", items, pairs, budget)
        outcome, count, count_cpu = timed(counting.equal_shares, profile)
        runs.append((build, count, build + count, build_cpu + count_cpu))
        print(
            f"run {number}: profile {build:.3f} s, equal shares {count:.3f} s, "
            f"total {build + count:.3f} s ({build_cpu + count_cpu:.3f} s CPU); "
            f"{len(outcome.winners)} funded, {outcome.rounds} rounds"
        )
    synthetic_peak = peak_mb()
    print(f"peak memory {synthetic_peak:.0f} MB")
    funded = (len(outcome.winners), outcome.spent, budget, outcome.rounds)

    comparison = czestochowa(with_pabutools=not options.no_pabutools)
    for line in comparison["lines"]:
        print(line)
    best = min(total for *_, total, _ in runs)
    if not options.no_write:
        write_section(options, runs, synthetic_peak, load_before, funded, comparison)
    return 0 if best < SECONDS_LIMIT and synthetic_peak < MEMORY_LIMIT_MB else 1


def czestochowa(*, with_pabutools: bool) -> dict:
    election, read, _ = timed(pabulib.read, CZESTOCHOWA)
    profile, build, _ = timed(counting.profile_of_election, election)
    shares, mes, _ = timed(counting.equal_shares, profile)
    _, greedy, _ = timed(counting.greedy, profile)
    agora = {"read": read + build, "equal shares": mes, "greedy": greedy}
    result = {"agora": agora, "ballots": len(election.ballots), "winners": shares.winners}
    lines = [
        f"Częstochowa, Agora: read {agora['read']:.3f} s, equal shares {mes * 1000:.1f} ms, "
        f"greedy {greedy * 1000:.1f} ms"
    ]
    if with_pabutools:
        from pabutools.election import Additive_Cardinal_Sat, parse_pabulib
        from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

        (instance, ballots), p_read, _ = timed(parse_pabulib, str(CZESTOCHOWA))
        theirs, p_mes, _ = timed(
            method_of_equal_shares, instance, ballots, sat_class=Additive_Cardinal_Sat
        )
        _, p_greedy, _ = timed(
            greedy_utilitarian_welfare, instance, ballots, sat_class=Additive_Cardinal_Sat
        )
        result["pabutools"] = {"read": p_read, "equal shares": p_mes, "greedy": p_greedy}
        result["same"] = sorted(p.name for p in theirs) == sorted(shares.winners)
        lines.append(
            f"Częstochowa, pabutools: read {p_read:.3f} s, equal shares {p_mes:.3f} s, "
            f"greedy {p_greedy:.3f} s; same winners: {result['same']}"
        )
    result["lines"] = lines
    return result


def write_section(options, runs, synthetic_peak, load, funded, comparison) -> None:
    totals = sorted(total for *_, total, _ in runs)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Participatory budgets: counting by the Method of Equal Shares",
        "",
        f"Written by `bench/budgets.py` on {now}; rerun it rather than editing this section.",
        "",
        f"- **Machine:** {os.cpu_count()} CPUs, shared with other work (load average "
        f"{load:.1f} when the run started), {platform.platform()}, Python "
        f"{platform.python_version()}, NumPy {np.__version__}, one thread. Measured on a "
        "shared machine: elapsed times move with the other work; CPU times move less.",
        f"- **Data:** synthetic and seeded ({options.seed}): {options.voters:,} approval "
        f"ballots of 1 to 10 of {options.projects} projects with long-tailed popularity, "
        f"costs 20,000 to 600,000, a budget of {funded[2]:,.0f} (a quarter of all costs); "
        f"Equal Shares funds {funded[0]} projects for {funded[1]:,.0f} in {funded[3]} rounds.",
        "- **Measure:** building the profile (per project, its supporters and their "
        "satisfaction) from the ballots as lists of project ids, then the count "
        "(`agora/budgets/counting.py`).",
        "",
        "| run | profile | equal shares | total, elapsed | total, CPU |",
        "|---|---:|---:|---:|---:|",
    ]
    for number, (build, count, total, cpu) in enumerate(runs, start=1):
        lines.append(f"| {number} | {build:.3f} s | {count:.3f} s | {total:.3f} s | {cpu:.3f} s |")
    lines += [
        "",
        f"Best {totals[0]:.3f} s (target {SECONDS_LIMIT} s: "
        f"{'met' if totals[0] < SECONDS_LIMIT else '**not met**'}); peak memory of the "
        f"process {synthetic_peak:.0f} MB (target {MEMORY_LIMIT_MB} MB: "
        f"{'met' if synthetic_peak < MEMORY_LIMIT_MB else '**not met**'}).",
        "",
    ]
    agora = comparison["agora"]
    if "pabutools" in comparison:
        theirs = comparison["pabutools"]
        lines += [
            f"**Beside pabutools** on Częstochowa 2020 ({comparison['ballots']:,} cumulative "
            "ballots, 90 projects; satisfaction = points), one run each:",
            "",
            "| step | Agora | pabutools | ratio |",
            "|---|---:|---:|---:|",
        ]
        for step in ("read", "equal shares", "greedy"):
            lines.append(
                f"| {step} | {agora[step] * 1000:.1f} ms | {theirs[step]:.3f} s | "
                f"{theirs[step] / max(agora[step], 1e-6):,.0f}× |"
            )
        mine = agora["equal shares"] + agora["greedy"]
        reference = theirs["equal shares"] + theirs["greedy"]
        lines += [
            "",
            f"Equal shares and greedy together: Agora {mine * 1000:.1f} ms, pabutools "
            f"{reference:.2f} s ({reference / mine:,.0f} times as long). Same Equal Shares "
            f"winners: {'yes' if comparison['same'] else '**no**'}. pabutools' greedy is its "
            "`greedy_utilitarian_welfare` (by points per unit of cost), Agora's by points: "
            "the work is alike, the order differs.",
        ]
    document = DOCUMENT.read_text() if DOCUMENT.exists() else ""
    DOCUMENT.write_text(replace_section(document, "budgets", "\n".join(lines)))


if __name__ == "__main__":
    sys.exit(main())
