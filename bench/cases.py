"""Cases at the size of a city: the demo city's seed, then its cases copied to 1,000,000 (half
public, spread over a year and over the offices, places and states the seed uses), on
PostgreSQL; then the server time of the pages that grow with cases: an official's case page,
the parent office's inbox (its sub-offices' work included) and its filters, a resident's own
cases, the map page and its points.

Run `.venv/bin/python bench/cases.py`. It creates the database `agora_bench_cases` on
127.0.0.1:5432 (user `postgres`), migrates it, runs `agora seed`, copies the cases in SQL
(about a minute), then measures each page in this process through Django's WSGI handler, as
`bench/social.py` does. It writes the section between `<!-- bench:cases:start -->` and
`<!-- bench:cases:end -->` of docs/performance.md and drops the database (`--keep` keeps it,
`--reuse` measures a kept one again). It exits 1 when a page's in-process p99 is 50 ms or more.
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

from bench.social import SERVER, InProcess, OtherLoad, setup_django  # noqa: E402

P99_LIMIT_MS = 50.0

# Every seeded case is copied with a new id, reference and time; where it is and who has it
# stay those of a real case. One public case in two; one in ten with a point on the map; one in
# a hundred keeps the seeded case's state (the offices' backlog), the others are closed, as a
# year's cases mostly are.
COPY_CASES = """
INSERT INTO cases_case (
    reference, kind, title, description, topic_id, area_id, longitude, latitude, address,
    photo, photo_alt, media_url, is_public, submitted_by_id, channel, claim_code_hash, state,
    office_id, assigned_to_id, acknowledge_due_at, answer_due_at, acknowledged_at, answered_at,
    finished_at, transfer_count, support_count, created_at, updated_at
)
SELECT
    upper(substr(md5(n::text || '-' || c.id), 1, 4) || '-' || substr(md5(c.id || '+' || n), 1, 4)),
    c.kind, c.title, c.description, c.topic_id, c.area_id,
    CASE WHEN n %% 10 = 0 THEN -3.70 + random() * 0.06 END,
    CASE WHEN n %% 10 = 0 THEN 40.34 + random() * 0.10 END,
    c.address,
    '', '', '', n %% 2 = 0, c.submitted_by_id, c.channel, '',
    CASE WHEN n %% 100 = 0 THEN c.state ELSE 'closed' END,
    c.office_id, c.assigned_to_id, c.acknowledge_due_at - shift, c.answer_due_at - shift,
    c.acknowledged_at - shift, c.answered_at - shift,
    CASE WHEN n %% 100 = 0 THEN c.finished_at - shift
         ELSE c.created_at - shift + interval '9 days' END,
    c.transfer_count, c.support_count, c.created_at - shift, c.updated_at - shift
