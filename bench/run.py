"""The foundation benchmark: Agora served the way production serves it, its pages measured
against a trivial Django view on the same server in the same run, and the background worker's
memory measured while it sends email.

    .venv/bin/python bench/run.py            # or: make bench
    .venv/bin/python bench/run.py --help     # durations, concurrency, sizes

It creates a PostgreSQL database of its own, migrates and seeds it, serves it with `agora serve`
(gunicorn) in production mode on a free loopback port, loads it with wrk from another process,
runs `agora worker` through a batch of email tasks, rewrites its section of
docs/performance.md, and drops the database and stops every process it started, also on error.
It exits 1 when a process goes over the memory limit, or when a page's CPU ratio (its CPU
time per request over the trivial view's) is over its target or grew past the figure recorded
in docs/performance.md by more than the margin; then it leaves the recorded figures as they
are, unless told with --accept-slower that the page is meant to cost more now. It exits 2
when the bench itself fails.
"""

import argparse
import datetime as dt
import importlib.metadata
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import tools  # noqa: E402 - needs the project root on the path first

SECTION = "foundation"
HEADING = "## Foundation: pages against a trivial view"
DOCUMENT_TITLE = """# Performance

What Agora costs to serve, measured on a real server rather than guessed. Each section below is
written by a benchmark under `bench/`, which rewrites only the text between its own markers.
"""
WRK_SCRIPT = ROOT / "bench" / "wrk_script.lua"
PROFILE_HANDLE = "maria"  # a seeded resident with a public, filled-in profile
GENERATED_DOMAIN = "bench.example"
AREAS = ["Centro", "Riverside", "Norte", "Old Town", "Harbour", "University", "Hillside"]


class BenchError(Exception):
    """The bench could not measure what it set out to measure."""


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    caller: str = "anonymous"  # a key of the callers prepare_data() returns
    expect: str = ""  # text the answer must hold, so we know we measure the page we meant


@dataclass
class Caller:
    """Who sends the requests: the headers of the check before the load, and what wrk needs
    to send the same (extra arguments for bench/wrk_script.lua)."""

    headers: dict[str, str]
    script_arguments: tuple[str, ...] = ()


BASELINE = Endpoint("trivial Django view (baseline)", "/bench/trivial", expect="ok")
ENDPOINTS = [
    BASELINE,
    Endpoint("trivial Django view, signed in", "/bench/trivial", "browser", expect="ok"),
    Endpoint("home page, anonymous", "/", expect="/accounts/signup/"),
    Endpoint("home page, signed in", "/", "browser", expect=f'href="/@{PROFILE_HANDLE}/"'),
    Endpoint("profile page, anonymous", f"/@{PROFILE_HANDLE}/", expect="María López"),
    Endpoint("API: current user", "/api/v1/me", "api_clients", expect="resident00000"),
]

#: The most an endpoint's CPU time per request may be, as a multiple of the trivial view's.
CPU_TARGETS = {"home page, anonymous": 3.0, "home page, signed in": 3.0}


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=4, help="seconds measured per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds over all endpoints")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up, once each")
    parser.add_argument("--connections", type=int, default=8, help="keep-alive connections")
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--web-threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--accounts", type=int, default=10_000, help="generated accounts")
    parser.add_argument("--api-clients", type=int, default=1000, help="accounts with a token")
    parser.add_argument("--emails", type=int, default=200, help="email tasks for the worker")
    parser.add_argument("--memory-limit-mb", type=float, default=150.0)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="agora_bench", help="created, then dropped")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument(
        "--margin",
        type=float,
        default=0.25,
        help="how far a CPU ratio may grow past its recorded figure (0.25: 25%%) before the "
        "bench fails",
    )
    parser.add_argument(
        "--accept-slower",
        action="store_true",
        help="record the figures even when a page grew slower (it is meant to cost more now)",
    )
    options = parser.parse_args(argv)
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", options.database):
        parser.error("--database: lower-case letters, digits and underscores only")
    if not re.fullmatch(r"postgres(ql)?://[^/?#]+", options.postgres):
        parser.error("--postgres: a server URL without a database, postgres://user@host:port")
    if urllib.parse.urlsplit(options.postgres).hostname not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("--postgres: the bench only talks to a server on this machine")
    if not 1 <= options.api_clients <= options.accounts:
        parser.error("--api-clients: between 1 and --accounts")
    return options


