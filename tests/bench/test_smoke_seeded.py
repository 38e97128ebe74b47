"""Each benchmark that starts from `agora seed`, at its smallest: its data generation (the SQL
or bulk writes that a new NOT NULL column breaks) and one measurement, in the test database.
The seed runs once for the module, in a transaction rolled back at its end; each test runs in
a savepoint within it. PostgreSQL only: the benchmarks write with PostgreSQL's SQL."""

import asyncio
import random
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction

from bench import cases, load, moderation, petitions, privacy, proposals, run, scale
from bench.social import InProcess
from tests.bench.smoke import connections_kept, wsgi_request

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the benchmarks write PostgreSQL's SQL"
    ),
    pytest.mark.django_db,
]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed", verbosity=0)
        immediate_checks()
        yield
        transaction.set_rollback(True)


def immediate_checks():
    """Check the deferred foreign keys of what was written so far now, rather than at the
    commit that never comes: PostgreSQL makes no index on a table with checks pending, and
    the benchmarks make indexes again after writing."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture
def runner(seeded):
    immediate_checks()
    with connections_kept():
        yield InProcess(connection.settings_dict["NAME"])


def cookie_of(person) -> str:
    return f"{settings.SESSION_COOKIE_NAME}={run.signed_in_session(person)}"


def test_scale_grows_each_step_and_measures_its_pages(runner, tmp_path, monkeypatch):
    ids = scale.prepare()
    scale.grow(ids, 1, 30)
    scale.grow(ids, 31, 60)
    found = scale.counts()
    assert found["follows"] >= 60 * scale.FOLLOWS_EACH
    assert found["posts"] >= 60 * scale.POSTS_EACH
    # Each post's like counter is the likes it has, across the two steps.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM social_post p WHERE p.id > %s AND like_count <> "
            "(SELECT count(*) FROM social_postlike l WHERE l.post_id = p.id)",
            [ids["post_base"]],
        )
        assert cursor.fetchone()[0] == 0
    results = scale.measure(ids, 1, connection.settings_dict["NAME"])
    assert [name for name, _figures in results] == [
        "home feed",
        "a profile",
        "office inbox",
        "case page",
    ]
    measured = [(30, results), (60, results)]
    assert "<svg" in scale.chart(measured)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "performance.md").write_text("# Performance\n")
    monkeypatch.setattr(scale, "ROOT", tmp_path)
    quiet = type("Quiet", (), {"describe": lambda self: "nothing else ran"})()
    options = scale.parse_arguments(["--steps", "100,200", "--runs", "1"])
    generated = [(30, 1.0, {}, found), (60, 1.0, {}, found)]
    scale.write_section(options, generated, measured, [(30, quiet), (60, quiet)], [])
    section = (tmp_path / "docs" / "performance.md").read_text()
    assert "**Target:** met at every step." in section


class InProcessPerson(load.Person):
    """A resident whose requests go through Django's WSGI handler in this process."""

    def __init__(self, runner, cookie, record):
        super().__init__(0, cookie, 30.0, record)
        self.runner = runner
        self.connection = connections["default"]

    async def send(self, raw):
        # Django's connections are per context, and a coroutine has a context of its own:
        # the requests must use the test's connection, which holds its transaction.
        connections["default"] = self.connection
        status, headers, body = wsgi_request(self.runner.handler, raw)
        return load.Answer(status, headers, body), None


def test_load_residents_do_every_action_with_csrf(runner, monkeypatch):
    # The residents are coroutines; here each request runs Django synchronously inside the
    # event loop, and nothing else runs meanwhile.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    since = datetime.now(UTC)
    data = load.residents(people=40, users=2)
    tally = load.Tally()
    person = InProcessPerson(runner, data["cookies"][0], tally.record)
    data["proposals"] = [
        pk
        for pk in data["proposals"]
        if load.form_to(
            wsgi_request(
                runner.handler,
                f"GET /proposals/{pk}/ HTTP/1.1\r\nCookie: {data['cookies'][0]}\r\n\r\n".encode(),
            )[2],
            load.SUPPORT,
        )
    ]
    assert data["proposals"], "no seeded proposal offers the support form"
    resident = load.Resident(person, data, random.Random(1))
    for action in load.Resident.ACTIONS.values():
        asyncio.run(action(resident))
    assert tally.errors == {}
    assert {"home feed", "like", "comment", "support a proposal", "case: send"} <= set(
        tally.latencies
    )
    stored = load.stored(data["base"], 2, since)
    assert load.lost(tally, stored) == []
    figures = {
        "tally": tally,
        "seconds": 1.0,
        "cpu": {"gunicorn": 0.2, "postgresql": 0.05, "worker": 0.01},
        "other_share": 0.0,
        "load": (0.0, 0.0),
        "postgres": "15",
        "stored": stored,
    }
    report = load.render(load.parse_arguments(["--users", "2", "--seconds", "1"]), figures)
    assert "| **all** |" in report


