"""Social speed at size: 100,000 people, 1,000,000 posts, 5,000,000 follows and 5,000,000
likes on PostgreSQL, then the server time of the home feed and the profile pages for a person
following 200 people, one following 5,000 and one following 50.

Run `.venv/bin/python bench/social.py`. It creates the database `agora_bench_social` on
127.0.0.1:5432 (user `postgres`), migrates it, fills it with COPY (about three minutes), then
measures each page in this process through Django's WSGI handler (server time and CPU time
per request, with what else ran on the machine), explains the query that picks the home
feed's posts, and loads the home feeds through `agora serve` with wrk (left out when wrk is
missing or with `--wrk-seconds 0`). It writes the section between `<!-- bench:social:start
-->` and `<!-- bench:social:end -->` of docs/performance.md and drops the database (`--keep`
keeps it, `--reuse` measures a kept one again without generating). It exits 1 when a home
feed's in-process p99 is 50 ms or more.
"""

import argparse
import gc
import io
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SERVER = "postgres://postgres@127.0.0.1:5432"
P99_LIMIT_MS = 50.0
CHUNK = 500_000
SENTENCES = [
    "The bus stop on Mill Road needs a shelter",
    "Thanks to the parks team for the new benches",
    "Who decides when the library opens on Sundays?",
    "Street lights on Elm Avenue are out again",
    "Great turnout at the neighbourhood meeting tonight",
    "Can we have a safe crossing near the school?",
    "The recycling collection moved to Thursdays",
    "Our street would love more trees",
]
USER_COLUMNS = [
    *("id", "password", "is_superuser", "email", "handle", "display_name", "bio", "avatar"),
    *("home_area", "preferred_language", "profile_visibility", "connections_visibility"),
    *("role", "verification", "verification_method", "is_active", "is_staff", "date_joined"),
    *("session_generation", "kind", "kind_detail", "hide_counts"),
]
POST_COLUMNS = [
    *("id", "author_id", "body", "body_html", "visibility", "reply_policy", "created_at"),
    *("like_count", "comment_count", "share_count"),
    *("moderation_state", "service_information"),
]
TAGS = ["parks", "transport", "safety", "libraries", "recycling", "trees", "schools", "budget"]


def setup_django(database: str) -> None:
    os.environ["AGORA_ENV"] = "test"
    # The API's per-account budget would answer most measured requests with 429.
    os.environ["AGORA_API_RATE"] = "1000000/m"
    # One connection for the whole run, so its backend's CPU time is counted to the end.
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}?conn_max_age=3600"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
    import django

    django.setup()


def copy_rows(cursor, table: str, columns: list[str], lines) -> None:
    """COPY text lines (tab-separated, newline-terminated) into a table, in chunks."""
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with cursor.copy(statement) as copy:
        buffer = io.StringIO()
        for count, line in enumerate(lines, start=1):
            buffer.write(line)
            if count % CHUNK == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())


def copy_pairs(cursor, table: str, columns: list[str], pairs: np.ndarray, stamp: str) -> None:
    """COPY integer pairs with a constant timestamp column, formatted by NumPy."""
    statement = f"COPY {table} ({', '.join(columns)}, created_at) FROM STDIN"
    with cursor.copy(statement) as copy:
        for start in range(0, len(pairs), CHUNK):
            buffer = io.BytesIO()
            np.savetxt(buffer, pairs[start : start + CHUNK], fmt="%d", delimiter="\t")
            text = buffer.getvalue().decode().replace("\n", f"\t{stamp}\n")
            copy.write(text)