# Processes -----------------------------------------------------------------------------------


def proc_stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, process group) of a live process, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1]), int(fields[2])


def group_members(group: int) -> dict[int, int]:
    """The live processes of a process group, each with its parent pid."""
    members = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = proc_stat(int(entry.name))
            if stat and stat[2] == group and stat[0] != "Z":
                members[int(entry.name)] = stat[1]
    return members


def resident_kib(pid: int) -> int:
    """The larger of the current and the peak resident set of a process, in KiB (0 if gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    values = re.findall(r"^(?:VmRSS|VmHWM):\s+(\d+) kB", status, flags=re.MULTILINE)
    return max((int(value) for value in values), default=0)


def start_process(command: list[str], *, log: Path) -> subprocess.Popen:
    """Start a command in a process group of its own, so it and its children can be stopped
    together, and nothing of it outlives the bench."""
    with log.open("ab") as log_file:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_process(process: subprocess.Popen, first_signal: int = signal.SIGTERM) -> None:
    """Ask the group we started to stop; kill what is still there after a grace period."""
    group = process.pid
    if process.poll() is None or group_members(group):
        with suppress(ProcessLookupError):
            os.killpg(group, first_signal)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (process.poll() is None or group_members(group)):
        time.sleep(0.1)
    if process.poll() is None or group_members(group):
        with suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
    process.wait(timeout=10)


def megabytes(kib: int) -> float:
    """/proc counts in KiB; the limit is in MB (10^6 bytes), the stricter reading of it."""
    return kib * 1024 / 1_000_000


class MemorySampler:
    """Samples the resident memory of every process in a group a few times a second, keeping
    each process's peak; VmHWM catches peaks between samples too."""

    def __init__(self, group: int, interval: float = 0.2):
        self.group = group
        self.interval = interval
        self.peaks_kib: dict[int, int] = {}
        self.parents: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        for pid, parent in group_members(self.group).items():
            self.parents[pid] = parent
            self.peaks_kib[pid] = max(self.peaks_kib.get(pid, 0), resident_kib(pid))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> "MemorySampler":
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def peak_mb(self, pid: int) -> float:
        return megabytes(self.peaks_kib.get(pid, 0))

    def web_worker_peaks_mb(self) -> list[float]:
        """Peaks of gunicorn's workers: the processes whose parent is a process of the group
        (`agora serve` becomes gunicorn's master itself, so the workers are the leader's
        children; with `--with-worker` they are one level further down), and that have no
        children of their own. Empty when none was seen, which `measured_web_workers` refuses."""
        parents = set(self.parents.values())
        return [
            megabytes(kib)
            for pid, kib in self.peaks_kib.items()
            if pid != self.group and pid not in parents
        ]


