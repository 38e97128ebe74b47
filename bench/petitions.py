"""A petition surge: one petition signed by 20,000 distinct accounts as fast as the server
takes them, while 200 readers reload the petition's page; the worker runs beside the server.
The UK Parliament's petitions site went down at about 1,500 signatures a minute; the target
here is at least 100 signatures a second on this 2-core machine, no error, and a final count
equal to the signatures stored.

Run `.venv/bin/python bench/petitions.py` (`--help` for the sizes). It creates the PostgreSQL
database `agora_bench_petitions` on 127.0.0.1:5432 (user `postgres`), migrates and seeds it,
adds the accounts in bulk (verified residents, each with an API token), opens a petition to
the roads office through the services, then serves it with `agora serve` (gunicorn) in
production mode and runs `agora worker`, as bench/run.py does. Signers are threads of this
process, each with a kept-alive connection, signing through `POST /api/v1/petitions/{id}/sign`
with one account's token after another; the readers are wrk with 200 connections on the
petition's page. It writes the section between `<!-- bench:petitions:start -->` and
`<!-- bench:petitions:end -->` of docs/performance.md (`--no-write` prints only), stops every
process it started and drops the database (`--keep` keeps it). It exits 1 when a signature
failed, the count differs from the signatures stored, or fewer than 100 signatures a second
were taken; 2 when it could not measure.
"""

import argparse
import http.client
import itertools
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import run, tools  # noqa: E402

