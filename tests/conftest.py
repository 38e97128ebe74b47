"""Fixtures shared by the whole suite."""

import fcntl
import os
import shutil
import subprocess
import sys
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django.utils import translation

from agora.core import identity
from tests.factories import PASSWORD, UserFactory
from tests.helpers import signed_in


def _empty_tables_by_deleting(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    """A transactional test (browser tests, the live server, concurrency tests) ends with Django
    emptying every table. On PostgreSQL Django does it with one TRUNCATE of all of them, which
    makes each table a new file: about half a second for the schema's hundred-odd tables, on
    every such test. Nearly all of them are empty or hold a few rows, which DELETE empties in a
    few milliseconds. Django's foreign keys are deferred to the end of the transaction that the
    flush runs in, so the order does not matter. Resetting sequences, or cascading to tables
    outside the test's apps, keeps Django's own statement.

    Content types and permissions stay: they describe the models, which no test changes, and
    Django would only write them all again after the flush (with new ids, which would also
    empty every process's cache of them)."""
    if reset_sequences or allow_cascade or not tables:
        return _truncate(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    return ["SET CONSTRAINTS ALL DEFERRED"] + [
        f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
        for table in tables
        if table not in KEPT_BY_FLUSH
    ]


KEPT_BY_FLUSH = {"django_content_type", "auth_permission"}
_truncate = PostgresOperations.sql_flush
PostgresOperations.sql_flush = _empty_tables_by_deleting


def pytest_collection_modifyitems(config, items):
    """Every test that drives Chromium carries the `browser` mark, whether or not its module
    says so: `make test` runs them once, on PostgreSQL, and leaves them out of the SQLite run."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _content_types_known(request):
    """Django keeps content types in a per-process cache that a transactional test's flush
    empties; a page that looks one up then makes one more query on whichever request comes
    first. Every database test starts with them all known, so pinned query counts do not
    depend on which test ran before in the same worker."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames:
        return
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames)
    if transactional or (marker is not None and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("db")
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture(autouse=True)
def _no_random_sweep(monkeypatch):
    """The database rate counters sweep old rows on one hit in 200, and the idempotency keys
    on one claim in 100, at random: an extra query that a pinned query count would meet now
    and then. Tests turn both off; each sweep has its own test (tests/core/test_ratelimit.py,
    tests/core/test_idempotency.py)."""
    from agora.core import idempotency, ratelimit

    monkeypatch.setattr(ratelimit, "SWEEP_ONE_IN", 0)
    monkeypatch.setattr(idempotency, "PRUNE_ONE_IN", 0)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _site_identity_known(request, _fresh_cache):
    """Pages read the site's identity from a copy each process holds (one query when it starts,
    one after each change), which a test's rolled-back rows would leave stale. Every test
    starts without it, and every database test with it read, so pinned query counts count
    what a page does on every request, not that first read."""
    identity.forget_held()
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames:
        return
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames)
    if transactional or (marker is not None and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("db")
    identity.current()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's default language: a request as someone who reads
    Spanish activates Spanish for the thread (as it should), and a test run after it in the
    same worker, outside any request, must not inherit it."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def user_client(client, user):
    return signed_in(user, client)


@pytest.fixture
def run_worker(db):
    """Run the background worker once over what is waiting, as `agora worker --batch` does,
    and return the emails it sent."""

    def run():
        # The worker closes connections whose autocommit state looks wrong between tasks; inside
        # the test's transaction that would close the one connection the test runs on (on
        # PostgreSQL; in-memory SQLite ignores it). Everything else runs as in production.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("worker", batch=True, verbosity=0)
        return mail.outbox

    return run


def pytest_sessionstart(session):
    """The reference data must be there: tests that compare with it fail, never skip."""
    from tests.shared_data import SHARED_DATA

    if not (SHARED_DATA / "polis").is_dir() or not (SHARED_DATA / "open311").is_dir():
        raise pytest.UsageError(
            f"The shared reference data is missing at {SHARED_DATA}; "
            "put shared/ beside the checkout or set AGORA_SHARED_DATA."
        )


@pytest.fixture
def migrated_sqlite(tmp_path, tmp_path_factory):
    """A SQLite database file of the test's own with every migration applied, for tests that
    start `agora` processes of their own. Migrating takes about 15 s of one core, so the run
    does it once, in a folder its workers share, and each test gets a copy."""
    basetemp = tmp_path_factory.getbasetemp()
    shared = basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp
    template = shared / "migrated.sqlite3"
    with open(shared / "migrated.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            building = shared / "migrating.sqlite3"
            building.unlink(missing_ok=True)
            subprocess.run(  # noqa: S603
                [sys.executable, "-m", "agora.cli", "migrate", "-v0"],
                env={**os.environ, "AGORA_ENV": "test", "DATABASE_URL": f"sqlite:///{building}"},
                check=True,
            )
            building.rename(template)
    copy = tmp_path / "migrated.sqlite3"
    shutil.copyfile(template, copy)
    return copy