FROM generate_series(%(first)s, %(last)s) AS n
CROSS JOIN cases_case AS c
CROSS JOIN LATERAL (SELECT make_interval(mins => ((n * 37 + c.id) %% 525600)::int)) AS s(shift)
WHERE c.id <= %(seeded)s
ON CONFLICT (reference) DO NOTHING
"""


def generate(total: int) -> dict:
    from django.db import connection

    from agora.cases.models import Case

    # The seed's cases are those up to the last id now; their ids need not start at 1 (a
    # database whose sequence ran on, as a test database's does), so count them apart.
    last_seeded = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    seeded = Case.objects.count()
    if not seeded:
        raise RuntimeError("the seed made no case to copy")
    copies = max(1, total // seeded)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(COPY_CASES, {"first": 1, "last": copies, "seeded": last_seeded})
        cursor.execute("ANALYZE")
    return {
        "seeded": seeded,
        "cases": Case.objects.count(),
        "public": Case.objects.filter(is_public=True).count(),
        "seconds": time.perf_counter() - started,
    }


def pages_to_measure() -> list[tuple[str, str, str, str, str]]:
    """(who, page, path, cookie, text the answer must hold)."""
    from django.conf import settings

    from agora.accounts.models import User
    from agora.cases.models import Case
    from bench import run

    def cookie(handle: str) -> str:
        session = run.signed_in_session(User.objects.get(handle=handle))
        return f"{settings.SESSION_COOKIE_NAME}={session}"

    official = cookie("roads_office")
    newest = Case.objects.filter(office__slug="public-lighting").order_by("-created_at").first()
    resident = newest.submitted_by
    mine = cookie(resident.handle)
    inbox = "/cases/inbox/roads-mobility/"
    return [
        ("official", "case page", newest.get_absolute_url(), official, newest.reference),
        ("official", "inbox, parent office", inbox, official, "<table"),
        ("official", "inbox, overdue", f"{inbox}?overdue=on", official, "</main>"),
        (
            "official",
            "inbox, by reference",
            f"{inbox}?reference={newest.reference}",
            official,
            newest.reference,
        ),
        ("resident", "my cases", "/cases/", mine, "</main>"),
        ("visitor", "map page", "/directory/map/", "", "map-counts-heading"),
        ("visitor", "map points", "/cases/map.geojson", "", "FeatureCollection"),
        ("visitor", "a public case", newest.get_absolute_url(), "", "</main>"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="agora_bench_cases")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200, help="requests per page in-process")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database")
    parser.add_argument("--no-write", action="store_true", help="print, do not edit the docs")
    options = parser.parse_args()
    from bench import run

    if not options.reuse:
        run.recreate_database(SERVER, options.database)
    setup_django(options.database)
    from django.core.management import call_command
    from django.db import connections

    from agora.cases.models import Case

    results = []
    try:
        call_command("migrate", interactive=False, verbosity=0)
        if not options.reuse:
            call_command("seed", verbosity=0)
            generated = generate(options.cases)
            print("generated:", generated, flush=True)
        else:
            generated = {"cases": Case.objects.count()}
            generated["public"] = Case.objects.filter(is_public=True).count()
        connections.close_all()
        runner = InProcess(options.database)
        pages = pages_to_measure()
        gc.collect()
        gc.freeze()
        with OtherLoad(lambda: {os.getpid(), *runner.database_cpu()}) as other:
            for who, name, path, cookie, expect in pages:
                figures = runner.measure(path, cookie, options.runs, expect)
                results.append((who, name, figures))
                print(
                    f"{who:9} {name:22} p50 {figures.wall(50):6.1f} ms  "
                    f"p99 {figures.wall(99):6.1f} ms  CPU {figures.cpu_mean_ms:5.1f} + "
                    f"{figures.database_cpu_ms:4.1f} ms  {figures.queries} queries",
                    flush=True,
                )
        print(other.describe(), flush=True)
    finally:
        if not options.keep:
            run.drop_database(SERVER, options.database)
    if not options.no_write:
        write_section(options, generated, results, other)
    return 1 if max(figures.wall(99) for _who, _name, figures in results) >= P99_LIMIT_MS else 0


def write_section(options, generated, results, other) -> None:
    from bench.tools import replace_section

    lines = [
        f"## Cases: an official's pages and the map at {generated['cases']:,} cases",
        "",
        f"Written by `bench/cases.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; rerun it "
        "rather than editing this section.",
        "",
        f"- **Machine:** {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}, PostgreSQL on the same machine.",
        f"- **Other load:** {other.describe()}.",
        f"- **Data:** `agora seed`, then its cases copied to {generated['cases']:,} "
        f"({generated['public']:,} public) over a year, in SQL.",
        f"- **Method:** {options.runs} requests per page through Django's WSGI handler in one "
        "process, after 10 unmeasured ones; server time (wall clock) and CPU time (this "
        "process, plus the database's backends per request). The official acts for Roads and "
        "Mobility, whose inbox holds its sub-offices' cases. Target: p99 under "
        f"{P99_LIMIT_MS:.0f} ms for every page.",
        "",
        "| who | page | p50 | p99 | CPU per request (app + database) | queries |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for who, name, figures in results:
        lines.append(
            f"| {who} | {name} | {figures.wall(50):.1f} ms | {figures.wall(99):.1f} ms | "
            f"{figures.cpu_mean_ms:.1f} + {figures.database_cpu_ms:.1f} ms | {figures.queries} |"
        )
    over = [f"{who}: {name}" for who, name, figures in results if figures.wall(99) >= P99_LIMIT_MS]
    lines += [
        "",
        f"**Target:** {'missed by ' + '; '.join(over) if over else 'met by every page'}.",
    ]
    document = ROOT / "docs" / "performance.md"
    document.write_text(replace_section(document.read_text(), "cases", "\n".join(lines)))


if __name__ == "__main__":
    sys.exit(main())
