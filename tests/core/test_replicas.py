"""Read replicas (`core.replicas`), on a real PostgreSQL primary and a real streaming replica of
it started for these tests (tests/pgcluster.py): where each read goes, what happens when the
replica falls behind or stops, and what /metrics says of it.

The replica's replay is paused in several tests, so that what it serves is visibly older than
the primary: a read that finds a row written a moment ago came from the primary.

They run in the PostgreSQL run of the suite (the SQLite run says it leaves them to it). A
machine without PostgreSQL's server binaries skips them with the reason, except CI, where
`.ci/run` installs them and a missing binary fails.
"""

import json
import os
import time
import uuid
from contextlib import contextmanager

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from agora.core import replicas
from agora.core.models import WorkerHeartbeat
from agora.settings import replica_databases
from tests import pgcluster
from tests.core import replica_urls

pytestmark = pytest.mark.replicas

PRIMARY, REPLICA = "default", "replica1"
TOKEN = "a-long-scrape-token"


@pytest.fixture(scope="session")
def streaming_pair():
    if connection.vendor != "postgresql":
        pytest.skip("the replica tests run in the suite's PostgreSQL run")
    bindir = pgcluster.binaries()
    if bindir is None:
        message = "PostgreSQL's server binaries (initdb, pg_ctl, pg_basebackup) are missing"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; .ci/run installs Debian's postgresql package")
        pytest.skip(f"{message}: apt-get install postgresql")
    pair = pgcluster.StreamingPair(bindir).start()
    yield pair
    pair.stop()


@contextmanager
def databases(primary_url: str, replica_url: str):
    """Point `default` at the primary and add `replica1`, as the settings would with
    DATABASE_URL and DATABASE_REPLICA_URLS; put the suite's database back after."""
    from agora.core.env import parse_database_url

    aliases = (PRIMARY, REPLICA)
    saved_settings = {alias: connections.settings.get(alias) for alias in aliases}
    saved = {alias: getattr(connections._connections, alias, None) for alias in aliases}
    configured = connections.configure_settings(
        {
            PRIMARY: parse_database_url("DATABASE_URL", primary_url),
            **replica_databases([replica_url]),
        }
    )
    for alias in aliases:
        if saved[alias] is not None:
            delattr(connections._connections, alias)
        connections.settings[alias] = configured[alias]
    try:
        yield
    finally:
        for alias in aliases:
            current = getattr(connections._connections, alias, None)
            if current is not None:
                current.close()
                delattr(connections._connections, alias)
            if saved_settings[alias] is None:
                del connections.settings[alias]
            else:
                connections.settings[alias] = saved_settings[alias]
            if saved[alias] is not None:
                setattr(connections._connections, alias, saved[alias])


@pytest.fixture
def pair(streaming_pair, django_db_blocker, settings):
    """The suite's settings with the replica configured, on the started pair, the tables the
    pages use made once, and the replica replaying and caught up."""
    settings.AGORA_REPLICA_ALIASES = [REPLICA]
    settings.DATABASE_ROUTERS = ["agora.core.replicas.ReplicaRouter"]
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(1, "agora.core.replicas.ReplicaMiddleware")
    settings.MIDDLEWARE = middleware
    settings.ROOT_URLCONF = "tests.core.replica_urls"
    settings.AGORA_REPLICA_MAX_LAG = 60
    settings.AGORA_REPLICA_CHECK_SECONDS = 60
    settings.AGORA_READ_YOUR_WRITES_SECONDS = 60
    settings.AGORA_METRICS_TOKEN = TOKEN
    with (
        django_db_blocker.unblock(),
        databases(streaming_pair.primary_url, streaming_pair.replica_url),
    ):
        if not getattr(streaming_pair, "tables_made", False):
            from django_tasks_db.models import DBTaskResult

            with connections[PRIMARY].schema_editor() as editor:
                editor.create_model(WorkerHeartbeat)
                editor.create_model(DBTaskResult)  # read by /metrics
            streaming_pair.tables_made = True
        if not streaming_pair.replica_running:
            streaming_pair.start_replica()
        on_replica(connections[REPLICA], "SELECT pg_wal_replay_resume()")
        caught_up()
        replicas.forget_health()
        replica_urls.between_reads.clear()
        yield streaming_pair
        replica_urls.between_reads.clear()
        replicas.forget_health()


def on_replica(database, sql):
    with database.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def caught_up():
    """Wait until the replica has replayed everything the primary has written."""
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        position = cursor.fetchone()[0]
    pgcluster.wait_for(
        lambda: on_replica(
            connections[REPLICA], f"SELECT pg_last_wal_replay_lsn() >= '{position}'::pg_lsn"
        )[0],
        what="the replica catching up",
    )


def pause_replay():
    on_replica(connections[REPLICA], "SELECT pg_wal_replay_pause()")
    pgcluster.wait_for(
        lambda: (
            on_replica(connections[REPLICA], "SELECT pg_get_wal_replay_pause_state()")[0]
            == "paused"
        ),
        what="the replay pausing",
    )


