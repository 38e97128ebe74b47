"""Reads from PostgreSQL streaming replicas when `DATABASE_REPLICA_URLS` names any; everything
else from the primary (`default`). Knows no domain: it routes by what a request has done, never
by which model is read.

The rules (docs/database-replicas.md):

- Only the reads of a web request that `ReplicaMiddleware` saw come in as GET or HEAD may go to
  a replica. The worker, commands and the shell read the primary: a task runs right after the
  commit that queued it, before a replica may have it.
- Writes go to the primary, and so does every read after the request's first write
  (`db_for_write` marks the request), every read inside a transaction on the primary
  (`transaction.atomic`, so `select_for_update` too, which is a write for the router anyway).
- What is rendered to be kept for others (`core.pagecache`) reads the primary
  (`primary_reads`), so a cache started anew by a change never keeps what was before it.
- A person who wrote reads the primary for `AGORA_READ_YOUR_WRITES_SECONDS` after: the
  middleware gives their browser a short signed cookie that says until when. It costs no
  database write and holds for visitors without an account too.
- A replica is used only while it answers, is still a replica (in recovery), and lags the
  primary by at most `AGORA_REPLICA_MAX_LAG` seconds. Each process checks every replica at
  most once per `AGORA_REPLICA_CHECK_SECONDS` (one query on the primary for its WAL position,
  one on each replica), so a request pays no query for it. A replica that fails between two
  checks is marked down at once: a connection refused when a request first reaches it sends
  the request to the primary, and a query that fails on it makes the middleware answer the
  same GET again from the primary. Nobody gets an error page for a replica.

The lag is measured as PostgreSQL defines it for a standby: when the replica has replayed all
the WAL the primary had written a moment before, none; otherwise the time since the last
transaction it replayed was committed on the primary (`pg_last_xact_replay_timestamp()`),
which can only overstate it. The bytes of WAL it is behind are kept too, for `/metrics`.
"""

import random
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.db.backends.signals import connection_created

PRIMARY = DEFAULT_DB_ALIAS
INF = float("inf")
SAFE_METHODS = frozenset({"GET", "HEAD"})
#: The cookie that keeps a person on the primary for a few seconds after they wrote.
COOKIE = "agora_primary"
_SALT = "agora.core.replicas"


def replica_aliases() -> list[str]:
    return list(getattr(settings, "AGORA_REPLICA_ALIASES", ()))


# The health of the replicas, as this process last saw it.


@dataclass(frozen=True)
class ReplicaHealth:
    alias: str
    #: "ok" (reads may go there), "lagging", "down" (does not answer) or "not_a_replica"
    #: (answers but is not in recovery: promoted, or the URL names a primary).
    status: str
    lag_seconds: float | None = None
    bytes_behind: int | None = None

    @property
    def usable(self) -> bool:
        return self.status == "ok"

    @property
    def answers(self) -> bool:
        return self.status in {"ok", "lagging"}


@dataclass
class _Health:
    checked_at: float = float("-inf")
    replicas: dict[str, ReplicaHealth] = field(default_factory=dict)


_health = _Health()
# Reentrant: a check that fails on a replica marks it down from inside the check.
_lock = threading.RLock()
_clock = time.monotonic
#: The wall clock that read-your-writes cookies are written and read against.
_wall = time.time


def forget_health() -> None:
    """Check every replica again on the next read (the tests; a process that changed settings)."""
    with _lock:
        _health.checked_at = float("-inf")
        _health.replicas = {}


def health(*, fresh: bool = False) -> dict[str, ReplicaHealth]:
    """Each replica's health, checked again when the last check is older than
    `AGORA_REPLICA_CHECK_SECONDS` (or `fresh`). One thread of the process checks; the others
    use what it found."""
    if not fresh and _clock() - _health.checked_at < settings.AGORA_REPLICA_CHECK_SECONDS:
        return _health.replicas
    with _lock:
        if fresh or _clock() - _health.checked_at >= settings.AGORA_REPLICA_CHECK_SECONDS:
            found = _check_all()
            _health.replicas = {**_health.replicas, **found}
            _health.checked_at = _clock()
    return _health.replicas


