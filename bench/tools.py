"""The benchmark's pure parts: reading wrk's report, percentiles of a latency histogram, ratios
against the baseline, the Markdown section that `docs/performance.md` keeps up to date, and
what the benchmarks read from /proc (CPU time, process titles, PostgreSQL backends).

Nothing here starts a process or touches a database, so tests/bench can check it quickly."""

import contextlib
import json
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# The line our wrk script (wrk_script.lua) prints after wrk's own summary.
WRK_REPORT_PREFIX = "bench-report "

Histogram = list[tuple[int, int]]  # (latency in microseconds, how many requests took that long)


@dataclass
class WrkRun:
    """One wrk run as our Lua script reports it."""

    requests: int
    duration_us: int
    errors: dict[str, int]
    latency: Histogram
    cpu_seconds: float = 0.0  # what serving the requests cost, filled in by the bench

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def parse_wrk_report(output: str) -> WrkRun:
    """Find the report line in wrk's standard output and read it."""
    for line in output.splitlines():
        if line.startswith(WRK_REPORT_PREFIX):
            data = json.loads(line[len(WRK_REPORT_PREFIX) :])
            return WrkRun(
                requests=int(data["requests"]),
                duration_us=int(data["duration_us"]),
                errors={name: int(count) for name, count in data["errors"].items()},
                latency=[(int(value), int(count)) for value, count in data["latency"]],
            )
    raise ValueError("wrk printed no report line; was it run with bench/wrk_script.lua?")


def merge_histograms(*histograms: Histogram) -> Histogram:
    counts: dict[int, int] = {}
    for histogram in histograms:
        for value, count in histogram:
            counts[value] = counts.get(value, 0) + count
    return sorted(counts.items())


def percentile(histogram: Histogram, q: float) -> int:
    """The nearest-rank percentile: the smallest latency that at least q % of the requests
    did not exceed. A histogram rather than a list of samples, because wrk keeps one."""
    if not 0 < q <= 100:
        raise ValueError(f"percentile {q} is outside (0, 100]")
    total = sum(count for _value, count in histogram)
    if total == 0:
        raise ValueError("no latencies recorded")
    rank = math.ceil(q / 100 * total)
    seen = 0
    for value, count in sorted(histogram):
        seen += count
        if seen >= rank:
            return value
    raise AssertionError("unreachable: the rank never exceeds the total")


@dataclass
class Measurement:
    """All measured rounds of one endpoint."""

    name: str
    path: str
    runs: list[WrkRun] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(run.requests for run in self.runs)

    @property
    def errors(self) -> int:
        return sum(run.error_count for run in self.runs)

    @property
    def requests_per_second(self) -> float:
        seconds = sum(run.duration_us for run in self.runs) / 1_000_000
        return self.requests / seconds if seconds else 0.0

    @property
    def cpu_us_per_request(self) -> float:
        return sum(run.cpu_seconds for run in self.runs) * 1_000_000 / self.requests

    @property
    def rounds_per_second(self) -> list[float]:
        return [run.requests / (run.duration_us / 1_000_000) for run in self.runs]

    @property
    def histogram(self) -> Histogram:
        return merge_histograms(*(run.latency for run in self.runs))

    def latency_us(self, q: float) -> int:
        return percentile(self.histogram, q)


def ratios(measurement: Measurement, baseline: Measurement) -> dict[str, float]:
    """Throughput as a share of the baseline's (lower is slower); latencies and CPU time per
    request as multiples of the baseline's (higher is slower)."""
    return {
        "rps": measurement.requests_per_second / baseline.requests_per_second,
        "p50": measurement.latency_us(50) / baseline.latency_us(50),
        "p99": measurement.latency_us(99) / baseline.latency_us(99),
        "cpu": measurement.cpu_us_per_request / baseline.cpu_us_per_request,
    }


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two snapshots of {pid: CPU seconds so far}. A process that
    appeared in between counts in full; one that ended in between is lost, which is why the
    bench keeps the server's processes and database connections alive while it measures."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def format_ms(microseconds: float) -> str:
    """Two decimals below 10 ms, one above: as many digits as a run-to-run spread supports."""
    decimals = 1 if microseconds >= 10_000 else 2
    return f"{microseconds / 1000:.{decimals}f} ms"


#: The results table's columns; `recorded_cpu_ratios` reads the table back by them.
RESULT_COLUMNS = (
    "endpoint",
    "path",
    "requests/s",
    "slowest–fastest round",
    "p50",
    "p99",
    "CPU/request",
    "rps ratio",
    "p50 ratio",
    "p99 ratio",
    "CPU ratio",
)


