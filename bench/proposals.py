"""Proposals at 100, 10,000 and 1,000,000 in one process, each size with 10,000,000 supports,
on PostgreSQL: the process page and the proposal list in each order (newest, most supported,
most commented, random), on the page and in the API; p50 and p99 server time, queries (the
same at every size), and the ratio of p50 and p99 to the trivial view's.

Run `.venv/bin/python bench/proposals.py`. It creates the database `agora_bench_proposals`
on 127.0.0.1:5432 (user `postgres`), migrates it, runs `agora seed`, makes a process in its
support phase through the verbs, writes 100,000 people in SQL, then grows the process's
proposals in SQL (`INSERT ... SELECT generate_series`) to each size; at each size it writes
10,000,000 supports again (100,000 people × 100 proposals each, distinct pairs spread evenly
over the proposals, each proposal's `support_count` equal to its rows), explains the list's
queries, and measures each page in this process through Django's WSGI handler, as
`bench/social.py` does. The pages kept for many readers (a visitor's process page,
`processes.pages.VISITORS_PAGES`; the proposal list, `proposals.parts.LISTS`) are measured
as they are read most of the time, kept, and once more "rendered": each request first
starts a new generation of both, as after a change. It writes the section between
`<!-- bench:proposals:start -->` and `<!-- bench:proposals:end -->` of docs/performance.md
and drops the database (`--keep` keeps it). It exits 1 when a page's p99 is 25 ms or more at
any size, or when a page's query count differs between sizes.
"""

import argparse
import gc
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.social import SERVER, InProcess, OtherLoad, settle_planner  # noqa: E402

P99_LIMIT_MS = 25.0
SIZES = (100, 10_000, 1_000_000)
PEOPLE = 100_000
SUPPORTS_EACH = 100  # PEOPLE × SUPPORTS_EACH = 10,000,000 supports at every size
SEED = 12345  # the random order's seed in the measured links

PEOPLE_SQL = """
INSERT INTO accounts_user (
    password, is_superuser, email, handle, display_name, bio, avatar, home_area,
    preferred_language, profile_visibility, connections_visibility, role, verification,
    verification_method, is_active, is_staff, date_joined, session_generation, kind, kind_detail,
    hide_counts
)
SELECT '!', false, 'bench' || n || '@bench.example', 'bench' || n, 'Bench person ' || n, '', '',
       '', '', 'public', 'public', 'resident', 'email_confirmed', '', true, false, now(), 0,
       'resident', '', ''
FROM generate_series(1, %(people)s) AS n
"""
# Proposals numbered from `first` to `last`, a minute apart, by the bench people in turn; one
# in a hundred answered by the office (an office may answer before the threshold); comment
# counts spread from 0 to 199 (the list reads the counter, not the comments).
PROPOSALS_SQL = """
INSERT INTO proposals_proposal (
    moderation_state, process_id, author_id, title, body, body_html, topic_id, area_id, image,
    image_alt, state, version, support_count, comment_count, merged_into_id, created_at,
    edited_at, threshold_reached_at, answer_due_at, answer, answer_body, answer_html,
    answered_at, answered_by_id, answer_office_id
)
SELECT 'visible', %(process)s, %(first_person)s + (n %% %(people)s),
       'Proposal ' || n || ': ' || (ARRAY['benches on the square', 'a safer crossing',
           'trees on the avenue', 'a bus shelter', 'a cycle lane', 'longer library hours',
           'a playground', 'street lights'])[1 + n %% 8],
       'We ask for this because it would help the neighbourhood.',
       '<p>We ask for this because it would help the neighbourhood.</p>', NULL, NULL, '', '',
       CASE WHEN n %% 100 = 0 THEN 'answered' ELSE 'published' END, 1, 0,
       (n::bigint * 7919) %% 200, NULL,
       now() - make_interval(mins => (%(last)s - n)::int) - interval '1 day', NULL, NULL, NULL,
       CASE WHEN n %% 100 = 0 THEN 'planned' ELSE '' END, '', '',
       CASE WHEN n %% 100 = 0 THEN now() - interval '1 hour' END,
       CASE WHEN n %% 100 = 0 THEN %(official)s END,
       CASE WHEN n %% 100 = 0 THEN %(office)s END
FROM generate_series(%(first)s, %(last)s) AS n
"""
# Person p (of the bench people) supports the SUPPORTS_EACH proposals that follow position
# (p - 1) × SUPPORTS_EACH round the process's proposals: distinct pairs, and every proposal
# gets the same number of supports (the sizes divide 10,000,000).
SUPPORTS_SQL = """
INSERT INTO proposals_support (proposal_id, person_id, process_id, created_at)
SELECT ids.id, %(first_person)s + p - 1, %(process)s, now()
FROM generate_series(1, %(people)s) AS p
CROSS JOIN generate_series(0, %(each)s - 1) AS k
JOIN LATERAL (SELECT ((p - 1) * %(each)s + k) %% %(size)s AS position) AS s ON true
JOIN bench_proposal_ids AS ids ON ids.position = s.position
"""