DATABASE = "agora_bench_petitions"
TARGET_PER_SECOND = 100.0
WINDOW = 1000
WRK_PERCENTILE = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
WRK_REQUESTS = re.compile(r"(\d+) requests in ([\d.]+)(s|m)")
WRK_ERRORS = re.compile(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)")


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signers", type=int, default=20_000, help="distinct accounts signing")
    parser.add_argument("--readers", type=int, default=200, help="wrk connections reading")
    parser.add_argument("--threads", type=int, default=16, help="signing connections at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--web-threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    return parser.parse_args(argv)


def prepare(options) -> tuple[int, list[str]]:
    """Migrate, seed, add the signers with their tokens; open the petition. Answers its id
    and the tokens' secrets."""
    import django
    from django.core.management import call_command

    django.setup()

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed", verbosity=0)
    opened = open_petition(options.signers)
    from django.db import connections

    connections.close_all()
    return opened


def open_petition(count: int) -> tuple[int, list[str]]:
    """After the seed: the signers with their tokens, and the petition open for signing."""
    from django.utils import timezone

    from agora.accounts.models import PersonalAccessToken, User, Verification
    from agora.directory.models import Office
    from agora.petitions import services
    from agora.petitions.models import Petition

    run.add_accounts(count)
    signers = User.objects.filter(email__endswith=f"@{run.GENERATED_DOMAIN}").order_by("handle")
    signers.update(verification=Verification.VERIFIED_RESIDENT)
    secrets = [PersonalAccessToken.new_secret() for _ in range(count)]
    PersonalAccessToken.objects.bulk_create(
        [
            PersonalAccessToken(
                user_id=user_id,
                name="bench",
                token_hash=PersonalAccessToken.hash(secret),
                hint=secret[: len(PersonalAccessToken.PREFIX) + 4],
            )
            for user_id, secret in zip(signers.values_list("pk", flat=True), secrets, strict=True)
        ],
        batch_size=2000,
    )
    author = User.objects.get(handle="maria")
    moderator = User.objects.get(handle="moderator")

    petition = services.start_petition(
        by=author,
        title="Bench: trees on every school street",
        asks="Plant trees on every school street.",
        why="Shade for the children.",
        office=Office.objects.get(slug="roads-mobility"),
        closes_on=timezone.localdate() + timedelta(days=30),
    )
    Petition.objects.filter(pk=petition.pk).update(cosponsors_needed=0)
    petition.refresh_from_db()
    services.ask_for_cosponsors(petition, by=author)
    services.publish_petition(petition, by=moderator)
    return petition.pk, secrets


class Signers:
    """Threads that sign with one token after another until none is left."""

    def __init__(self, port: int, path: str, secrets: list[str], threads: int):
        self.port, self.path = port, path
        self.secrets = iter(secrets)
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.threads = [threading.Thread(target=self.work) for _ in range(threads)]
        # When each WINDOW-th answer came: the rate per window shows whether signing slows
        # as the petition's signatures grow.
        self.windows: list[float] = []

    def next_secret(self) -> str | None:
        with self.lock:
            return next(self.secrets, None)

    def work(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        body = b'{"show_name": false}'
        while (secret := self.next_secret()) is not None:
            headers = {
                "Authorization": f"Bearer {secret}",
                "Content-Type": "application/json",
                "Host": "127.0.0.1",
            }
            started = time.perf_counter()
            try:
                connection.request("POST", self.path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            elapsed = time.perf_counter() - started
            with self.lock:
                self.latencies.append(elapsed)
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if len(self.latencies) % WINDOW == 0:
                    self.windows.append(time.perf_counter())
        connection.close()

    def window_rates(self, started: float) -> list[float]:
        marks = [started, *self.windows]
        return [WINDOW / (later - earlier) for earlier, later in itertools.pairwise(marks)]

    def run(self) -> float:
        started = self.started = time.perf_counter()
        for thread in self.threads:
            thread.start()
        for thread in self.threads:
            thread.join()
        return time.perf_counter() - started


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(output: str) -> dict:
    percentiles = {int(p): _ms(v, u) for p, v, u in WRK_PERCENTILE.findall(output)}
    requests = WRK_REQUESTS.search(output)
    errors = sum(int(match[0] or 0) for match in WRK_ERRORS.findall(output) if match[0])
    socket_errors = [match[1] for match in WRK_ERRORS.findall(output) if match[1]]
    return {
        "p50_ms": percentiles.get(50),
        "p99_ms": percentiles.get(99),
        "requests": int(requests[1]) if requests else 0,
        "non_2xx": errors,
        "socket_errors": socket_errors[0] if socket_errors else "none",
    }


def percentile_ms(latencies: list[float], q: float) -> float:
    ordered = sorted(latencies)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def stored_counts(petition_id: int) -> tuple[int, int]:
    from agora.petitions.models import Petition, Signature

    count = Petition.objects.values_list("signature_count", flat=True).get(pk=petition_id)
    return count, Signature.objects.filter(petition_id=petition_id).count()


def render(options, figures: dict) -> str:
    signs, readers = figures["signs"], figures["readers"]
    lines = [
        f"Measured {figures['when']} on {os.cpu_count()} CPUs: one petition signed by "
        f"{options.signers:,} distinct accounts through the API ({options.threads} signing "
        f"connections) while wrk kept {options.readers} connections reloading its page; "
        f"gunicorn {options.workers} workers × {options.web_threads} threads and `agora "
        "worker` beside it, PostgreSQL on the same machine.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| signatures per second | {signs['per_second']:.0f} (target ≥ {TARGET_PER_SECOND:.0f}) |",
        f"| signing, p50 / p99 | {signs['p50_ms']:.0f} ms / {signs['p99_ms']:.0f} ms |",
        f"| signatures per second, each {WINDOW:,} in turn: first, slowest, fastest, last | "
        + (
            f"{windows[0]:.0f}, {min(windows):.0f}, {max(windows):.0f}, {windows[-1]:.0f} |"
            if (windows := signs["windows"])
            else "too few to tell |"
        ),
        f"| signing answers | {signs['statuses']} |",
        f"| page reads | {readers['requests']:,}, p50 {readers['p50_ms']} ms, p99 "
        f"{readers['p99_ms']} ms, non-2xx {readers['non_2xx']}, socket errors "
        f"{readers['socket_errors']} |",
        f"| final count / signatures stored | {figures['count']:,} / {figures['stored']:,} |",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    options = parse_arguments(argv)
    var_dir = Path(tempfile.mkdtemp(prefix="agora-bench-petitions-"))
    database_url = f"{options.server}/{DATABASE}"
    with ExitStack() as stack:
        try:
            run.recreate_database(options.server, DATABASE)
            if not options.keep:
                stack.callback(run.drop_database, options.server, DATABASE)
            run.production_environment(database_url, var_dir)
            os.environ["AGORA_API_RATE"] = "1000000/m"
            petition_id, secrets = prepare(options)
            port = run.free_port()
            server = run.start_serving(
                port,
                var_dir / "server.log",
                stack,
                workers=options.workers,
                threads=options.web_threads,
            )
            worker = run.start_process(
                [sys.executable, "-m", "agora.cli", "worker"], log=var_dir / "worker.log"
            )
            stack.callback(run.stop_process, worker)
            base = f"http://127.0.0.1:{port}"
            run.wait_until_serving(base, server, var_dir / "server.log")
            page = f"{base}/petitions/{petition_id}/"
            if run.fetch(page, {})[0] != 200:
                raise run.BenchError("the petition's page does not answer 200")
            readers = subprocess.Popen(  # noqa: S603
                ["wrk", "-t2", f"-c{options.readers}", "-d600s", "--latency", page],
                stdout=subprocess.PIPE,
                text=True,
            )
            signers = Signers(
                port, f"/api/v1/petitions/{petition_id}/sign", secrets, options.threads
            )
            seconds = signers.run()
            readers.send_signal(signal.SIGINT)
            read_output = readers.communicate(timeout=30)[0]
            count, stored = stored_counts(petition_id)
        except run.BenchError as error:
            print(f"The bench could not measure: {error}", file=sys.stderr)
            return 2
    figures = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "signs": {
            "per_second": len(signers.latencies) / seconds,
            "p50_ms": percentile_ms(signers.latencies, 0.50),
            "p99_ms": percentile_ms(signers.latencies, 0.99),
            "statuses": ", ".join(f"{k}: {v:,}" for k, v in sorted(signers.statuses.items())),
            "windows": signers.window_rates(signers.started),
        },
        "readers": parse_wrk(read_output),
        "count": count,
        "stored": stored,
    }
    section = render(options, figures)
    print(section)
    if not options.no_write:
        document = ROOT / "docs" / "performance.md"
        document.write_text(tools.replace_section(document.read_text(), "petitions", section))
    failed = set(signers.statuses) != {201} or count != stored or stored != options.signers
    slow = figures["signs"]["per_second"] < TARGET_PER_SECOND
    return 1 if failed or slow else 0


if __name__ == "__main__":
    sys.exit(main())