def results_table(measurements: list[Measurement], baseline: Measurement) -> str:
    lines = [
        "| " + " | ".join(RESULT_COLUMNS) + " |",
        "|---|---|" + "---:|" * (len(RESULT_COLUMNS) - 2),
    ]
    for measurement in measurements:
        ratio = ratios(measurement, baseline)
        rounds = measurement.rounds_per_second
        spread = f"{min(rounds):.0f}–{max(rounds):.0f}"
        lines.append(
            f"| {measurement.name} | `{measurement.path}` "
            f"| {measurement.requests_per_second:.0f} | {spread} "
            f"| {format_ms(measurement.latency_us(50))} "
            f"| {format_ms(measurement.latency_us(99))} "
            f"| {format_ms(measurement.cpu_us_per_request)} "
            f"| {ratio['rps']:.2f} | {ratio['p50']:.2f} | {ratio['p99']:.2f} "
            f"| {ratio['cpu']:.2f} |"
        )
    return "\n".join(lines)


def recorded_cpu_ratios(document: str, name: str) -> dict[str, float]:
    """The CPU ratio of each endpoint in the results table of section `name`, as the last
    accepted run recorded it (the table's last column), by endpoint name; empty when the
    document has no such section or table."""
    start, end = section_markers(name)
    if start not in document or end not in document:
        return {}
    section = document[document.index(start) : document.index(end)]
    recorded = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == len(RESULT_COLUMNS) and cells[1].startswith("`"):
            with contextlib.suppress(ValueError):
                recorded[cells[0]] = float(cells[RESULT_COLUMNS.index("CPU ratio")])
    return recorded


def slower_pages(
    measurements: list[Measurement],
    baseline: Measurement,
    *,
    recorded: dict[str, float],
    margin: float,
    targets: dict[str, float],
) -> list[str]:
    """What makes the run fail, one line each: an endpoint whose CPU ratio grew past its
    recorded figure by more than `margin` (0.25 is 25 %), or past its target."""
    problems = []
    for measurement in measurements:
        if measurement is baseline:
            continue
        ratio = ratios(measurement, baseline)["cpu"]
        before = recorded.get(measurement.name)
        if before is not None and ratio > before * (1 + margin):
            problems.append(
                f"{measurement.name}: CPU ratio {ratio:.2f}, recorded {before:.2f} "
                f"(more than {margin:.0%} over)"
            )
        target = targets.get(measurement.name)
        if target is not None and ratio > target:
            problems.append(f"{measurement.name}: CPU ratio {ratio:.2f}, target {target:.2f}")
    return problems


def section_markers(name: str) -> tuple[str, str]:
    return f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"


def replace_section(document: str, name: str, body: str) -> str:
    """Put `body` between the named markers, leaving the rest of the document as it was; a
    document without the markers gets the section appended."""
    start, end = section_markers(name)
    block = f"{start}\n{body.strip()}\n{end}"
    starts, ends = document.count(start), document.count(end)
    if starts == ends == 0:
        return f"{document.rstrip()}\n\n{block}\n" if document.strip() else f"{block}\n"
    if starts != 1 or ends != 1 or document.index(start) > document.index(end):
        raise ValueError(f"the markers of section {name!r} are missing, repeated or out of order")
    before = document[: document.index(start)]
    after = document[document.index(end) + len(end) :]
    return f"{before}{block}{after}"


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds all CPUs have spent on anything but idling and waiting, since boot."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(value) for value in fields[:7])
    return (user + nice + system + irq + softirq) / CLOCK_TICKS


def stolen_seconds() -> float:
    """CPU time the hypervisor gave to other virtual machines, since boot (/proc/stat)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    return int(fields[7]) / CLOCK_TICKS


def process_cpu_seconds(pid: int) -> float:
    """User and system CPU time of a live process and all its threads (0 if gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime and stime


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def command_lines() -> Iterator[tuple[int, list[bytes]]]:
    """Each live process and the words of its command line (or title), as /proc has them."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            yield int(entry.name), (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue


def database_backends(database: str) -> list[int]:
    """The PostgreSQL processes serving `database`. Their title is `postgres: <user>
    <database> <client> <activity>`, with the cluster's name after `postgres:` on Debian
    (`postgres: 15/main: postgres agora_bench_social 127.0.0.1(5432) idle`)."""
    backends = []
    for pid, title in command_lines():
        words = b" ".join(title).split()
        if words[:1] == [b"postgres:"] and database.encode() in words[2:4]:
            backends.append(pid)
    return backends