def mark_down(alias: str) -> None:
    """A replica failed under a request: skip it until the next check finds it answering."""
    with _lock:
        _health.replicas = {**_health.replicas, alias: ReplicaHealth(alias, "down")}


def _primary_position() -> str | None:
    """The primary's WAL position now, or None when it cannot say (not PostgreSQL, away, or a
    transaction already failed on its connection)."""
    primary = connections[PRIMARY]
    if primary.vendor != "postgresql":
        return None
    try:
        with primary.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            return cursor.fetchone()[0]
    except DatabaseError:
        return None


_REPLICA_STATE = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_last_wal_replay_lsn() >= COALESCE(%s::pg_lsn, pg_last_wal_receive_lsn())
            THEN 0
            ELSE pg_wal_lsn_diff(
                COALESCE(%s::pg_lsn, pg_last_wal_receive_lsn()), pg_last_wal_replay_lsn())
       END::bigint,
       EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8
"""


def check_replica(alias: str, primary_position: str | None) -> ReplicaHealth:
    """Ask one replica how far behind it is. Without the primary's position, how far its
    replay is behind what it has received."""
    replica = connections[alias]
    try:
        with replica.cursor() as cursor:
            cursor.execute(_REPLICA_STATE, [primary_position, primary_position])
            in_recovery, bytes_behind, replay_age = cursor.fetchone()
    except DatabaseError:
        replica.close()
        return ReplicaHealth(alias, "down")
    if not in_recovery:
        return ReplicaHealth(alias, "not_a_replica")
    # Behind: by at least the time since the last transaction it replayed was committed.
    lag = 0.0 if not bytes_behind else max(replay_age, 0.0) if replay_age is not None else INF
    status = "ok" if lag <= settings.AGORA_REPLICA_MAX_LAG else "lagging"
    return ReplicaHealth(alias, status, lag, int(bytes_behind or 0))


def _check_all() -> dict[str, ReplicaHealth]:
    aliases = replica_aliases()
    if not aliases:
        return {}
    position = _primary_position()
    return {alias: check_replica(alias, position) for alias in aliases}


# What the request in progress has done.


@dataclass
class _Routing:
    may_use_replica: bool
    wrote: bool = False
    replica_failed: bool = False
    #: The replica this request reads from, chosen at its first read ("" for none).
    chosen: str | None = None

    def replica(self) -> str:
        if self.chosen is None:
            self.chosen = _choose_replica()
        return self.chosen


_routing: ContextVar[_Routing | None] = ContextVar("agora_replica_routing", default=None)


def _choose_replica() -> str:
    """A usable replica, connected; "" when none is. Connecting here, not at the first query,
    lets a refused connection send the request to the primary instead of failing it."""
    usable = [alias for alias, state in health().items() if state.usable]
    random.shuffle(usable)
    for alias in usable:
        replica = connections[alias]
        try:
            replica.close_if_health_check_failed()
            replica.ensure_connection()
        except DatabaseError:
            replica.close()
            mark_down(alias)
            continue
        return alias
    return ""


@contextmanager
def primary_reads():
    """Reads inside go to the primary. For what is kept and served to others afterwards (a
    page cached for everyone, `core.pagecache`): kept under the generation a change started,
    it must not come from a replica that has not replayed the change yet."""
    routing = _routing.get()
    if routing is None or not routing.may_use_replica:
        yield
        return
    routing.may_use_replica = False
    try:
        yield
    finally:
        routing.may_use_replica = True


class ReplicaRouter:
    """Django's database router for `DATABASE_REPLICA_URLS` (installed by the settings only
    when there are replicas)."""

    def db_for_read(self, model, **hints):
        routing = _routing.get()
        if (
            routing is None
            or not routing.may_use_replica
            or routing.wrote
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        return routing.replica() or PRIMARY

    def db_for_write(self, model, **hints):
        routing = _routing.get()
        if routing is not None:
            routing.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # A row read from a replica is the primary's row.
        same_data = {PRIMARY, *replica_aliases()}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db, app_label, **hints):
        # A replica follows the primary's schema; nothing migrates it.
        return False if db in replica_aliases() else None


def _on_replica_error(execute, sql, params, many, context):
    try:
        return execute(sql, params, many, context)
    except (OperationalError, InterfaceError):
        mark_down(context["connection"].alias)
        routing = _routing.get()
        if routing is not None and routing.chosen == context["connection"].alias:
            routing.replica_failed = True
        raise


def _watch_replica(sender, connection, **kwargs):
    if (
        connection.alias in replica_aliases()
        and _on_replica_error not in connection.execute_wrappers
    ):
        connection.execute_wrappers.append(_on_replica_error)


connection_created.connect(_watch_replica, dispatch_uid="agora.core.replicas.watch")


class ReplicaMiddleware:
    """Decides, for each request, whether its reads may go to a replica, and keeps a person who
    wrote on the primary for a few seconds. Early in the chain: before any middleware that
    reads the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        safe = request.method in SAFE_METHODS
        routing = _Routing(may_use_replica=safe and not self.pinned(request))
        token = _routing.set(routing)
        try:
            response = self.get_response(request)
            if routing.replica_failed and safe:
                # A replica stopped answering in the middle of this page: the replica is
                # marked down, and the page is made again from the primary. A GET changes
                # nothing it would do twice, and a request that wrote had stopped reading the
                # replica at its first write.
                _routing.reset(token)
                routing = _Routing(may_use_replica=False, wrote=routing.wrote)
                token = _routing.set(routing)
                response = self.get_response(request)
        finally:
            _routing.reset(token)
        if routing.wrote or (not safe and response.status_code < 400):
            self.pin(response)
        return response

    @staticmethod
    def pinned(request) -> bool:
        until = request.get_signed_cookie(
            COOKIE, default=None, salt=_SALT, max_age=settings.AGORA_READ_YOUR_WRITES_SECONDS
        )
        try:
            return until is not None and float(until) > _wall()
        except ValueError:
            return False

    @staticmethod
    def pin(response) -> None:
        seconds = settings.AGORA_READ_YOUR_WRITES_SECONDS
        response.set_signed_cookie(
            COOKIE,
            f"{_wall() + seconds:.3f}",
            salt=_SALT,
            max_age=seconds,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


class ReplicaCollector:
    """Each replica's health for `/metrics` (`core.metrics`), from this process's last check
    (made again when older than `AGORA_REPLICA_CHECK_SECONDS`)."""

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

        answers = GaugeMetricFamily(
            "agora_db_replica_up",
            "1 when the read replica answers and is a replica, else 0.",
            labels=["replica"],
        )
        in_use = GaugeMetricFamily(
            "agora_db_replica_in_use",
            "1 when reads go to the replica (answers, lag within AGORA_REPLICA_MAX_LAG).",
            labels=["replica"],
        )
        lag = GaugeMetricFamily(
            "agora_db_replica_lag_seconds",
            "How far the replica's replay is behind the primary, in seconds.",
            labels=["replica"],
        )
        behind = GaugeMetricFamily(
            "agora_db_replica_behind_bytes",
            "How much WAL the replica has still to replay, in bytes.",
            labels=["replica"],
        )
        for alias, state in sorted(health().items()):
            answers.add_metric([alias], 1.0 if state.answers else 0.0)
            in_use.add_metric([alias], 1.0 if state.usable else 0.0)
            if state.lag_seconds is not None:
                lag.add_metric([alias], state.lag_seconds)
            if state.bytes_behind is not None:
                behind.add_metric([alias], state.bytes_behind)
        yield from (answers, in_use, lag, behind)