def unique_pairs(generator, count: int, left: int, right: int, *, no_self: bool) -> np.ndarray:
    """About `count` distinct (a, b) pairs with a < left and b < right, ids from 1."""
    drawn = int(count * 1.02)
    a = generator.integers(1, left + 1, drawn, dtype=np.int64)
    b = generator.integers(1, right + 1, drawn, dtype=np.int64)
    if no_self:
        keep = a != b
        a, b = a[keep], b[keep]
    keys = np.unique(a * (right + 1) + b)[:count]
    return np.column_stack((keys // (right + 1), keys % (right + 1)))


def generate(people: int, posts: int, follows: int, likes: int, seed: int = 11) -> dict:
    """Fill the database; return the ids of the two measured people."""
    from django.db import connection

    generator = np.random.default_rng(seed)
    now = datetime.now(UTC)
    stamp = now.isoformat()
    timings = {}
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own cursor, for COPY
        # The generator makes only valid ids, so the foreign-key triggers (one queued check per
        # row) are switched off while loading; they cost more than the COPY itself.
        cursor.execute("SET session_replication_role = replica")

        started = time.perf_counter()
        roles = np.where(generator.random(people) < 0.01, "official", "resident")
        copy_rows(
            cursor,
            "accounts_user",
            USER_COLUMNS,
            (
                f"{n}\t!\tf\tperson{n}@bench.example\tperson{n}\tPerson {n}\t\t\t\t\t"
                f"public\tpublic\t{roles[n - 1]}\temail_confirmed\t\tt\tf\t{stamp}\t0\t"
                "resident\t\t\n"
                for n in range(1, people + 1)
            ),
        )
        timings["people"] = time.perf_counter() - started

        # The likes are drawn first, so each post's counter goes in with the post.
        like_pairs = unique_pairs(generator, likes, people, posts, no_self=False)
        like_counts = np.bincount(like_pairs[:, 1], minlength=posts + 1)
        # The full-text index is built once after loading rather than row by row.
        cursor.execute("DROP INDEX IF EXISTS social_post_body_fts")

        started = time.perf_counter()
        authors = generator.integers(1, people + 1, posts)
        ages = np.sort(generator.integers(0, 365 * 24 * 3600, posts))[::-1]
        created = [
            datetime.fromtimestamp(now.timestamp() - int(age), UTC).isoformat() for age in ages
        ]
        visibility = np.where(
            generator.random(posts) < 0.9,
            "public",
            np.where(generator.random(posts) < 0.7, "followers", "connections"),
        )
        sentence = generator.integers(0, len(SENTENCES), posts)
        tag = generator.integers(0, len(TAGS), posts)
        copy_rows(
            cursor,
            "social_post",
            POST_COLUMNS,
            (
                f"{n + 1}\t{authors[n]}\t{SENTENCES[sentence[n]]} #{TAGS[tag[n]]}\t"
                f"<p>{SENTENCES[sentence[n]]} "
                f'<a href="/tags/{TAGS[tag[n]]}/" class="hashtag">#{TAGS[tag[n]]}</a></p>\t'
                f"{visibility[n]}\teveryone\t{created[n]}\t{like_counts[n + 1]}\t0\t0\tvisible\tf\n"
                for n in range(posts)
            ),
        )
        timings["posts"] = time.perf_counter() - started

        started = time.perf_counter()
        # Person 1 follows 200 people, person 2 follows 5,000, person 3 follows 50 (about
        # what everyone else follows, at random).
        special = [
            np.column_stack((np.full(200, 1), np.arange(101, 301))),
            np.column_stack((np.full(5000, 2), np.arange(1001, 6001))),
            np.column_stack((np.full(50, 3), np.arange(7001, 7051))),
        ]
        random_pairs = unique_pairs(generator, follows - 5250, people, people, no_self=True)
        random_pairs = random_pairs[random_pairs[:, 0] > len(special)]
        follow_pairs = np.concatenate([*special, random_pairs])
        copy_pairs(cursor, "social_follow", ["follower_id", "followee_id"], follow_pairs, stamp)
        timings["follows"] = time.perf_counter() - started

        started = time.perf_counter()
        copy_pairs(cursor, "social_postlike", ["user_id", "post_id"], like_pairs, stamp)
        timings["likes"] = time.perf_counter() - started

        started = time.perf_counter()
        cursor.execute(
            "INSERT INTO social_tag (name, key, created_at) "
            "SELECT name, name, now() FROM unnest(%s::text[]) AS name",
            [TAGS],
        )
        cursor.execute(
            "INSERT INTO social_post_tags (post_id, tag_id) SELECT post.id, tag.id "
            "FROM social_post post JOIN social_tag tag ON post.body LIKE '%%#' || tag.name"
        )
        for table in ("accounts_user", "social_post", "social_follow", "social_postlike"):
            # The table names are the constants above, never input.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute(
            "CREATE INDEX social_post_body_fts ON social_post "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(body, '')))"
        )
        timings["tags and search index"] = time.perf_counter() - started
        cursor.execute("SET session_replication_role = DEFAULT")
    from django.db import connection as django_connection

    django_connection.ensure_connection()
    raw = django_connection.connection
    previous = raw.autocommit
    raw.autocommit = True
    started = time.perf_counter()
    raw.execute("VACUUM ANALYZE")
    raw.autocommit = previous
    settle_planner(connection.settings_dict["NAME"])
    connection.close()  # the next session takes the database's new setting
    timings["vacuum analyze"] = time.perf_counter() - started
    return {"timings": timings, "follows": len(follow_pairs), "likes": len(like_pairs)}