def make_process() -> dict:
    """A process in its support phase, through the verbs, for the demo's roads office."""
    from django.utils import timezone

    from agora.accounts.models import User
    from agora.directory.models import Office
    from agora.processes import services
    from agora.processes.demo import demo_phases
    from agora.processes.models import Participation, PhaseKind
    from agora.proposals.models import ProposalSettings

    official = User.objects.get(handle="roads_office")
    office = Office.objects.get(slug="roads-mobility")
    process = services.create_process(
        by=official,
        slug="bench-ideas",
        title_en="Ideas for the city",
        title_es="Ideas para la ciudad",
        description_en="What should the city do next?",
        office=office,
        participation=Participation.SIGNED_IN,
        is_published=True,
        phases=demo_phases(PhaseKind.SUPPORT, timezone.now()),
    )
    ProposalSettings.objects.create(process=process, support_threshold=10_000_000)
    return {"process": process.pk, "office": office.pk, "official": official.pk}


def add_people(people: int) -> int:
    from django.db import connection

    from agora.accounts.models import User

    with connection.cursor() as cursor:
        cursor.execute(PEOPLE_SQL, {"people": people})
    return User.objects.get(handle="bench1").pk


def support_indexes(cursor) -> list[str]:
    """The statements that make the supports' indexes and constraints again, other than its
    primary key, as PostgreSQL has them."""
    cursor.execute(
        "SELECT 'ALTER TABLE proposals_support ADD CONSTRAINT ' || quote_ident(conname) || ' '"
        " || pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = 'proposals_support'::regclass AND contype IN ('u', 'f')"
    )
    constraints = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'proposals_support'"
        " AND indexname NOT IN (SELECT conname FROM pg_constraint"
        " WHERE conrelid = 'proposals_support'::regclass)"
    )
    return constraints + [row[0] for row in cursor.fetchall()]