def written_on_primary(name: str | None = None) -> str:
    name = name or uuid.uuid4().hex
    WorkerHeartbeat.objects.using(PRIMARY).create(name=name, seen_at=timezone.now())
    return name


def answer(response) -> dict:
    assert response.status_code in {200, 201}, response.content[:500]
    return json.loads(response.content)


def test_a_visitors_reads_go_to_the_replica_and_see_what_it_has_replayed(pair):
    name = written_on_primary()
    caught_up()
    assert answer(Client().get(f"/read/{name}")) == {"database": REPLICA, "found": True}
    # Stale by as much as the replica is behind, within the lag allowed: it comes from there.
    pause_replay()
    later = written_on_primary()
    assert answer(Client().get(f"/read/{later}")) == {"database": REPLICA, "found": False}


def test_the_health_check_costs_no_query_per_request(pair):
    name = written_on_primary()
    caught_up()
    visitor = Client()
    visitor.get(f"/read/{name}")  # the process checks the replica once
    with (
        CaptureQueriesContext(connections[PRIMARY]) as on_primary,
        CaptureQueriesContext(connections[REPLICA]) as on_the_replica,
    ):
        for _ in range(3):
            assert answer(visitor.get(f"/read/{name}"))["database"] == REPLICA
    assert len(on_primary) == 0
    assert len(on_the_replica) == 3  # the pages' own reads, nothing else


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(pair):
    pause_replay()
    name = uuid.uuid4().hex
    result = answer(Client().get(f"/write-then-read/{name}"))
    assert result["before"] == {"database": REPLICA, "found": False}
    assert result["after"] == {"database": PRIMARY, "found": True}


def test_transactions_and_locking_reads_use_the_primary(pair):
    pause_replay()
    name = written_on_primary()
    result = answer(Client().get(f"/read-in-transaction/{name}"))
    assert result["before"] == {"database": REPLICA, "found": False}
    assert result["inside"] == {"database": PRIMARY, "found": True}
    assert result["locking"] == {"database": PRIMARY, "found": True}


def test_what_is_kept_for_everyone_is_rendered_from_the_primary(pair):
    pause_replay()
    name = written_on_primary()
    result = answer(Client().get(f"/kept/{name}"))
    assert result["page"] == {"database": REPLICA, "found": False}
    assert result["kept"] == {"database": PRIMARY, "found": True}


def test_a_person_reads_the_primary_for_a_few_seconds_after_they_wrote(pair, settings, monkeypatch):
    settings.AGORA_READ_YOUR_WRITES_SECONDS = 5
    pause_replay()
    writer, other = Client(), Client()
    name = uuid.uuid4().hex
    # A POST reads the primary from its start: what it checks before writing is current.
    assert answer(writer.post(f"/write/{name}")) == {
        "before": {"database": PRIMARY, "found": False},
        "database": PRIMARY,
    }
    assert replicas.COOKIE in writer.cookies
    # The next request, and the one after: they see what they wrote.
    for _ in range(2):
        assert answer(writer.get(f"/read/{name}")) == {"database": PRIMARY, "found": True}
    # Someone else reads the replica, which has not replayed it yet.
    assert answer(other.get(f"/read/{name}")) == {"database": REPLICA, "found": False}
    # A cookie written by hand keeps nobody on the primary.
    forged = Client()
    forged.cookies[replicas.COOKIE] = f"{time.time() + 60}"
    assert answer(forged.get(f"/read/{name}"))["database"] == REPLICA
    # Once the window has passed, the writer is back on the replica.
    now = time.time()
    monkeypatch.setattr(replicas, "_wall", lambda: now + 5.1)
    assert answer(writer.get(f"/read/{name}"))["database"] == REPLICA


def test_a_replica_lagging_more_than_the_limit_is_skipped(pair, settings):
    name = written_on_primary()
    caught_up()
    assert replicas.health(fresh=True)[REPLICA].lag_seconds == 0
    pause_replay()
    later = written_on_primary()
    settings.AGORA_REPLICA_MAX_LAG = 0.2
    pgcluster.wait_for(
        lambda: replicas.health(fresh=True)[REPLICA].status == "lagging",
        what="the replica counted as lagging",
    )
    state = replicas.health()[REPLICA]
    assert state.lag_seconds > 0.2 and state.bytes_behind > 0
    visitor = Client()
    assert answer(visitor.get(f"/read/{later}")) == {"database": PRIMARY, "found": True}
    assert answer(visitor.get(f"/read/{name}")) == {"database": PRIMARY, "found": True}
    samples = scrape()
    assert samples[("agora_db_replica_up", REPLICA)] == 1
    assert samples[("agora_db_replica_in_use", REPLICA)] == 0
    assert samples[("agora_db_replica_lag_seconds", REPLICA)] > 0.2
    assert samples[("agora_db_replica_behind_bytes", REPLICA)] > 0
    # Caught up again, it is used again.
    on_replica(connections[REPLICA], "SELECT pg_wal_replay_resume()")
    caught_up()
    assert replicas.health(fresh=True)[REPLICA].status == "ok"
    assert answer(visitor.get(f"/read/{later}")) == {"database": REPLICA, "found": True}
    assert scrape()[("agora_db_replica_in_use", REPLICA)] == 1