def settle_planner(database: str) -> None:
    """What docs/performance.md recommends for production: no parallel plans and no JIT
    compilation for the app's short queries. On two cores, starting parallel workers for a
    feed page costs more than the whole page's query, and compiling a feed query with LLVM
    (which PostgreSQL does once a plan's estimated cost passes `jit_above_cost`) takes longer
    than running it. Agora's own connections turn parallel plans off (agora/core/env.py)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        for setting in ("max_parallel_workers_per_gather = 0", "jit = off"):
            connection.execute(
                sql.SQL("ALTER DATABASE {} SET " + setting).format(sql.Identifier(database))
            )


# Measuring in this process -----------------------------------------------------------------


@dataclass
class Figures:
    """One page measured in this process: wall-clock server time per request (routing,
    middleware, session, view, queries, template), this thread's CPU time per request, and
    the CPU time of the database's backends over all requests, per request."""

    wall_ms: list[float]
    cpu_ms: list[float]
    database_cpu_ms: float
    queries: int

    def wall(self, q: float) -> float:
        return percentile(self.wall_ms, q)

    @property
    def cpu_mean_ms(self) -> float:
        return statistics.fmean(self.cpu_ms)

    def work(self, q: float) -> float:
        """The CPU time a request costs, app and database, at a percentile of the app's:
        what the server time would be with a CPU to itself."""
        return percentile(self.cpu_ms, q) + self.database_cpu_ms


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile, as bench/tools.py computes it for wrk's histograms."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def environ_for(path: str, cookie: str) -> dict:
    path_only, _sep, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_only,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


class InProcess:
    """Requests through Django's own WSGI handler, the one gunicorn calls, in this process:
    no network, no HTTP parsing, no other process waiting in line for a CPU in between."""

    def __init__(self, database: str):
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()
        self.database = database

    def get(self, path: str, cookie: str) -> tuple[str, str]:
        status = []
        response = self.handler(
            environ_for(path, cookie), lambda line, headers: status.append(line)
        )
        try:
            body = b"".join(response).decode()
        finally:
            response.close()  # request_finished, as a WSGI server would send it
        return status[0], body

    def statements(self, path: str, cookie: str) -> list[tuple[str, tuple]]:
        """The SQL of one request (the handler resets Django's own query log as it starts)."""
        from django.db import connection

        seen = []

        def record(execute, sql, params, many, context):
            seen.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            self.get(path, cookie)
        return seen

    def database_cpu(self) -> dict[int, float]:
        from bench.tools import database_backends, process_cpu_seconds

        return {pid: process_cpu_seconds(pid) for pid in database_backends(self.database)}

    def measure(self, path: str, cookie: str, runs: int, expect: str) -> Figures:
        from bench.tools import cpu_spent

        for _ in range(10):
            status, body = self.get(path, cookie)
            if not status.startswith("200") or expect not in body:
                raise RuntimeError(f"{path} answered {status} without {expect!r}")
        captured = self.statements(path, cookie)
        wall, cpu = [], []
        database_before = self.database_cpu()
        for _ in range(runs):
            cpu_started, started = time.thread_time(), time.perf_counter()
            status, _body = self.get(path, cookie)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - cpu_started) * 1000)
            if not status.startswith("200"):
                raise RuntimeError(f"{path} answered {status}")
        database = cpu_spent(database_before, self.database_cpu()) * 1000 / runs
        return Figures(wall, cpu, database, len(captured))


