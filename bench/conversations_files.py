"""`agora conversations analyze DIR --json` end to end on a Pol.is-format export of 10,000
participants, 1,000 statements and 1,000,000 votes: reading the three CSV files, checking every
row, the analysis and the JSON, in a fresh process as an administrator runs it. Run
`.venv/bin/python bench/conversations_files.py`; it writes the export once into a temporary
folder, runs the command three times, prints each run's elapsed time and the peak memory, and
exits 1 when the best run takes 2 s or more (`--keep DIR` keeps or reuses the export there)."""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.conversations import synthetic_votes  # noqa: E402

SECONDS_LIMIT = 2.0


def write_export(directory: Path, participants: int, statements: int, votes: int) -> None:
    """comments.csv, votes.csv and participants-votes.csv as Pol.is writes them."""
    voter, statement, value, timestamps = synthetic_votes(participants, statements, votes)
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "comments.csv").open("w") as out:
        out.write(
            "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        )
        for number in range(statements):
            moderated = -1 if number < 3 else 1
            out.write(f'{number},x,{number},0,0,0,{moderated},"Statement {number}, said plainly"\n')
    rows = np.column_stack([timestamps, timestamps, statement, voter, value])
    lines = "\n".join(
        f"{t},Mon Jul 17 02:17:32 WIB 2017,{s},{v},{x}" for t, _, s, v, x in rows.tolist()
    )
    (directory / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n" + lines + "\n"
    )
    grid = np.full((participants, statements), "", dtype=object)
    grid[voter, statement] = value.astype(str)
    header = "participant,group-id,n-comments,n-votes,n-agree,n-disagree," + ",".join(
        map(str, range(statements))
    )
    with (directory / "participants-votes.csv").open("w") as out:
        out.write(header + "\n")
        for person in range(participants):
            out.write(f"{person},{person % 3},0,0,0,0," + ",".join(grid[person]) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=1_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="write the export here (or reuse it) and keep it")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(options.keep or scratch) / "export"
        if not (directory / "votes.csv").is_file():
            write_export(directory, options.participants, options.statements, options.votes)
        command = [sys.executable, "-m", "agora.cli", "conversations", "analyze", str(directory)]
        environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        times = []
        for _ in range(options.runs):
            started = time.perf_counter()
            subprocess.run(
                [*command, "--json"], check=True, env=environment, stdout=subprocess.DEVNULL
            )  # noqa: S603
            times.append(time.perf_counter() - started)
            print(f"analyze from files: {times[-1]:.3f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    best = min(times)
    print(f"best {best:.3f} s (limit {SECONDS_LIMIT} s), peak memory {peak_mb:.0f} MB")
    return 0 if best < SECONDS_LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