def grow(ids: dict, first: int, last: int, *, people: int) -> dict:
    """Proposals `first` to `last` of the process, then its 10,000,000 supports written again
    over all of them (the indexes dropped while writing, made again after), and each
    proposal's support count."""
    from django.db import connection

    timings = {}
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(PROPOSALS_SQL, {**ids, "first": first, "last": last, "people": people})
        timings["proposals"] = time.perf_counter() - started
        started = time.perf_counter()
        rebuild = support_indexes(cursor)
        cursor.execute("TRUNCATE proposals_support")
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'proposals_support'::regclass"
            " AND contype IN ('u', 'f')"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'ALTER TABLE proposals_support DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'proposals_support'"
            " AND indexname NOT LIKE '%%_pkey'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_proposal_ids AS SELECT id, row_number() OVER "
            "(ORDER BY id) - 1 AS position FROM proposals_proposal WHERE process_id = %s",
            [ids["process"]],
        )
        cursor.execute("CREATE UNIQUE INDEX ON bench_proposal_ids (position)")
        cursor.execute("ANALYZE bench_proposal_ids")
        cursor.execute(
            SUPPORTS_SQL,
            {**ids, "people": people, "each": SUPPORTS_EACH, "size": last},
        )
        cursor.execute("DROP TABLE bench_proposal_ids")
        timings["supports"] = time.perf_counter() - started
        started = time.perf_counter()
        for statement in rebuild:
            cursor.execute(statement)
        timings["indexes"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(
            "UPDATE proposals_proposal SET support_count = %s WHERE process_id = %s",
            [people * SUPPORTS_EACH // last, ids["process"]],
        )
        cursor.execute("VACUUM ANALYZE proposals_proposal")
        cursor.execute("ANALYZE proposals_support")
        timings["counts"] = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM proposals_support")
        timings["support_rows"] = cursor.fetchone()[0]
    return timings


def pages_to_measure(cookie: str) -> list[tuple[str, str, str, str, str]]:
    """(who, page, path, cookie, text the answer must hold)."""
    process = "/processes/bench-ideas/"
    api = "/api/v1/proposals?process=bench-ideas"
    pages = [("visitor", "trivial view (baseline)", "/bench/trivial", "", "ok")]
    pages.append(("visitor", "process page", process, "", "proposal-list"))
    for sort in ("supported", "commented", "random"):
        seed = f"&seed={SEED}" if sort == "random" else ""
        pages.append(("visitor", f"list: {sort}", f"{process}?sort={sort}{seed}", "", "Proposal"))
    pages.append(("resident", "process page", process, cookie, "proposal-list"))
    # The same after a change: nothing kept (FreshInProcess starts a new generation first).
    pages.append(("visitor", "process page, rendered", process, "", "proposal-list"))
    pages.append(("resident", "process page, rendered", process, cookie, "proposal-list"))
    pages.append(("visitor", "API: newest", api, "", '"items"'))
    for sort in ("supported", "commented", "random"):
        seed = f"&seed={SEED}" if sort == "random" else ""
        pages.append(("visitor", f"API: {sort}", f"{api}&sort={sort}{seed}", "", '"items"'))
    return pages


class FreshInProcess(InProcess):
    """A request as after a change: the kept process pages and lists start a new generation
    first (a cache write, inside the time measured)."""

    def get(self, path: str, cookie: str) -> tuple[str, str]:
        from agora.processes.pages import VISITORS_PAGES
        from agora.proposals.parts import LISTS

        VISITORS_PAGES.invalidate()
        LISTS.invalidate()
        return super().get(path, cookie)


def explain(path: str, runner: InProcess) -> list[str]:
    """The plans of a page's queries on the proposals table."""
    from django.db import connection

    plans = []
    for sql, params in runner.statements(path, ""):
        if "proposals_proposal" not in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def setup_django(database: str) -> None:
    os.environ["AGORA_URLCONF"] = "bench.urls"  # the trivial view beside the site
    from bench.social import setup_django as social_setup

    social_setup(database)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="agora_bench_proposals")
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=list(SIZES), help="proposals, ascending"
    )
    parser.add_argument("--runs", type=int, default=200, help="requests per page in-process")
    parser.add_argument(
        "--people", type=int, default=PEOPLE, help=f"each supports {SUPPORTS_EACH} proposals"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-write", action="store_true", help="print, do not edit the docs")
    options = parser.parse_args()
    from bench import run

    run.recreate_database(SERVER, options.database)
    settle_planner(options.database)
    setup_django(options.database)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from agora.accounts.models import User

    measured, generated, plans = [], {}, {}
    try:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed", verbosity=0)
        ids = make_process()
        ids["first_person"] = add_people(options.people)
        resident = User.objects.get(handle="bench2")
        cookie = f"{settings.SESSION_COOKIE_NAME}={run.signed_in_session(resident)}"
        done = 0
        for size in options.sizes:
            generated[size] = grow(ids, done + 1, size, people=options.people)
            done = size
            print(f"{size:,} proposals: {generated[size]}", flush=True)
            connections.close_all()
            runner = InProcess(options.database)
            fresh = FreshInProcess(options.database)
            plans[size] = explain(f"/processes/bench-ideas/?sort=random&seed={SEED}", runner)
            gc.collect()
            with OtherLoad(lambda runner=runner: {os.getpid(), *runner.database_cpu()}) as other:
                for who, name, path, page_cookie, expect in pages_to_measure(cookie):
                    chosen = fresh if name.endswith("rendered") else runner
                    figures = chosen.measure(path, page_cookie, options.runs, expect)
                    measured.append((size, who, name, figures))
                    print(
                        f"{size:>9,} {who:8} {name:24} p50 {figures.wall(50):6.1f} ms  "
                        f"p99 {figures.wall(99):6.1f} ms  CPU {figures.cpu_mean_ms:5.1f} + "
                        f"{figures.database_cpu_ms:4.1f} ms  {figures.queries} queries",
                        flush=True,
                    )
            generated[size]["other"] = other.describe()
            print(other.describe(), flush=True)
    finally:
        if not options.keep:
            run.drop_database(SERVER, options.database)
    for size, size_plans in plans.items():
        print(f"--- plans of the random order at {size:,}:\n" + "\n\n".join(size_plans))
    if not options.no_write:
        write_section(options, generated, measured, plans)
    return 1 if problems(measured) else 0


def problems(measured) -> list[str]:
    found = []
    queries: dict[tuple[str, str], set[int]] = {}
    for size, who, name, figures in measured:
        queries.setdefault((who, name), set()).add(figures.queries)
        if figures.wall(99) >= P99_LIMIT_MS:
            found.append(f"{who}, {name} at {size:,}: p99 {figures.wall(99):.1f} ms")
    found += [
        f"{who}, {name}: queries {sorted(counts)}"
        for (who, name), counts in queries.items()
        if len(counts) > 1
    ]
    return found


def write_section(options, generated, measured, plans) -> None:
    from bench.tools import replace_section

    baseline = {size: f for size, _who, name, f in measured if name.startswith("trivial")}
    sizes = sorted(generated)
    lines = [
        "## Proposals: the process page and the proposal list at "
        + ", ".join(f"{size:,}" for size in sizes)
        + " proposals",
        "",
        f"Written by `bench/proposals.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; rerun it "
        "rather than editing this section.",
        "",
        f"- **Machine:** {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}, PostgreSQL on the same machine, shared with other "
        "engineers' test suites and benchmarks: the wall-clock figures wait for a CPU now and "
        "then, so p99 is noisy; each size was run once.",
        "- **Other load while measuring:** "
        + "; ".join(f"at {size:,}: {generated[size]['other']}" for size in sizes)
        + ".",
        "- **Data:** `agora seed`, a process in its support phase made through the verbs, "
        f"{options.people:,} people written in SQL; then the process's proposals grown in SQL "
        "to each size (one in a hundred answered; comment counters from 0 to 199), and at each "
        "size "
        f"{options.people * SUPPORTS_EACH:,} supports written again ({options.people:,} people × "
        f"{SUPPORTS_EACH} distinct proposals each, spread evenly, each proposal's count equal "
        "to its rows). Writing: "
        + "; ".join(
            f"{size:,} proposals in {generated[size]['proposals']:.0f} s, "
            f"{generated[size]['support_rows']:,} supports in {generated[size]['supports']:.0f} s "
            f"and their indexes in {generated[size]['indexes']:.0f} s"
            for size in sizes
        )
        + ".",
        f"- **Method:** {options.runs} requests per page through Django's WSGI handler in one "
        "process, after 10 unmeasured ones; server time is the handler's wall-clock time. The "
        "visitor is anonymous; the resident is one of the people, signed in, with 100 "
        f"supports. The random order uses the seed {SEED}. A visitor's process page and the "
        "proposal list are kept for many readers (`processes.pages.VISITORS_PAGES`, "
        '`proposals.parts.LISTS`), so the rows without "rendered" measure them kept, as they '
        'are read between changes; the "rendered" rows start a new generation of both '
        "before each request, as after a change. Ratio: the page's p50 and p99 "
        "divided by the trivial view's (`bench/urls.py`) at the same size. CPU: this thread's CPU "
        "time per request (mean), plus the database backend's per request: the figure that "
        "waiting for a busy machine's CPUs moves least. Target: p99 under "
        f"{P99_LIMIT_MS:.0f} ms at every size, and the same queries at every size.",
        "",
        "| proposals | who | page | p50 | p99 | p50 ratio | p99 ratio | CPU: app + database "
        "| queries |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, who, name, figures in measured:
        base = baseline[size]
        lines.append(
            f"| {size:,} | {who} | {name} | {figures.wall(50):.1f} ms | "
            f"{figures.wall(99):.1f} ms | {figures.wall(50) / base.wall(50):.1f} | "
            f"{figures.wall(99) / base.wall(99):.1f} | {figures.cpu_mean_ms:.1f} + "
            f"{figures.database_cpu_ms:.1f} ms | {figures.queries} |"
        )
    missed = problems(measured)
    lines += [
        "",
        f"**Target:** {'missed: ' + '; '.join(missed) if missed else 'met at every size'}.",
        "",
        f"The random order's queries at {sizes[-1]:,} proposals (`EXPLAIN`):",
        "",
        "```",
        *("\n\n".join(plans[sizes[-1]]).splitlines()),
        "```",
    ]
    document = ROOT / "docs" / "performance.md"
    document.write_text(replace_section(document.read_text(), "proposals", "\n".join(lines)))


if __name__ == "__main__":
    sys.exit(main())