def children_cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class OtherLoad:
    """What else ran on the machine while the bench measured: the share of the CPUs other
    processes took, and which commands took most of it."""

    def __init__(self, own: Callable[[], set[int]]):
        self.own = own

    @staticmethod
    def processes() -> dict[int, tuple[str, float]]:
        from bench.tools import command_lines, process_cpu_seconds

        return {
            pid: (command_name(words), process_cpu_seconds(pid)) for pid, words in command_lines()
        }

    def __enter__(self) -> "OtherLoad":
        from bench.tools import load_average, machine_busy_seconds, stolen_seconds

        self.load_before = load_average()
        self.started = time.monotonic()
        self.busy_before = machine_busy_seconds()
        self.steal_before = stolen_seconds()
        self.before = self.processes()
        self.children_before = children_cpu_seconds()
        return self

    def __exit__(self, *exc_info) -> None:
        from bench.tools import load_average, machine_busy_seconds, stolen_seconds

        after = self.processes()
        own = self.own()
        spent: dict[str, float] = {}
        ours = 0.0
        for pid, (name, seconds) in after.items():
            delta = seconds - self.before.get(pid, (name, 0.0))[1]
            if pid in own:
                ours += delta
            elif delta > 0:
                spent[name] = spent.get(name, 0.0) + delta
        # Children that ran and ended meanwhile (a worker process) were the bench's own too.
        ours += children_cpu_seconds() - self.children_before
        capacity = (time.monotonic() - self.started) * (os.cpu_count() or 1)
        other = machine_busy_seconds() - self.busy_before - ours
        self.share = max(0.0, other / capacity)
        self.steal = max(0.0, (stolen_seconds() - self.steal_before) / capacity)
        self.top = sorted(spent.items(), key=lambda item: -item[1])[:4]
        self.capacity = capacity
        self.load_after = load_average()

    def describe(self) -> str:
        shown = ", ".join(
            f"{name} {seconds / self.capacity:.0%}" for name, seconds in self.top if seconds
        )
        return (
            f"other processes used {self.share:.0%} of the CPUs (load average "
            f"{self.load_before:.1f} before, {self.load_after:.1f} after)"
            + (f"; most of it: {shown}" if shown else "")
            + f"; the hypervisor kept {self.steal:.0%} of the CPU time for other machines "
            "(steal)"
        )


def command_name(words: list[bytes]) -> str:
    """A short name for a process: pytest, chromium, postgres, wrk, gunicorn, python …"""
    text = [part for word in words for part in word.decode(errors="replace").split()]
    if not text:
        return "kernel"
    if any("chrom" in word for word in text[:2]):
        return "chromium"
    if text[0].startswith("postgres"):
        return "postgres (other databases)"
    if any("sys.stdin.readline" in word for word in text):
        return "pytest-xdist worker"
    for word in text[:4]:
        base = word.rsplit("/", 1)[-1]
        if base.startswith("-"):
            continue
        if base in {"pytest", "gunicorn", "ruff", "chromium", "chrome", "wrk", "playwright"}:
            return base
        if base.startswith(("python", "node")):
            continue
        return base[:40]
    return text[0].rsplit("/", 1)[-1][:40]


def plan_of(person) -> dict:
    """EXPLAIN ANALYZE of the statement that picks a first home page's posts: which plan it
    chose, how long planning and running took, and how long with PostgreSQL's default JIT
    compilation on."""
    from django.db import connection

    from agora.social import feeds

    options = {"feed_filter": "everyone", "limit": feeds.PAGE_SIZE + 1}
    _ids, plan = feeds.home_page_ids(person, None, **options)
    sql, params = feeds.bound_home_statement(person, None, **options)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        explained = cursor.fetchone()[0][0]
        cursor.execute("SET jit = on")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        jit = cursor.fetchone()[0][0]
        cursor.execute("RESET jit")
    return {
        "per_author": plan == "per author",
        "execution_ms": explained["Execution Time"],
        "planning_ms": explained["Planning Time"],
        "cost": explained["Plan"]["Total Cost"],
        "with_jit_ms": jit["Execution Time"] + jit["Planning Time"],
        "jit_ms": jit.get("JIT", {}).get("Timing", {}).get("Total", 0.0),
    }


