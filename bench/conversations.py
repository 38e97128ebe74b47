"""Opinion-map speed: the whole Pol.is pipeline on 10,000 participants x 1,000 statements x
1,000,000 votes, on one core. Run `.venv/bin/python bench/conversations.py`; it runs the
analysis three times and prints each time (elapsed and CPU), the best and the median, then
folds 100 new votes into the running state (incremental.RunningAnalysis) three times, prints
the peak memory and writes the section between `<!-- bench:conversations:start -->` and
`<!-- bench:conversations:end -->` of docs/performance.md (not with `--no-write`). It exits 1
when the best full run takes 2 s or more, the best update 0.5 s or more (the best of several
runs is the least disturbed by other work on the machine), or the process grows past 1 GB.

The votes are synthetic but shaped like a real conversation: three camps with their own
leanings, every person voting on a random tenth of the statements, a few changed votes.
"""

import os

# One core: the numeric libraries must not spread over the machine.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agora.conversations import analysis  # noqa: E402
from agora.conversations.analysis.incremental import RunningAnalysis  # noqa: E402
from bench.tools import replace_section, section_markers  # noqa: E402

DOCUMENT = Path(__file__).resolve().parents[1] / "docs" / "performance.md"

SECONDS_LIMIT = 2.0
UPDATE_LIMIT = 0.5
MEMORY_LIMIT_MB = 1024


def synthetic_votes(participants: int, statements: int, votes: int, seed: int = 7):
    generator = np.random.default_rng(seed)
    camp = generator.integers(0, 3, participants)
    leaning = generator.normal(0, 1.2, (3, statements))
    voter = generator.integers(0, participants, votes)
    statement = generator.integers(0, statements, votes)
    score = leaning[camp[voter], statement] + generator.normal(0, 1, votes)
    value = np.where(score > 0.5, 1, np.where(score < -0.5, -1, 0))
    timestamps = np.sort(generator.integers(0, 10**9, votes))
    return voter, statement, value, timestamps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=1_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print, do not edit the docs")
    options = parser.parse_args()
    load_before = os.getloadavg()[0]

    voter, statement, value, timestamps = synthetic_votes(
        options.participants, options.statements, options.votes
    )
    timings = []
    for _ in range(options.runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        matrix = analysis.build_vote_matrix(voter, statement, value, timestamps)
        built = time.perf_counter()
        result = analysis.analyze(matrix, moderated_out=[0, 1, 2])
        done, cpu = time.perf_counter(), time.process_time() - cpu_started
        timings.append((built - started, done - built, done - started, cpu))
        print(
            f"build matrix {built - started:6.3f} s   analysis {done - built:6.3f} s   "
            f"total {done - started:6.3f} s   CPU {cpu:6.3f} s"
        )
    running = RunningAnalysis(matrix, moderated_out=[0, 1, 2])
    generator = np.random.default_rng(11)
    updates = []
    for _ in range(options.runs):
        rows = generator.integers(0, matrix.shape[0], 100)
        columns = generator.integers(0, matrix.shape[1], 100)
        started = time.perf_counter()
        running.update(
            matrix.participants[rows], matrix.statements[columns], generator.integers(-1, 2, 100)
        )
        updates.append(time.perf_counter() - started)
        print(f"100 new votes folded in: {updates[-1]:6.3f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    totals = sorted(total for _, _, total, _ in timings)
    cpus = sorted(cpu for *_, cpu in timings)
    best = totals[0]
    best_update = min(updates)
    print(f"matrix {matrix.shape[0]} x {matrix.shape[1]}, {options.votes} votes, one core")
    print(f"best {best:.3f} s, median {totals[len(totals) // 2]:.3f} s (limit {SECONDS_LIMIT} s)")
    print(f"100 new votes: best {best_update:.3f} s (limit {UPDATE_LIMIT} s)")
    print(f"CPU: best {cpus[0]:.3f} s, median {cpus[len(cpus) // 2]:.3f} s")
    print(f"groups {len(result.group_centers)}, peak memory {peak_mb:.0f} MB")
    fast = best < SECONDS_LIMIT and best_update < UPDATE_LIMIT
    if not options.no_write:
        write_section(options, timings, updates, peak_mb, load_before, matrix.shape)
    return 0 if fast and peak_mb < MEMORY_LIMIT_MB else 1


def write_section(options, timings, updates, peak_mb, load, shape) -> None:
    totals = sorted(total for _, _, total, _ in timings)
    cpus = sorted(cpu for *_, cpu in timings)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Opinion maps: the Pol.is pipeline on one core",
        "",
        f"Written by `bench/conversations.py` on {now}; rerun it rather than editing this section.",
        "",
        f"- **Machine:** {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}, NumPy {np.__version__}; numeric libraries held to one "
        f"thread; load average {load:.1f} when the run started (other work was running when "
        "it is above the CPU count, and elapsed times then exceed CPU times).",
        f"- **Data:** synthetic, {shape[0]:,} participants x {shape[1]:,} statements x "
        f"{options.votes:,} votes in three camps, three statements removed by moderation.",
        "- **Measure:** the whole pipeline from the vote arrays (matrix, PCA, base clusters, "
        "groups, representativeness, consensus, priorities), then 100 new votes folded into "
        "the running state (`agora/conversations/analysis/incremental.py`).",
        "",
        "| run | build matrix | analysis | total, elapsed | total, CPU |",
        "|---|---:|---:|---:|---:|",
    ]
    for number, (build, analyse, total, cpu) in enumerate(timings, start=1):
        lines.append(
            f"| {number} | {build:.3f} s | {analyse:.3f} s | {total:.3f} s | {cpu:.3f} s |"
        )
    lines += [
        "",
        f"Best {totals[0]:.3f} s elapsed ({cpus[0]:.3f} s CPU), median "
        f"{totals[len(totals) // 2]:.3f} s (limit {SECONDS_LIMIT} s). 100 new votes folded in: "
        + ", ".join(f"{u:.3f} s" for u in updates)
        + f" (limit {UPDATE_LIMIT} s). Peak memory {peak_mb:.0f} MB with the running state "
        f"(limit {MEMORY_LIMIT_MB} MB).",
    ]
    document = DOCUMENT.read_text() if DOCUMENT.exists() else ""
    previous = previous_figures(document)
    if previous:
        lines[-1] += f" The run before this one: {previous}"
    DOCUMENT.write_text(replace_section(document, "conversations", "\n".join(lines)))


def previous_figures(document: str) -> str:
    """The date and best figures of the run the section holds now, so that the new section
    shows them beside its own."""
    start, end = section_markers("conversations")
    if start not in document or end not in document:
        return ""
    section = document[document.index(start) : document.index(end)]
    written = re.search(r"on (\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC)", section)
    best = re.search(r"Best ([\d.]+ s elapsed \([\d.]+ s CPU\))", section)
    memory = re.search(r"Peak memory (\d+ MB)", section)
    if not (written and best and memory):
        return ""
    return f"{written[1]}, best {best[1]}, peak memory {memory[1]}."


if __name__ == "__main__":
    sys.exit(main())