def own_cpu_seconds() -> float:
    """This process (the samplers) and the children it has waited for (every wrk run)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


class ServingCpu:
    """CPU time spent serving the requests: by the server's processes and by the PostgreSQL
    backends of the bench database. Unlike throughput, it hardly changes when other work on
    the machine makes requests wait for a CPU, since waiting costs no CPU time."""

    def __init__(self, server_group: int, database: str):
        self.server_group = server_group
        self.database = database

    def snapshot(self) -> dict[int, float]:
        pids = [*group_members(self.server_group), *tools.database_backends(self.database)]
        return {pid: tools.process_cpu_seconds(pid) for pid in pids}


class CpuAccount:
    """How much of the machine other processes used while the bench measured: the figures
    are only as good as the machine was quiet."""

    def __init__(self, serving: ServingCpu):
        self.serving = serving
        self.other_share = 0.0

    def __enter__(self) -> "CpuAccount":
        self.load_before = tools.load_average()
        self._start = (
            time.monotonic(),
            tools.machine_busy_seconds(),
            self.serving.snapshot(),
            own_cpu_seconds(),
        )
        return self

    def __exit__(self, *exc_info) -> None:
        started, busy_before, serving_before, own_before = self._start
        ours = tools.cpu_spent(serving_before, self.serving.snapshot())
        ours += own_cpu_seconds() - own_before
        other = (tools.machine_busy_seconds() - busy_before) - ours
        capacity = (time.monotonic() - started) * (os.cpu_count() or 1)
        self.other_share = max(0.0, other / capacity) if capacity else 0.0
        self.load_after = tools.load_average()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The database and the data ---------------------------------------------------------------


def admin_connection(server_url: str):
    import psycopg

    return psycopg.connect(f"{server_url}/postgres", autocommit=True)


def recreate_database(server_url: str, name: str) -> str:
    """Create an empty database (dropping a leftover of an interrupted run); return the server
    version."""
    from psycopg import sql

    with admin_connection(server_url) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return connection.execute("SHOW server_version").fetchone()[0]


def drop_database(server_url: str, name: str) -> None:
    from django.conf import settings
    from django.db import connections
    from psycopg import sql

    if settings.configured:
        connections.close_all()
    with admin_connection(server_url) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def production_environment(database_url: str, var_dir: Path) -> None:
    """Set the variables production would set, for this process and every process it starts.
    A `NAME_FILE` variant would win over `NAME`, so those are cleared."""
    from django.core.management.utils import get_random_secret_key

    values = {
        "AGORA_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": get_random_secret_key(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        # The bench speaks plain HTTP on loopback; production has TLS in front of gunicorn.
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "AGORA_VAR_DIR": str(var_dir),
        "AGORA_URLCONF": "bench.urls",
        "EMAIL_BACKEND": "agora.core.mail.FileEmailBackend",
        "EMAIL_FILE_PATH": str(var_dir / "mail"),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "agora.settings",
    }
    # Unset, so they take production's defaults rather than whatever this shell has.
    defaults = ["REDIS_URL", "EMAIL_HOST", "AGORA_TASKS_BACKEND", "AGORA_API_RATE"]
    for name in [*values, *defaults]:
        os.environ.pop(name, None)
        os.environ.pop(f"{name}_FILE", None)
    os.environ.update(values)


def add_accounts(count: int) -> None:
    """Accounts in bulk, so tables and indexes have a realistic size. Nobody signs in as
    them, so they share one unusable password instead of hashing one each."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from agora.accounts.models import User, Verification, Visibility

    now = timezone.now()
    password = make_password(None)
    visibilities = [Visibility.PUBLIC] * 6 + [Visibility.MEMBERS] * 3 + [Visibility.PRIVATE]
    users = [
        User(
            email=f"resident{number:05d}@{GENERATED_DOMAIN}",
            handle=f"resident{number:05d}",
            password=password,
            display_name=f"Resident {number}",
            bio=f"I live in {AREAS[number % len(AREAS)]} and care about my street." * (number % 3),
            home_area=AREAS[number % len(AREAS)],
            preferred_language="es" if number % 3 == 0 else "en",
            profile_visibility=visibilities[number % len(visibilities)],
            verification=Verification.EMAIL_CONFIRMED,
            date_joined=now - dt.timedelta(minutes=7 * number),
        )
        for number in range(count)
    ]
    User.objects.bulk_create(users, batch_size=2000)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users],
        batch_size=2000,
    )


