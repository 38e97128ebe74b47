"""PostgreSQL restarted under a write load (issue 18): no write answered 201 is lost, every
request during the outage is answered 503 in the API's shape (never a 500, never a wait past
10 s), and writes succeed again within 5 s of the database being back.

A real server of the test's own (tests/pgcluster.py) holds a copy of the suite's migrated
schema (pg_dump: migrating anew would take some 15 s); `agora serve` runs on it as in
production (gunicorn, DEBUG off, persistent connections with health checks). A few threads
publish posts through the API without pause while the server is shut down, first as a
service manager restarts it ("fast": sessions are ended) and then as a crash would
("immediate": the next start replays the write-ahead log), and kept down for a moment each time
so that requests certainly arrive while it is away. The server runs with fsync off, so this is
PostgreSQL's own crash, not the machine's: a commit reaches the operating system, not the disk.

A database host that takes the connection and never answers is a 503 within 10 s too
(`connect_timeout`, set in the settings), not a request held until the operating system gives up.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
import pytest
from django.db import connection, connections

from agora.accounts import services
from agora.social.models import Post
from tests import pgcluster
from tests.core.test_serve import free_port
from tests.factories import UserFactory

pytestmark = [pytest.mark.servers, pytest.mark.slow]

WRITERS = 4
DOWN_SECONDS = 1.5  # how long the database stays away each time
AFTER_SECONDS = 5.0  # the load goes on this long after each start
LONGEST_ANSWER = 10.0
RECOVERY = 5.0


@dataclass
class Answer:
    text: str
    sent: float  # time.monotonic()
    answered: float
    status: int | None  # None: no HTTP answer at all (refused, reset, timed out)
    headers: dict
    body: str

    @property
    def elapsed(self) -> float:
        return self.answered - self.sent


@contextmanager
def default_database(url: str):
    """Django's `default` connection on `url` for the block, the suite's own after it."""
    from agora.core.env import parse_database_url

    saved_settings = connections.settings["default"]
    saved = getattr(connections._connections, "default", None)
    configured = connections.configure_settings({"default": parse_database_url("DB", url)})
    if saved is not None:
        delattr(connections._connections, "default")
    connections.settings["default"] = configured["default"]
    try:
        yield
    finally:
        current = getattr(connections._connections, "default", None)
        if current is not None:
            current.close()
            delattr(connections._connections, "default")
        connections.settings["default"] = saved_settings
        if saved is not None:
            connections._connections.default = saved


def copy_schema(to_url: str) -> None:
    """The suite's migrated tables (and Django's record of the migrations) into `to_url`."""
    suite = connection.settings_dict
    source = [
        "-h", suite["HOST"] or "127.0.0.1", "-p", str(suite["PORT"] or 5432),
        "-U", suite["USER"] or "postgres", "--no-owner", "--no-privileges",
    ]  # fmt: skip
    environment = {**os.environ, "PGPASSWORD": suite["PASSWORD"] or ""}
    dumps = [
        ["--schema-only"],
        ["--data-only", "-t", "django_migrations", "-t", "django_content_type"],
    ]
    for what in dumps:
        dump = subprocess.run(  # noqa: S603
            ["pg_dump", *source, *what, suite["NAME"]],  # noqa: S607
            env=environment,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
        subprocess.run(  # noqa: S603
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", to_url],  # noqa: S607
            input=dump,
            capture_output=True,
            check=True,
            timeout=60,
        )


@pytest.fixture
def database_server(db):
    """A PostgreSQL server of the test's own with Agora's tables and a resident's token (`db`:
    the suite's test database, whose tables are copied, is made)."""
    if connection.vendor != "postgresql":
        pytest.skip("the restart test runs in the suite's PostgreSQL run")
    bindir = pgcluster.binaries()
    if bindir is None or not shutil.which("pg_dump"):
        message = "PostgreSQL's server binaries (initdb, pg_ctl) or pg_dump are missing"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; .ci/run installs Debian's postgresql package")
        pytest.skip(f"{message}: apt-get install postgresql")
    server = pgcluster.LoneServer(bindir).start()
    try:
        copy_schema(server.url)
        with default_database(server.url):
            _token, server.secret = services.create_access_token(UserFactory(), name="load")
        yield server
    finally:
        server.remove()


@contextmanager
def agora_serve(tmp_path, database_url: str, *, ready: str):
    """`agora serve` on `database_url` as in production (gunicorn, DEBUG off), once `ready`
    answers 200; its address."""
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AGORA_", "DATABASE_URL", "REDIS_URL", "SITE_URL", "PORT"))
    }
    environment.update(
        AGORA_ENV="development",
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        AGORA_VAR_DIR=str(tmp_path),
        DATABASE_URL=database_url,
        # One resident writes all the load: no ceiling on posts or API calls.
        AGORA_POST_RATE="0",
        AGORA_API_RATE="100000/m",
        AGORA_TRUST_LIMITS="0",
    )
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "agora.cli", "serve", "--port", str(port), "--workers", "2"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            pgcluster.wait_for(lambda: _answers(url + ready), seconds=30, what=f"{ready} 200")
        except AssertionError as error:
            raise AssertionError((tmp_path / "serve.log").read_text()[-3000:]) from error
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a request still hangs: gunicorn waits for it
            server.kill()
            server.wait()
        log.close()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310
            return answer.status == 200
    except OSError:
        return False