def test_a_replica_that_stops_answering_is_skipped_without_an_error_page(pair):
    name = written_on_primary()
    caught_up()
    # A real server answers; the test client would raise what the first try of a page met.
    visitor = Client(raise_request_exception=False)
    # Found well a moment ago; stopped before this process connects to it again.
    assert replicas.health(fresh=True)[REPLICA].usable
    connections[REPLICA].close()
    pair.stop_replica()
    assert answer(visitor.get(f"/read/{name}")) == {"database": PRIMARY, "found": True}
    assert replicas.health()[REPLICA].status == "down"
    # Until the next check finds it again, no request tries it: not even to connect.
    assert connections[REPLICA].connection is None
    assert answer(visitor.get(f"/read/{name}"))["database"] == PRIMARY
    assert connections[REPLICA].connection is None
    samples = scrape()
    assert samples[("agora_db_replica_up", REPLICA)] == 0
    ready = json.loads(Client().get("/readyz").content)
    assert ready["replicas"] == {REPLICA: "down"}

    # Back, and found again by the next check.
    pair.start_replica()
    replicas.forget_health()
    assert answer(visitor.get(f"/read/{name}"))["database"] == REPLICA
    # It stops in the middle of a page, between two reads: the page is made again from the
    # primary, whole.
    replica_urls.between_reads.append(lambda: pair.replica_running and pair.stop_replica())
    result = answer(visitor.get(f"/read-twice/{name}"))
    assert result == {
        "first": {"database": PRIMARY, "found": True},
        "second": {"database": PRIMARY, "found": True},
    }
    assert replicas.health()[REPLICA].status == "down"


def scrape() -> dict:
    response = Client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            if sample.name.startswith("agora_db_replica"):
                samples[(sample.name, sample.labels["replica"])] = sample.value
    return samples


# The settings: start-up refuses what cannot work, naming the variable.


def test_a_replica_url_that_is_not_postgresql_stops_start_up():
    from tests.core.test_settings import load_settings

    result = load_settings(
        AGORA_ENV="test",
        DATABASE_URL="postgres://agora@db.example/agora",
        DATABASE_REPLICA_URLS="postgres://agora@r1.example/agora,mysql://agora:secret@r2/agora",
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URLS: replica 2 is mysql" in result.stderr
    assert "secret" not in result.stderr
    on_sqlite = load_settings(
        AGORA_ENV="test",
        DATABASE_URL="sqlite:///var/replicas-test.sqlite3",
        DATABASE_REPLICA_URLS="postgres://agora@r1.example/agora",
    )
    assert on_sqlite.returncode != 0
    assert "DATABASE_REPLICA_URLS: replicas need a PostgreSQL primary" in on_sqlite.stderr


def test_replica_urls_add_databases_the_router_and_the_middleware():
    from tests.core.test_settings import load_settings

    result = load_settings(
        show="s.AGORA_REPLICA_ALIASES, s.DATABASE_ROUTERS, "
        "s.MIDDLEWARE[s.MIDDLEWARE.index('agora.core.metrics.MetricsMiddleware') + 1], "
        "s.DATABASES['replica2']['HOST'], s.DATABASES['replica2']['TEST']",
        AGORA_ENV="test",
        DATABASE_URL="postgres://agora@db.example/agora",
        DATABASE_REPLICA_URLS="postgres://agora@r1.example/agora, postgres://agora@r2.example/agora",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['replica1', 'replica2'] ['agora.core.replicas.ReplicaRouter'] "
        "agora.core.replicas.ReplicaMiddleware r2.example {'MIRROR': 'default'}"
    )
    too_short = load_settings(
        AGORA_ENV="test",
        DATABASE_URL="postgres://agora@db.example/agora",
        DATABASE_REPLICA_URLS="postgres://agora@r1.example/agora",
        AGORA_REPLICA_MAX_LAG="10",
        AGORA_READ_YOUR_WRITES_SECONDS="5",
    )
    assert too_short.returncode != 0
    assert "AGORA_READ_YOUR_WRITES_SECONDS must be at least" in too_short.stderr


def test_without_replicas_there_is_one_database_and_no_router(settings):
    assert settings.AGORA_REPLICA_ALIASES == []
    assert settings.DATABASE_ROUTERS == []
    assert "agora.core.replicas.ReplicaMiddleware" not in settings.MIDDLEWARE