def signed_in_session(user) -> str:
    """A session key for `user`, stored as Django's login would store it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def prepare_data(options, var_dir: Path) -> dict[str, Caller]:
    """Migrate, collect static files, seed, add accounts and their credentials; return the
    callers the endpoints are measured with."""
    import django
    from django.core.management import call_command

    django.setup()

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed", verbosity=0)
    return add_callers(options.accounts, options.api_clients, var_dir)


def add_callers(accounts: int, api_clients: int, var_dir: Path) -> dict[str, Caller]:
    """After the seed: the generated accounts, the API clients' tokens (in a file for wrk) and
    the signed-in browser's session."""
    from django.conf import settings

    from agora.accounts.models import User
    from agora.accounts.services import create_access_token

    add_accounts(accounts)
    # API clients: one token each for the first generated accounts, through the service that
    # the settings page uses. The load takes turns with them (see bench/wrk_script.lua).
    token_secrets = [
        create_access_token(user, name="bench client")[1]
        for user in User.objects.filter(email__endswith=f"@{GENERATED_DOMAIN}").order_by("handle")[
            :api_clients
        ]
    ]
    token_file = var_dir / "tokens.txt"
    token_file.write_text("\n".join(token_secrets) + "\n")
    browser = signed_in_session(User.objects.get_by_handle(PROFILE_HANDLE))
    return {
        "anonymous": Caller({}),
        "browser": Caller({"Cookie": f"{settings.SESSION_COOKIE_NAME}={browser}"}),
        "api_clients": Caller({"Authorization": f"Bearer {token_secrets[0]}"}, (str(token_file),)),
    }