@pytest.fixture
def site(database_server, tmp_path):
    with agora_serve(tmp_path, database_server.url, ready="/readyz") as url:
        yield url


def publish(site: str, secret: str, text: str) -> Answer:
    request = urllib.request.Request(  # noqa: S310
        f"{site}/api/v1/posts",
        data=json.dumps({"body": text}).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        method="POST",
    )
    sent = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=LONGEST_ANSWER + 5) as answer:  # noqa: S310
            status, headers, body = answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, dict(error.headers), error.read().decode()
    except OSError as error:
        status, headers, body = None, {}, repr(error)
    return Answer(text, sent, time.monotonic(), status, headers, body)


def write_load(site: str, secret: str, stop: threading.Event, answers: list) -> list:
    def writer(number):
        while not stop.is_set():
            answers.append(publish(site, secret, f"load {number} {uuid.uuid4().hex}"))
            time.sleep(0.01)

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    return threads


def first_connect(url: str) -> float:
    """When a plain connection to the database first succeeds (within 20 s)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            psycopg.connect(url, connect_timeout=1).close()
            return time.monotonic()
        except psycopg.OperationalError:
            time.sleep(0.01)
    return float("inf")


def restart(server, mode: str) -> dict:
    """Shut the server down in `mode`, keep it away DOWN_SECONDS, start it again."""
    down_from = time.monotonic()
    server.shut_down(mode)
    down = time.monotonic()
    time.sleep(DOWN_SECONDS)
    back: dict = {}
    prober = threading.Thread(
        target=lambda: back.setdefault("connect", first_connect(server.url)), daemon=True
    )
    prober.start()
    server.start()
    back["pg_ctl"] = time.monotonic()
    prober.join(timeout=10)
    return {"mode": mode, "down_from": down_from, "down": down, "back": min(back.values())}


def test_a_restart_of_postgresql_under_writes_loses_nothing_and_is_answered_503(
    database_server, site
):
    answers: list[Answer] = []
    stop = threading.Event()
    threads = write_load(site, database_server.secret, stop, answers)
    try:
        time.sleep(2)
        outages = []
        for mode in ("fast", "immediate"):
            outages.append(restart(database_server, mode))
            time.sleep(AFTER_SECONDS)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=LONGEST_ANSWER + 10)

    report = []
    for outage in outages:
        during = [a for a in answers if outage["down_from"] <= a.answered <= outage["back"]]
        # Sent once the database was gone, so answered from the database that came back.
        recovered = min(
            (a.answered for a in answers if a.status == 201 and a.sent > outage["down"]),
            default=float("inf"),
        )
        outage.update(
            length=outage["back"] - outage["down_from"],
            answered_503=sum(a.status == 503 for a in during),
            recovery=recovered - outage["back"],
        )
        report.append(
            f"{outage['mode']}: away {outage['length']:.2f} s, {outage['answered_503']} "
            f"answers 503 meanwhile, first 201 {outage['recovery']:.2f} s after it was back"
        )
    statuses = [a.status for a in answers]
    report.append(
        f"{len(answers)} requests: {statuses.count(201)} 201, {statuses.count(503)} 503, "
        f"longest {max(a.elapsed for a in answers):.2f} s"
    )
    print("\n".join(report))

    wrong = [a for a in answers if a.status not in (201, 503)]
    assert not wrong, [(a.status, a.body[:300]) for a in wrong[:5]]
    for answer in answers:
        assert answer.elapsed < LONGEST_ANSWER, (answer.elapsed, answer.status)
        if answer.status == 503:
            assert answer.headers["Retry-After"] == "10"
            assert answer.headers["Content-Type"].startswith("application/json")
            error = json.loads(answer.body)
            assert set(error) == {"error"} and set(error["error"]) == {"code", "message"}
            assert error["error"]["code"] == "service_unavailable"
        else:
            assert json.loads(answer.body)["body"] == answer.text
    for outage in outages:
        assert outage["answered_503"] > 0, report  # requests did arrive while it was away
        # Below 0 when the site's own connection beat the test's probe to the database.
        assert outage["recovery"] < RECOVERY, report

    published = {a.text for a in answers if a.status == 201}
    with psycopg.connect(database_server.url) as database:
        stored = {
            body
            for (body,) in database.execute(
                f"SELECT body FROM {Post._meta.db_table}"  # noqa: S608
            )
        }
    assert len(published) > 100, report
    assert published <= stored, sorted(published - stored)[:5]


@pytest.fixture
def silent_database():
    """An address that takes connections and never says a word: a database host that hangs
    (frozen, or its network gone quiet after the connection was made)."""
    listener = socket.create_server(("127.0.0.1", 0))
    held = []
    stop = threading.Event()

    def hold():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    yield f"postgres://postgres@127.0.0.1:{listener.getsockname()[1]}/agora"
    stop.set()
    holder.join()
    for each in [*held, listener]:
        each.close()


def test_a_database_that_never_answers_is_a_503_within_10_seconds(silent_database, tmp_path):
    with agora_serve(tmp_path, silent_database, ready="/healthz") as site:
        answer = publish(site, "agora_x", "never stored")
    assert answer.status == 503, answer.body
    assert answer.elapsed < LONGEST_ANSWER, answer.elapsed
    assert json.loads(answer.body)["error"]["code"] == "service_unavailable"