def phases_of(person, runs: int = 60) -> dict[str, float]:
    """CPU time per home feed page (first page, everyone) of its two big parts, outside the
    request: picking and fetching the posts (`home_feed` and `page_of`: building and
    compiling the querysets, the queries, the model instances) and rendering `home.html`
    with the card cache warm."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import get_token
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from agora.social import feeds
    from agora.social.forms import PostForm

    request = RequestFactory().get("/home/")
    request.user, request.session = person, SessionStore()
    request._messages = FallbackStorage(request)
    get_token(request)

    def cpu_ms(work) -> float:
        work()
        started = time.thread_time()
        for _ in range(runs):
            work()
        return (time.thread_time() - started) * 1000 / runs

    page = feeds.home_page(person, None)
    context = {"page": page, "feed_filter": "everyone", "form": PostForm(user=person)}
    return {
        "feed": cpu_ms(lambda: feeds.home_page(person, None)),
        "template": cpu_ms(lambda: render_to_string("social/home.html", context, request)),
    }


# Measuring through a server ----------------------------------------------------------------


def measure_with_wrk(options, database: str, endpoints: list[tuple[str, str, str, int]]) -> list:
    """Serve the bench database with `agora serve` (gunicorn, production settings) and load
    each endpoint with wrk; the latency then includes HTTP, gunicorn and waiting for a CPU
    shared with wrk and everything else on the machine."""
    import shutil
    import tempfile
    from contextlib import ExitStack
    from types import SimpleNamespace

    from bench import run, tools

    if shutil.which("wrk") is None:
        print("wrk is not installed: the measurement through a server is left out", flush=True)
        return []
    results = []
    with ExitStack() as stack:
        var_dir = Path(tempfile.mkdtemp(prefix="agora-bench-social-"))
        stack.callback(shutil.rmtree, var_dir, ignore_errors=True)
        saved = dict(os.environ)
        stack.callback(lambda: (os.environ.clear(), os.environ.update(saved)))
        run.production_environment(f"{SERVER}/{database}", var_dir)
        os.environ["AGORA_API_RATE"] = "1000000/m"  # one account calls far over its budget
        subprocess.run(
            [sys.executable, "-m", "agora.cli", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            check=True,
        )
        port = run.free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = var_dir / "serve.log"
        server = run.start_serving(port, log, stack)
        run.wait_until_serving(base_url, server, log)

        serving_cpu = run.ServingCpu(server.pid, database).snapshot

        wrk_options = SimpleNamespace(wrk_threads=1, connections=options.wrk_connections)
        from django.conf import settings
        from django.test.utils import override_settings

        from agora.accounts.models import User

        cookies = {}
        with override_settings(SECRET_KEY=os.environ["SECRET_KEY"]):  # the server's key
            for person_id in {person_id for *_rest, person_id in endpoints}:
                session = run.signed_in_session(User.objects.get(pk=person_id))
                cookies[person_id] = f"{settings.SESSION_COOKIE_NAME}={session}"
        for label, name, path, person_id in endpoints:
            caller = run.Caller({"Cookie": cookies[person_id]})
            status, _body = run.fetch(base_url + path, caller.headers)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} through the server")
            run.run_wrk(base_url + path, caller, seconds=2, options=wrk_options)
            before = serving_cpu()
            measured = run.run_wrk(
                base_url + path, caller, seconds=options.wrk_seconds, options=wrk_options
            )
            measured.cpu_seconds = tools.cpu_spent(before, serving_cpu())
            if measured.error_count:
                raise RuntimeError(f"{path}: errors under load: {measured.errors}")
            measurement = tools.Measurement(name, path, [measured])
            results.append((label, name, path, measurement))
            print(
                f"wrk {label:16} {name:22} p50 {measurement.latency_us(50) / 1000:6.1f} ms  "
                f"p99 {measurement.latency_us(99) / 1000:6.1f} ms  "
                f"{measurement.requests_per_second:5.0f}/s  "
                f"CPU {measurement.cpu_us_per_request / 1000:5.1f} ms/request",
                flush=True,
            )
    return results


# The run -----------------------------------------------------------------------------------

VIEWERS = ((1, "following 200"), (2, "following 5,000"), (3, "following 50"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="agora_bench_social")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--follows", type=int, default=5_000_000)
    parser.add_argument("--likes", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=200, help="requests per page in-process")
    parser.add_argument("--wrk-seconds", type=int, default=5, help="0 leaves wrk out")
    parser.add_argument("--wrk-connections", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database")
    parser.add_argument("--no-write", action="store_true", help="print, do not edit the docs")
    options = parser.parse_args()
    from bench import run

    if not options.reuse:
        run.recreate_database(SERVER, options.database)
    setup_django(options.database)
    from django.conf import settings
    from django.core.management import call_command

    from agora.accounts.models import User

    generated = None
    results, plans, served = [], {}, []
    try:
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        if not options.reuse:
            generated = generate(options.people, options.posts, options.follows, options.likes)
            generated["total"] = time.perf_counter() - started
            print("generated:", generated, flush=True)
        else:
            from agora.social.models import Follow, PostLike

            generated = {"follows": Follow.objects.count(), "likes": PostLike.objects.count()}
        settle_planner(options.database)
        from django.db import connections

        connections.close_all()  # new sessions take the database's settings
        runner = InProcess(options.database)
        pages = []
        for person_id, label in VIEWERS:
            person = User.objects.get(pk=person_id)
            session = run.signed_in_session(person)
            cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
            _status, first = runner.get("/home/", cookie)
            more = first.split('class="more"><a class="button" href="')[1].split('"')[0]
            second_page = "/home/" + more.replace("&amp;", "&")
            pages += [
                (label, "home feed", "/home/", cookie, 'class="feed"'),
                (label, "home feed, page 2", second_page, cookie, 'class="feed"'),
                (label, "home feed, API", "/api/v1/feed", cookie, '"items"'),
                (label, "own profile", f"/@{person.handle}/", cookie, f"@{person.handle}"),
                (label, "own posts", f"/@{person.handle}/posts/", cookie, 'class="feed"'),
            ]
            plans[label] = plan_of(person)
            plans[label]["phases"] = phases_of(person)
        for name, path in (
            ("latest", "/latest/"),
            ("a profile", "/@person500/"),
            ("a person's posts", "/@person500/posts/"),
            ("tag page", "/tags/parks/"),
        ):
            pages.append(("visitor", name, path, "", "</main>"))
        # The app is loaded and the home feeds have run: freeze what is there, as each `agora
        # serve` worker does once it has loaded the app (agora/gunicorn_hooks.py).
        gc.collect()
        gc.freeze()
        with OtherLoad(lambda: {os.getpid(), *runner.database_cpu()}) as other:
            for label, name, path, cookie, expect in pages:
                figures = runner.measure(path, cookie, options.runs, expect)
                results.append((label, name, path, figures))
                print(
                    f"{label:16} {name:22} p50 {figures.wall(50):6.1f} ms  "
                    f"p99 {figures.wall(99):6.1f} ms  CPU {figures.cpu_mean_ms:5.1f} + "
                    f"{figures.database_cpu_ms:4.1f} ms  {figures.queries} queries",
                    flush=True,
                )
        print(other.describe(), flush=True)
        if options.wrk_seconds:
            endpoints = [
                (label, name, path, person_id)
                for person_id, label in VIEWERS
                for name, path in (("home feed", "/home/"), ("home feed, API", "/api/v1/feed"))
            ]
            connections.close_all()
            served = measure_with_wrk(options, options.database, endpoints)
    finally:
        if not options.keep:
            run.drop_database(SERVER, options.database)

    if not options.no_write:
        write_section(options, generated, results, plans, other, served)
    worst = max(f.wall(99) for _label, name, _path, f in results if name.startswith("home feed"))
    return 1 if worst >= P99_LIMIT_MS else 0


def write_section(options, generated, results, plans, other, served) -> None:
    from bench.tools import format_ms, replace_section

    lines = [
        "## Social: feeds and profiles at 100,000 people",
        "",
        f"Written by `bench/social.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; rerun it "
        "rather than editing this section.",
        "",
        f"- **Machine:** {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}, PostgreSQL on the same machine.",
        f"- **Other load:** {other.describe()}. Other engineers' test suites share the "
        "machine, so wall-clock figures wait for a CPU now and then; CPU time per request "
        "moves least with that.",
        f"- **Data:** {options.people:,} people, {options.posts:,} posts over a year (90% public, "
        "7% followers, 3% connections), "
        + f"{generated['follows']:,} follows and {generated['likes']:,} likes, loaded with COPY"
        + (f" in {generated['total']:.0f} s" if "total" in generated else "")
        + ". Person 1 follows 200 people, person 2 follows 5,000, person 3 follows 50 (about "
        "what the others follow at random).",
        "- **PostgreSQL:** `max_parallel_workers_per_gather = 0` and `jit = off` for the "
        "database (see the notes below), otherwise defaults.",
        f"- **In process:** each request goes through Django's WSGI handler in the bench's "
        f"process (routing, middleware, session, view, queries, template; no network), "
        f"{options.runs} requests per page after 10 warm-up requests, signed in by a session "
        "cookie. Server time is the wall-clock time of the handler; CPU is the bench thread's "
        "CPU time per request, plus the database backend's CPU time per request.",
        "",
        "| who | page | p50 | p99 | CPU: app + database | CPU p99 | queries |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for label, name, _path, figures in results:
        lines.append(
            f"| {label} | {name} | {figures.wall(50):.1f} ms | {figures.wall(99):.1f} ms "
            f"| {figures.cpu_mean_ms:.1f} + {figures.database_cpu_ms:.1f} ms "
            f"| {figures.work(99):.1f} ms | {figures.queries} |"
        )
    lines += [
        "",
        "p50 and p99 are wall-clock server time. CPU p99 is the 99th percentile of the app's "
        "CPU time per request plus the database's mean: the server time a request would take "
        "with a CPU to itself, which other work on the machine hardly moves.",
    ]
    lines += [
        "",
        "**The statement that picks a home page's posts** (`EXPLAIN ANALYZE` of the first "
        "page, once, after the measurements; it plans both plans and runs the one it chose):",
        "",
        "| who | plan chosen | planning | execution | estimated cost | with JIT on |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for label, plan in plans.items():
        kind = "per author (LATERAL)" if plan["per_author"] else "walk newest first"
        lines.append(
            f"| {label} | {kind} | {plan['planning_ms']:.1f} ms "
            f"| {plan['execution_ms']:.1f} ms | {plan['cost']:,.0f} "
            f"| {plan['with_jit_ms']:.1f} ms (JIT {plan['jit_ms']:.1f} ms) |"
        )
    if served:
        lines += [
            "",
            f"**Through a server:** `agora serve` (gunicorn, 2 workers × 4 threads, production "
            f"settings) loaded by wrk over loopback with {options.wrk_connections} keep-alive "
            f"connections for {options.wrk_seconds} s per page after 2 s of warm-up. wrk, the "
            "server, PostgreSQL and the other work share the two CPUs, so these latencies "
            "include queueing for a CPU; CPU/request is that of gunicorn and the database "
            "backends.",
            "",
            "| who | page | requests/s | p50 | p99 | CPU/request |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for label, name, _path, measurement in served:
            lines.append(
                f"| {label} | {name} | {measurement.requests_per_second:.0f} "
                f"| {format_ms(measurement.latency_us(50))} "
                f"| {format_ms(measurement.latency_us(99))} "
                f"| {format_ms(measurement.cpu_us_per_request)} |"
            )
    feeds = {
        (label, name): figures
        for label, name, _path, figures in results
        if name in {"home feed", "home feed, API"}
    }
    verdicts = [
        f"{label}, {'HTML' if name == 'home feed' else 'API'}: p99 {figures.wall(99):.1f} ms "
        + ("(met)" if figures.wall(99) < P99_LIMIT_MS else "(**not met**)")
        + f", CPU p99 {figures.work(99):.1f} ms"
        for (label, name), figures in feeds.items()
    ]
    met = all(figures.wall(99) < P99_LIMIT_MS for figures in feeds.values())
    work_fits = all(figures.work(99) < P99_LIMIT_MS for figures in feeds.values())
    lines += [
        "",
        "**Where a home page's CPU time goes** (first page, CPU time per page measured apart "
        "from the requests: the posts are `home_page`, that is binding the statement that "
        "picks the ids, fetching those posts with their details, the queries and the model "
        "instances; the template is "
        "`home.html` with the card cache warm; the rest of the request is the middleware, "
        "session, account and the header's unread count):",
        "",
        "| who | posts | template | rest of the request | database |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, plan in plans.items():
        phases = plan["phases"]
        total = feeds[label, "home feed"].cpu_mean_ms
        rest = max(0.0, total - phases["feed"] - phases["template"])
        lines.append(
            f"| {label} | {phases['feed']:.1f} ms | {phases['template']:.1f} ms "
            f"| {rest:.1f} ms | {feeds[label, 'home feed'].database_cpu_ms:.1f} ms |"
        )
    lines += [
        "",
        "**Where the time goes.** A home feed page is six queries: the session, the "
        "account, the statement that picks the page's post ids, those posts by id with their "
        "authors, their images (and the shared originals with theirs, when the page holds a "
        "share), and the header's unread count. Two plans pick the posts "
        "(`agora/social/feeds.py`). The walk reads all posts newest first through "
        "`social_post_new` and keeps those of the followed sources: about page × people / "
        "followed authors rows, a few hundred for someone following 5,000 and about 10,000 "
        "(a few ms) for 200 at this size, but 40,000 for someone following 50 and the whole "
        "table for someone following nobody. The per-author plan reads each followed "
        "author's newest posts after the cursor through `social_post_author_new` (LATERAL, "
        "with the walk's conditions inside) and keeps the newest: at most authors × page rows "
        "whatever the table's size, but each costs several rows of the walk, so it is taken "
        "when it reads fewer weighted rows (here below about 160 authors; at 10 million "
        "people below about 1,600) and the viewer's other sources (offices, topics, areas) "
        "match nothing. One statement weighs the two and runs only the one it chose. "
        "Building and compiling that statement (the followed-sources and visibility "
        "conditions are a few dozen subqueries) used to cost more Python time than the "
        "database spent running it; it is now compiled once per feed filter and kind of page "
        "with stand-ins for the viewer and the cursor, and each page binds its own values "
        "(`agora/core/prepared.py`), as are the shared originals' visibility and the unread "
        "count. Post cards render their viewer-independent part once and take it from the "
        "cache afterwards (`{% post_card %}`, keyed by the post's content, its author, the "
        "language and the time zone; the reply and share counts likewise), leaving the like "
        "button. The measuring process freezes what it loaded out of the garbage "
        "collector's reach after its warm-up, as each `agora serve` worker does once it has "
        "loaded the app (`agora/gunicorn_hooks.py`): without that, a full collection walked "
        "a few hundred thousand objects and held a request for about 100 ms now and then.",
        "",
        "**Target (p99 under 50 ms server time for the home feed):** "
        + ("met" if met else "**not met**")
        + " in process: "
        + "; ".join(verdicts)
        + f". Other processes used {other.share:.0%} of the CPUs meanwhile; "
        + (
            "the work of every home feed request fits in 50 ms at p99 (CPU p99)"
            if work_fits
            else "**the work itself (CPU p99) does not fit in 50 ms for every feed**, so "
            "this is the code's cost, not the machine's other load"
        )
        + ". Through gunicorn with wrk on the same two CPUs the latencies are higher, since "
        "every request also waits for a CPU; see that table.",
        "",
        "**Parallel plans and JIT.** With PostgreSQL's default `max_parallel_workers_per_gather "
        "= 2`, the planner ran the feed of the person following 5,000 as a parallel plan whose "
        "worker start-up made a 10 ms query take about 70 ms on this two-core machine; Agora "
        "sets it to 0 on every PostgreSQL connection (`agora/core/env.py`). With the default "
        "`jit = on`, any feed query whose estimated cost passes `jit_above_cost` (the general "
        "plan's, whose followed-topics clause the planner expects to match most posts) is "
        "compiled with LLVM first, which took longer than running it (the last column above). "
        "Agora turns JIT off on every PostgreSQL connection too, next to the parallel "
        "setting, and so does this benchmark for its database.",
    ]
    document_path = ROOT / "docs" / "performance.md"
    document = document_path.read_text()
    document_path.write_text(replace_section(document, "social", "\n".join(lines)))


if __name__ == "__main__":
    sys.exit(main())