# Serving and measuring -------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def fetch(url: str, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def wait_until_serving(base_url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"the server stopped while starting:\n{tail(log)}")
        try:
            if fetch(f"{base_url}/healthz", {})[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise BenchError(f"the server did not answer /healthz within 60 s:\n{tail(log)}")


def check_endpoints(base_url: str, callers: dict) -> tuple[list[Endpoint], list[str]]:
    """Each endpoint must answer 200 with the text it is known by before it is measured. An
    endpoint that does not exist yet (404) is left out and noted; anything else stops the bench."""
    ready, notes = [], []
    for endpoint in ENDPOINTS:
        status, body = fetch(base_url + endpoint.path, callers[endpoint.caller].headers)
        if status == 404 and endpoint is not BASELINE:
            notes.append(f"{endpoint.name} (`{endpoint.path}`) not measured: it answered 404.")
            continue
        if status != 200 or endpoint.expect not in body:
            raise BenchError(
                f"{endpoint.name}: {endpoint.path} answered {status} "
                f"{'without' if status == 200 else 'instead of 200 with'} {endpoint.expect!r}:\n"
                f"{body[:500]}"
            )
        ready.append(endpoint)
    return ready, notes


def run_wrk(url: str, caller: Caller, *, seconds: int, options) -> tools.WrkRun:
    command = [
        "wrk",
        f"--threads={options.wrk_threads}",
        f"--connections={options.connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={WRK_SCRIPT}",
        *(f"--header={name}: {value}" for name, value in caller.headers.items()),
        url,
        *(["--", *caller.script_arguments] if caller.script_arguments else []),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if result.returncode != 0:
        raise BenchError(f"wrk failed ({result.returncode}): {result.stderr.strip()}")
    return tools.parse_wrk_report(result.stdout)


def measure_endpoints(
    base_url, endpoints, callers, options, serving: ServingCpu
) -> list[tools.Measurement]:
    """Each endpoint is warmed up once, then measured in short rounds. Every round visits
    every endpoint, starting one endpoint later than the round before: a burst of other work on
    the machine then falls on all endpoints alike, and none is always measured first."""
    measurements = {
        endpoint: tools.Measurement(endpoint.name, endpoint.path) for endpoint in endpoints
    }
    for endpoint in endpoints:
        if options.warmup:
            caller = callers[endpoint.caller]
            run_wrk(base_url + endpoint.path, caller, seconds=options.warmup, options=options)
    for round_number in range(options.rounds):
        shift = round_number % len(endpoints)
        for endpoint in endpoints[shift:] + endpoints[:shift]:
            caller = callers[endpoint.caller]
            cpu_before = serving.snapshot()
            run = run_wrk(
                base_url + endpoint.path, caller, seconds=options.duration, options=options
            )
            run.cpu_seconds = tools.cpu_spent(cpu_before, serving.snapshot())
            if run.error_count:
                # A "status" error is an answer other than 2xx/3xx, such as a 429.
                raise BenchError(f"{endpoint.name}: errors under load: {run.errors}")
            measurements[endpoint].runs.append(run)
            print(
                f"  round {round_number + 1}: {endpoint.name:32} "
                f"{run.requests / (run.duration_us / 1e6):8.0f} req/s  "
                f"p50 {tools.format_ms(tools.percentile(run.latency, 50)):>9}  "
                f"p99 {tools.format_ms(tools.percentile(run.latency, 99)):>9}  "
                f"CPU {tools.format_ms(run.cpu_seconds / run.requests * 1e6):>9}/request",
                flush=True,
            )
    return [measurements[endpoint] for endpoint in endpoints]


def start_serving(
    port: int,
    log: Path,
    stack: ExitStack,
    *,
    workers: int | None = None,
    threads: int | None = None,
) -> subprocess.Popen:
    """`agora serve` on the port (gunicorn's workers and threads when given, `agora serve`'s
    own defaults otherwise), stopped when the stack closes."""
    command = [sys.executable, "-m", "agora.cli", "serve", "--host=127.0.0.1", f"--port={port}"]
    if workers is not None:
        command.append(f"--workers={workers}")
    if threads is not None:
        command.append(f"--threads={threads}")
    server = start_process(command, log=log)
    # SIGINT: `agora serve` passes it to gunicorn, which stops at once.
    stack.callback(stop_process, server, signal.SIGINT)
    return server


def serve_and_measure(options, callers, var_dir: Path, stack: ExitStack) -> dict:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = var_dir / "serve.log"
    server = start_serving(
        port, log, stack, workers=options.web_workers, threads=options.web_threads
    )
    wait_until_serving(base_url, server, log)
    endpoints, notes = check_endpoints(base_url, callers)
    print(f"Serving at {base_url}; measuring {len(endpoints)} endpoints", flush=True)
    serving = ServingCpu(server.pid, options.database)
    try:
        with MemorySampler(server.pid, interval=0.5) as sampler, CpuAccount(serving) as cpu:
            measurements = measure_endpoints(base_url, endpoints, callers, options, serving)
    except BenchError as error:
        messages = tail(log, without="127.0.0.1 - ")  # the server's own lines, not the access log
        raise BenchError(f"{error}\nThe server's log ends with:\n{messages}") from error
    stop_process(server, signal.SIGINT)
    if cpu.other_share > 0.1:
        print(
            f"bench: other processes used {cpu.other_share:.0%} of the CPUs while measuring; "
            "the figures are noisier than on a quiet machine",
            file=sys.stderr,
        )
    return {
        "measurements": measurements,
        "other_cpu_share": cpu.other_share,
        "load_average": (cpu.load_before, cpu.load_after),
        "notes": notes,
        "web_worker_peaks_mb": measured_web_workers(sampler.web_worker_peaks_mb(), options),
    }


def measured_web_workers(peaks: list[float], options) -> list[float]:
    """The workers' peaks, or a failure: a bench that found no worker (or fewer than it
    started) did not measure their memory and must not print a verdict about it."""
    expected = options.web_workers
    if len(peaks) < expected or not all(peak > 0 for peak in peaks):
        raise BenchError(
            f"found the memory of {len(peaks)} of the {expected} gunicorn workers; "
            "their memory was not measured"
        )
    return peaks


def run_worker(options, var_dir: Path, stack: ExitStack) -> dict:
    """Start `agora worker`, hand it email tasks, and follow its memory until they are done."""
    from django.conf import settings
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from agora.core.tasks import send_email

    log = var_dir / "worker.log"
    worker = start_process([sys.executable, "-m", "agora.cli", "worker"], log=log)
    stack.callback(stop_process, worker)
    deadline = time.monotonic() + 60
    while "Starting worker" not in log.read_text(errors="replace"):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise BenchError(f"the worker did not start:\n{tail(log)}")
        time.sleep(0.1)
    at_rest_mb = megabytes(resident_kib(worker.pid))
    paragraph = (
        "The Roads and Mobility office has answered your question about the bike lane on "
        "Calle Mayor. Read the answer and the timeline of your case on Agora. "
    )
    with MemorySampler(worker.pid, interval=0.05) as sampler:
        started = time.monotonic()
        enqueued = []
        for number in range(options.emails):
            result = send_email.enqueue(
                subject=f"Your case #{number} has an answer",
                body="\n\n".join([paragraph * 3] * 4),
                html="".join(f"<p>{paragraph * 3}</p>" for _ in range(4)),
                to=[f"resident{number:05d}@{GENERATED_DOMAIN}"],
                from_email=settings.DEFAULT_FROM_EMAIL,
            )
            enqueued.append(result.id)
        # Only these tasks: the database also holds what seeding and the load queued.
        finished = DBTaskResult.objects.filter(
            pk__in=enqueued, status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
        )
        while finished.count() < options.emails:
            if worker.poll() is not None or time.monotonic() > started + 300:
                raise BenchError(f"the worker did not finish the tasks:\n{tail(log)}")
            time.sleep(0.1)
        seconds = time.monotonic() - started
    failed = DBTaskResult.objects.filter(pk__in=enqueued, status=TaskResultStatus.FAILED).count()
    stop_process(worker)
    if failed:
        raise BenchError(f"{failed} email tasks failed:\n{tail(log)}")
    messages = count_messages(var_dir / "mail", options.emails)
    check_every_message_written(options.emails, messages)
    return {
        "tasks": options.emails,
        "seconds": seconds,
        "at_rest_mb": at_rest_mb,
        "peak_mb": sampler.peak_mb(worker.pid),
        "messages": messages,
    }


def check_every_message_written(tasks: int, messages: int) -> None:
    """Each email task writes one message; fewer means the figure measured lost work."""
    if messages != tasks:
        raise BenchError(
            f"{tasks} email tasks finished but {messages} messages were written; "
            "the worker's figures would describe work that did not happen"
        )


def count_messages(directory: Path, tasks: int | None = None) -> int:
    """Messages the file email backend wrote; with `tasks`, only those the bench's own email
    tasks sent (to resident00000… at the generated domain), not what seeding queued."""
    wanted = None
    if tasks is not None:
        wanted = {f"To: resident{number:05d}@{GENERATED_DOMAIN}" for number in range(tasks)}
    return sum(
        1
        for path in directory.iterdir()
        for line in path.read_text(errors="replace").splitlines()
        if (line.startswith("Subject: ") if wanted is None else line in wanted)
    )


def tail(path: Path, lines: int = 30, *, without: str | None = None) -> str:
    """The last lines of a log, leaving out those that start with `without`."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    kept = [line for line in text.splitlines() if not (without and line.startswith(without))]
    return "\n".join(kept[-lines:])


# The report ---------------------------------------------------------------------------------


def machine_description(postgres_version: str) -> dict[str, str]:
    cpu_model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    memory_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
    os_release = Path("/etc/os-release").read_text()
    system = re.search(r'^PRETTY_NAME="?([^"\n]+)', os_release, flags=re.MULTILINE)
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    return {
        "cpus": f"{os.cpu_count()} × {cpu_model}",
        "memory": f"{memory_kib / 1024 / 1024:.0f} GiB",
        "system": f"{system[1] if system else platform.system()}, Linux {platform.release()}",
        "python": platform.python_version(),
        "postgresql": postgres_version,
        "django": importlib.metadata.version("django"),
        "gunicorn": importlib.metadata.version("gunicorn"),
        "wrk": wrk_version.split("[")[0].replace("wrk", "").strip() or "unknown",
    }


def render_section(options, machine, served, worker, started) -> str:
    measurements = served["measurements"]
    baseline = measurements[ENDPOINTS.index(BASELINE)]
    web_peak = max(served["web_worker_peaks_mb"], default=0.0)
    limit = options.memory_limit_mb
    verdict = "within" if max(web_peak, worker["peak_mb"]) <= limit else "**over**"
    lines = [
        HEADING,
        "",
        f"Written by `make bench` (`bench/run.py`) on {started:%Y-%m-%d %H:%M} UTC; "
        "rerun it rather than editing this section.",
        "",
        f"- **Machine:** {machine['cpus']}, {machine['memory']} memory, {machine['system']}; "
        f"Python {machine['python']}, Django {machine['django']}, "
        f"PostgreSQL {machine['postgresql']} on the same machine.",
        f"- **Server:** `agora serve`: gunicorn {machine['gunicorn']}, gthread, "
        f"{options.web_workers} workers × {options.web_threads} threads, on 127.0.0.1, "
        "access log on; `AGORA_ENV=production`, `DEBUG` off, persistent database connections, "
        "no Redis (so the cache is files shared by the workers, production's default without "
        "`REDIS_URL`), static files collected (WhiteNoise). The trivial view comes from "
        "the bench-only URL map `bench/urls.py`, so it passes the same middleware as every page.",
        f"- **Load:** wrk {machine['wrk']} on the same machine over loopback, "
        f"{options.wrk_threads} thread, {options.connections} keep-alive connections; "
        f"each endpoint warmed up for {options.warmup} s, then measured in {options.rounds} "
        f"rounds of {options.duration} s, the rounds interleaved across endpoints; "
        "percentiles over all rounds' requests.",
        f"- **Other load:** processes outside the bench used {served['other_cpu_share']:.0%} "
        "of the CPUs while it measured (load average "
        f"{served['load_average'][0]:.1f} before, {served['load_average'][1]:.1f} after).",
        f"- **Data:** the demo accounts of `agora seed` and {options.accounts:,} generated "
        f"accounts. Signed in means a session cookie of @{PROFILE_HANDLE} (who reads in "
        f"Spanish). The API calls take turns with the personal access tokens of "
        f"{options.api_clients:,} generated accounts, so each stays within its budget "
        "(`AGORA_API_RATE`, production's default) as real clients would.",
        "",
        tools.results_table(measurements, baseline),
        "",
        "rps ratio: the endpoint's requests per second divided by the trivial view's "
        "(1.00 is as fast as the trivial view; lower is slower). p50, p99 and CPU ratios: the "
        "endpoint's figure divided by the trivial view's (higher is slower). CPU/request is "
        "the CPU time of the gunicorn processes and of the PostgreSQL backends serving them, "
        "read from /proc, divided by the requests answered; waiting for a CPU costs none, so "
        "it is the figure least moved by other work on the machine. The server and wrk share "
        "the CPUs, so the absolute figures are lower than on a dedicated server; compare "
        "ratios between runs. The second row is the trivial view with the signed-in session "
        "cookie: what being signed in costs before a page does anything (the session and the "
        "account are read).",
        "",
        "**The home page** answers from `core.pagecache`: rendered once per change of what "
        "it shows, for all anonymous visitors and for each signed-in person, with each "
        "request's own CSRF token put in. A signed-in request reads its session from the "
        "cache and its account and unread count with statements PostgreSQL keeps prepared "
        "(`core.prepared.server_prepared_cursor`).",
        "",
        "**Gate:** the bench fails, and leaves this section as it was, when an endpoint's CPU "
        f"ratio grew more than {options.margin:.0%} past the figure recorded here, or when a "
        "home page's is over its target of "
        f"{CPU_TARGETS['home page, anonymous']:.0f} (`CPU_TARGETS` in `bench/run.py`).",
        "",
        f"**Memory:** peak resident set (the larger of sampled VmRSS and VmHWM, in MB of "
        f"10⁶ bytes) against a limit of {limit:.0f} MB per process: {verdict} the limit.",
        "",
        "| process | at rest | peak | work |",
        "|---|---:|---:|---|",
        f"| background worker (`agora worker`) | {worker['at_rest_mb']:.1f} MB "
        f"| {worker['peak_mb']:.1f} MB | {worker['tasks']} email tasks in "
        f"{worker['seconds']:.1f} s ({worker['tasks'] / worker['seconds']:.0f}/s), "
        f"{worker['messages']} messages written |",
        f"| web worker (gunicorn, largest of {len(served['web_worker_peaks_mb'])}) | | "
        f"{web_peak:.1f} MB | the load above |",
    ]
    if served["notes"]:
        lines += ["", *(f"Note: {note}" for note in served["notes"])]
    return "\n".join(lines)


def write_report(path: Path, section: str) -> None:
    document = path.read_text() if path.exists() else DOCUMENT_TITLE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tools.replace_section(document, SECTION, section))


def main(argv: list[str] | None = None) -> int:
    options = parse_arguments(argv)
    if shutil.which("wrk") is None:
        print("bench: wrk is needed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    # A plain `kill` of the bench still stops the server and the worker and drops the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = dt.datetime.now(dt.UTC)
    var_dir = Path(tempfile.mkdtemp(prefix="agora-bench-"))
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, var_dir, ignore_errors=True)
        try:
            print(f"Creating database {options.database}", flush=True)
            postgres_version = recreate_database(options.postgres, options.database)
            stack.callback(drop_database, options.postgres, options.database)
            production_environment(f"{options.postgres}/{options.database}", var_dir)
            print("Migrating, collecting static files, seeding, adding accounts", flush=True)
            callers = prepare_data(options, var_dir)
            served = serve_and_measure(options, callers, var_dir, stack)
            print(f"Running the worker through {options.emails} email tasks", flush=True)
            worker = run_worker(options, var_dir, stack)
        except BenchError as error:
            print(f"bench: {error}", file=sys.stderr)
            return 2
    section = render_section(
        options,
        machine_description(postgres_version),
        served,
        worker,
        started,
    )
    measurements = served["measurements"]
    slower = tools.slower_pages(
        measurements,
        measurements[ENDPOINTS.index(BASELINE)],
        recorded=tools.recorded_cpu_ratios(
            options.output.read_text() if options.output.exists() else "", SECTION
        ),
        margin=options.margin,
        targets=CPU_TARGETS,
    )
    if slower and not options.accept_slower:
        print(f"\n{section}\n", flush=True)
        print(
            "bench: slower than recorded or over target; "
            f"{options.output} keeps its figures:\n  " + "\n  ".join(slower),
            "\nMake the page cheaper, or rerun with --accept-slower if it is meant to cost "
            "more (and say why in the commit).",
            file=sys.stderr,
        )
        return 1
    write_report(options.output, section)
    print(f"\n{section}\n\nWritten to {options.output}")
    peaks = [worker["peak_mb"], *served["web_worker_peaks_mb"]]
    if max(peaks) > options.memory_limit_mb:
        print(
            f"bench: a process went over {options.memory_limit_mb:.0f} MB resident "
            f"(worker {worker['peak_mb']:.1f} MB, web workers "
            f"{', '.join(f'{peak:.1f}' for peak in served['web_worker_peaks_mb'])} MB)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