def test_cases_copies_the_seed_and_measures_the_official_pages(runner):
    generated = cases.generate(40)
    assert generated["cases"] > generated["seeded"]
    for _who, _name, path, cookie, expect in cases.pages_to_measure()[:2]:
        assert runner.measure(path, cookie, 1, expect).queries > 0


def without_vacuum(execute, sql, params, many, context):
    """VACUUM cannot run in the test's transaction; ANALYZE does the planner's part."""
    return execute(sql.replace("VACUUM ANALYZE", "ANALYZE"), params, many, context)


def test_proposals_grows_in_sql_and_measures_the_process_page(runner):
    from agora.accounts.models import User

    ids = proposals.make_process()
    ids["first_person"] = proposals.add_people(20)
    with connection.cursor() as cursor:
        # Checked as written: PostgreSQL alters no table with checks pending (the bench
        # drops and makes the supports' constraints again).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.execute_wrapper(without_vacuum):
        generated = proposals.grow(ids, 1, 100, people=20)
    assert generated["support_rows"] == 20 * proposals.SUPPORTS_EACH
    cookie = cookie_of(User.objects.get(handle="bench2"))
    pages = [page for page in proposals.pages_to_measure(cookie) if "/bench/" not in page[2]]
    for _who, _name, path, page_cookie, expect in pages[:2] + pages[-1:]:
        runner.measure(path, page_cookie, 1, expect)


def test_petitions_opens_a_petition_for_signers_with_working_tokens(runner):
    from agora.accounts.models import PersonalAccessToken

    # The API is not called in-process here: inside the test's transaction it answers 503
    # (the benchmark signs through a real server).
    petition_id, secrets = petitions.open_petition(3)
    hashes = [PersonalAccessToken.hash(secret) for secret in secrets]
    assert PersonalAccessToken.objects.filter(token_hash__in=hashes).count() == 3
    assert petitions.stored_counts(petition_id) == (0, 0)
    runner.measure(f"/petitions/{petition_id}/", "", 1, "</main>")


def test_foundation_callers_reach_each_endpoint(runner, tmp_path):
    callers = run.add_callers(5, 2, tmp_path)
    assert len((tmp_path / "tokens.txt").read_text().split()) == 2
    for endpoint in run.ENDPOINTS:
        if endpoint.path.startswith(("/bench/", "/api/")):
            # bench/urls.py is not the test's URL map; the API answers 503 inside the test's
            # transaction (the tokens' file is checked above).
            continue
        headers = "".join(
            f"{name}: {value}\r\n" for name, value in callers[endpoint.caller].headers.items()
        )
        raw = f"GET {endpoint.path} HTTP/1.1\r\n{headers}\r\n".encode()
        status, _headers, body = wsgi_request(runner.handler, raw)
        assert status == 200, (endpoint.name, body[:300])
        assert endpoint.expect in body, endpoint.name


def test_moderation_writes_decisions_and_measures_the_log(runner):
    people = moderation.make_people()
    moderation.grow(people, 1, 120)
    from agora.accounts.models import User

    cookie = cookie_of(User.objects.get(pk=people["moderator"]))
    results = moderation.measure_size(runner, cookie, 4)
    assert {name for _who, name, _figures in results} >= {"log", "queue"}


def test_privacy_makes_items_of_every_kind_and_builds_the_export(seeded):
    person = privacy.make_items(3)
    figures = privacy.build(person)
    assert figures["state"] == "ready"
    assert figures["rows"] == dict.fromkeys(privacy.KINDS, 3)
