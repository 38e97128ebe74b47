"""The social scale curve: 10,000 → 100,000 → 1,000,000 people, each with 10 posts, 25 follows
and 25 likes (50 follows and likes), and a case for every ten people, grown in one PostgreSQL
database; at each step the server time and query count of the home feed, a profile, an
office inbox and a case page.

Run `.venv/bin/python bench/scale.py` (`--steps 10000,100000` for fewer steps). It creates the
database `agora_bench_scale` on 127.0.0.1:5432 (user `postgres`), migrates it, runs `agora
seed`, then at each step adds the people, posts, follows, likes and cases in SQL (`INSERT ...
SELECT generate_series`, with parallel workers and foreign-key triggers off while writing, the
full-text index made again afterwards) and measures each page in this process through Django's
WSGI handler, as `bench/social.py` does. It writes the section between `<!-- bench:scale:start
-->` and `<!-- bench:scale:end -->` of docs/performance.md and the chart docs/scale.svg, and
drops the database (`--keep` keeps it). It exits 1 when a page's p99 is 50 ms or more at any
step, or its query count differs between steps.
"""

import argparse
import gc
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATABASE = "agora_bench_scale"
STEPS = (10_000, 100_000, 1_000_000)
P99_LIMIT_MS = 50.0
POSTS_EACH = 10
FOLLOWS_EACH = 25
LIKES_EACH = 25  # follows and likes: 50 a person
PEOPLE_PER_CASE = 10
CHART = ROOT / "docs" / "scale.svg"

# Person n (from 1) is the account `scale<n>` with the id base + n, so each step knows every
# earlier person's id without reading them back.
PEOPLE_SQL = """
INSERT INTO accounts_user (
    id, password, is_superuser, email, handle, display_name, bio, avatar, home_area,
    preferred_language, profile_visibility, connections_visibility, role, verification,
    verification_method, is_active, is_staff, date_joined, session_generation, kind,
    kind_detail, hide_counts
)
SELECT %(base)s + n, '!', false, 'scale' || n || '@bench.example', 'scale' || n,
       'Scale person ' || n, '', '', '', 'en', 'public', 'public', 'resident',
       'email_confirmed', '', true, false, now() - interval '90 days', 0, 'resident', '', ''
FROM generate_series(%(first)s, %(last)s) AS n
"""
# Post m (from 1) is the (m - 1) % 10 + 1-th of person (m - 1) / 10 + 1, spread over a year,
# one in ten for followers only. Its likes are known in advance (LIKES_SQL): person q's j-th
# post is liked by the people q + k, k from 1 to 25 with k % 10 = j - 1, who exist yet (all of
# them but for the last 25 people, whose likers are counted one by one).
POSTS_SQL = """
INSERT INTO social_post (
    id, author_id, body, body_html, visibility, reply_policy, created_at, like_count,
    comment_count, share_count, moderation_state, service_information
)
SELECT %(post_base)s + m, %(base)s + person, sentence, '<p>' || sentence || '</p>',
       CASE WHEN m %% 10 = 0 THEN 'followers' ELSE 'public' END, 'everyone',
       now() - make_interval(mins => ((m::bigint * 7919) %% 525600)::int),
       CASE WHEN person + %(likes_each)s <= %(last)s
            THEN CASE WHEN (m - 1) %% 10 = 0 THEN %(likes_each)s / 10
                      ELSE (%(likes_each)s - (m - 1) %% 10) / 10 + 1 END
            ELSE (SELECT count(*) FROM generate_series(1, %(likes_each)s) AS k
                  WHERE k %% 10 = (m - 1) %% 10 AND person + k <= %(last)s)
       END,
       0, 0, 'visible', false
FROM generate_series(%(first)s * %(posts_each)s - %(posts_each)s + 1,
                     %(last)s * %(posts_each)s) AS m
CROSS JOIN LATERAL (SELECT (m - 1) / %(posts_each)s + 1) AS p(person)
CROSS JOIN LATERAL (
    SELECT (ARRAY['The bus stop on Mill Road needs a shelter',
                  'Thanks to the parks team for the new benches',
                  'Who decides when the library opens on Sundays?',
                  'Street lights on Elm Avenue are out again',
                  'Great turnout at the neighbourhood meeting tonight',
                  'Can we have a safe crossing near the school?',
                  'The recycling collection moved to Thursdays',
                  'Our street would love more trees'])[1 + m %% 8] || ' (' || m || ')'
) AS s(sentence)
"""
# The last 25 people of the step before have new likers now: count their posts' likes again.
RECOUNT_SQL = """
UPDATE social_post SET like_count = (
    SELECT count(*) FROM generate_series(1, %(likes_each)s) AS k
    WHERE k %% 10 = (id - %(post_base)s - 1) %% 10
      AND (id - %(post_base)s - 1) / %(posts_each)s + 1 + k <= %(last)s
)
WHERE id > %(post_base)s + (%(first)s - 1 - %(likes_each)s) * %(posts_each)s
  AND id <= %(post_base)s + (%(first)s - 1) * %(posts_each)s
"""
# Person n follows 25 people spread over everyone there is at this step (never themself).
FOLLOWS_SQL = """
INSERT INTO social_follow (follower_id, followee_id, created_at)
SELECT %(base)s + n, %(base)s + (n - 1 + k * (%(last)s / (%(follows_each)s + 1))) %% %(last)s + 1,
       now() - interval '30 days'
FROM generate_series(%(first)s, %(last)s) AS n
CROSS JOIN generate_series(1, %(follows_each)s) AS k
"""
# Person n likes one post of each of the 25 people before them (see POSTS_SQL).
LIKES_SQL = """
INSERT INTO social_postlike (user_id, post_id, created_at)
SELECT %(base)s + n, %(post_base)s + (n - k - 1) * %(posts_each)s + k %% 10 + 1,
       now() - interval '1 day'
FROM generate_series(%(first)s, %(last)s) AS n
CROSS JOIN generate_series(1, %(likes_each)s) AS k
WHERE n - k >= 1
"""
FTS_INDEX = (
    "CREATE INDEX social_post_body_fts ON social_post "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(body, '')))"
)


def setup_django(database: str) -> None:
    from bench.social import setup_django as social_setup

    social_setup(database)


def prepare() -> dict:
    """After `agora seed`: where the generated ids start."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM accounts_user")
        base = cursor.fetchone()[0] + 1000
        cursor.execute("SELECT coalesce(max(id), 0) FROM social_post")
        post_base = cursor.fetchone()[0] + 1000
    from agora.cases.models import Case

    seeded = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return {"base": base, "post_base": post_base, "seeded_cases": seeded}


def grow(ids: dict, first: int, last: int) -> dict:
    """People `first` to `last` with their posts, follows, likes and cases; answers the seconds
    each part took."""
    from django.db import connection

    from bench.cases import COPY_CASES

    values = {
        **ids,
        "first": first,
        "last": last,
        "posts_each": POSTS_EACH,
        "follows_each": FOLLOWS_EACH,
        "likes_each": LIKES_EACH,
    }
    timings = {}
    with connection.cursor() as cursor:
        # One core for the writing (the machine is shared), and the generated ids are valid,
        # so the foreign-key triggers (one queued check per row) are off while writing.
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SET max_parallel_maintenance_workers = 0")
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("DROP INDEX IF EXISTS social_post_body_fts")
        for name, statement in (
            ("people", PEOPLE_SQL),
            ("posts", POSTS_SQL),
            ("recount", RECOUNT_SQL),
            ("follows", FOLLOWS_SQL),
            ("likes", LIKES_SQL),
        ):
            started = time.perf_counter()
            cursor.execute(statement, values)
            timings[name] = time.perf_counter() - started
        started = time.perf_counter()
        seeded = ids["seeded_cases"]
        cursor.execute(
            COPY_CASES,
            {
                "first": (first - 1) // PEOPLE_PER_CASE // seeded + 1,
                "last": max(1, last // PEOPLE_PER_CASE // seeded),
                "seeded": seeded,
            },
        )
        timings["cases"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(FTS_INDEX)
        timings["search index"] = time.perf_counter() - started
        cursor.execute("SET session_replication_role = DEFAULT")
        for table in ("accounts_user", "social_post", "social_follow", "social_postlike"):
            # The table names are the constants above, never input.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        started = time.perf_counter()
        cursor.execute("ANALYZE")
        timings["analyze"] = time.perf_counter() - started
    return timings


def counts() -> dict:
    from django.db import connection

    tables = {
        "people": "accounts_user",
        "posts": "social_post",
        "follows": "social_follow",
        "likes": "social_postlike",
        "cases": "cases_case",
    }
    found = {}
    with connection.cursor() as cursor:
        for name, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - constants above
            found[name] = cursor.fetchone()[0]
    return found


def pages_to_measure(ids: dict) -> list[tuple[str, str, str, str]]:
    """(page, path, cookie, text the answer must hold): person 1's home feed (25 followed, each
    with 10 posts), a profile seen by person 1, the roads office's inbox and the newest case of
    public lighting as its official sees them (`bench/cases.py`)."""
    from django.conf import settings

    from agora.accounts.models import User
    from bench import cases, run

    person = User.objects.get(pk=ids["base"] + 1)
    session = run.signed_in_session(person)
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    official = {
        name: (path, cookie_, expect)
        for _w, name, path, cookie_, expect in cases.pages_to_measure()
    }
    return [
        ("home feed", "/home/", cookie, 'class="feed"'),
        ("a profile", "/@scale2/", cookie, "@scale2"),
        ("office inbox", *official["inbox, parent office"]),
        ("case page", *official["case page"]),
    ]


def measure(ids: dict, runs: int, database: str) -> list[tuple[str, object]]:
    from bench.social import InProcess

    runner = InProcess(database)
    pages = pages_to_measure(ids)
    gc.collect()
    gc.freeze()
    results = []
    for name, path, cookie, expect in pages:
        figures = runner.measure(path, cookie, runs, expect)
        results.append((name, figures))
        print(
            f"  {name:14} p50 {figures.wall(50):6.1f} ms  p99 {figures.wall(99):6.1f} ms  "
            f"CPU {figures.cpu_mean_ms:5.1f} + {figures.database_cpu_ms:4.1f} ms  "
            f"{figures.queries} queries",
            flush=True,
        )
    gc.unfreeze()
    return results


def problems(measured: list[tuple[int, list]]) -> list[str]:
    """A page whose p99 is at or over the limit at any step, or whose query count moved."""
    found = []
    by_page: dict[str, list[tuple[int, object]]] = {}
    for people, results in measured:
        for name, figures in results:
            by_page.setdefault(name, []).append((people, figures))
            if figures.wall(99) >= P99_LIMIT_MS:
                found.append(f"{name} at {people:,} people: p99 {figures.wall(99):.1f} ms")
    for name, steps in by_page.items():
        queries = {figures.queries for _people, figures in steps}
        if len(queries) > 1:
            found.append(f"{name}: query counts differ between steps {sorted(queries)}")
    return found


# The chart ----------------------------------------------------------------------------------

COLOURS = ("#1b6ac9", "#c2410c", "#15803d", "#7e22ce")


def chart(measured: list[tuple[int, list]], limit_ms: float = P99_LIMIT_MS) -> str:
    """An SVG line chart of each page's p99 (solid) and p50 (dashed) server time against the
    number of people on a logarithmic axis, with the target as a red line. Plain SVG text,
    readable without a script."""
    import math

    width, height, left, right, top, bottom = 640, 360, 60, 170, 30, 50
    people = [size for size, _results in measured]
    names = [name for name, _f in measured[0][1]] if measured else []
    highest = max(
        [limit_ms * 1.2]
        + [figures.wall(99) for _size, results in measured for _name, figures in results]
    )
    ceiling = 10 ** math.ceil(math.log10(highest)) / 2
    while ceiling < highest:
        ceiling *= 2
    low, high = math.log10(min(people)), math.log10(max(people))
    span = (high - low) or 1.0

    def x(size: int) -> float:
        if high == low:
            return left + (width - left - right) / 2
        return left + (math.log10(size) - low) / span * (width - left - right)

    def y(ms: float) -> float:
        return top + (1 - ms / ceiling) * (height - top - bottom)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="title desc" '
        'font-family="sans-serif" font-size="12">',
        '<title id="title">Server time against the number of people</title>',
        '<desc id="desc">p99 (solid) and p50 (dashed) server time in milliseconds of the home '
        "feed, a profile, an office inbox and a case page at each size; the red line is the "
        f"{limit_ms:.0f} ms target.</desc>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
    ]
    for tick in range(5):
        value = ceiling * tick / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:g}</text>'
        )
    for size in people:
        parts.append(
            f'<text x="{x(size):.1f}" y="{height - bottom + 18}" text-anchor="middle">'
            f"{size:,}</text>"
        )
    parts += [
        f'<text x="{(left + width - right) / 2}" y="{height - 10}" text-anchor="middle">'
        "people (10 posts, 50 follows and likes each)</text>",
        f'<text x="14" y="{(top + height - bottom) / 2}" text-anchor="middle" '
        f'transform="rotate(-90 14 {(top + height - bottom) / 2})">server time (ms)</text>',
        f'<line x1="{left}" x2="{width - right}" y1="{y(limit_ms):.1f}" y2="{y(limit_ms):.1f}" '
        'stroke="#b91c1c" stroke-width="1.5"/>',
    ]
    for index, name in enumerate(names):
        colour = COLOURS[index % len(COLOURS)]
        for q, dash in ((99, ""), (50, ' stroke-dasharray="4 3"')):
            points = " ".join(
                f"{x(size):.1f},{y(dict(results)[name].wall(q)):.1f}" for size, results in measured
            )
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" '
                f'stroke-width="2"{dash}/>'
            )
            for size, results in measured:
                parts.append(
                    f'<circle cx="{x(size):.1f}" cy="{y(dict(results)[name].wall(q)):.1f}" '
                    f'r="3" fill="{colour}"/>'
                )
        legend_y = top + 18 * index
        parts.append(
            f'<line x1="{width - right + 12}" x2="{width - right + 32}" y1="{legend_y}" '
            f'y2="{legend_y}" stroke="{colour}" stroke-width="2"/>'
            f'<text x="{width - right + 38}" y="{legend_y + 4}">{escape(name)}</text>'
        )
    legend_y = top + 18 * len(names) + 8
    parts.append(
        f'<text x="{width - right + 12}" y="{legend_y}">solid: p99</text>'
        f'<text x="{width - right + 12}" y="{legend_y + 16}">dashed: p50</text>'
        f'<line x1="{width - right + 12}" x2="{width - right + 32}" y1="{legend_y + 30}" '
        f'y2="{legend_y + 30}" stroke="#b91c1c" stroke-width="1.5"/>'
        f'<text x="{width - right + 38}" y="{legend_y + 34}" fill="#b91c1c">target: p99</text>'
        f'<text x="{width - right + 38}" y="{legend_y + 50}" fill="#b91c1c">'
        f"under {limit_ms:.0f} ms</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# The run ------------------------------------------------------------------------------------


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--steps",
        default=",".join(str(step) for step in STEPS),
        help="the sizes in people, ascending, comma-separated",
    )
    parser.add_argument("--runs", type=int, default=200, help="requests per page per step")
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-write", action="store_true", help="print, do not edit the docs")
    options = parser.parse_args(argv)
    options.steps = [int(step.replace("_", "")) for step in options.steps.split(",")]
    if options.steps != sorted(set(options.steps)) or options.steps[0] < 100:
        parser.error("--steps: ascending sizes of at least 100 people")
    return options


def main(argv=None) -> int:
    options = parse_arguments(argv)
    from bench import run, tools
    from bench.social import SERVER, OtherLoad, settle_planner

    run.recreate_database(SERVER, options.database)
    setup_django(options.database)
    from django.core.management import call_command
    from django.db import connections

    measured, generated, others = [], [], []
    try:
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed", verbosity=0)
        ids = prepare()
        settle_planner(options.database)
        print(f"migrated and seeded in {time.perf_counter() - started:.0f} s", flush=True)
        first = 1
        for people in options.steps:
            started = time.perf_counter()
            timings = grow(ids, first, people)
            seconds = time.perf_counter() - started
            found = counts()
            generated.append((people, seconds, timings, found))
            print(f"{people:,} people: generated in {seconds:.0f} s {found}", flush=True)
            connections.close_all()  # a new session takes the database's planner settings
            own = lambda: {os.getpid(), *tools.database_backends(options.database)}  # noqa: E731
            with OtherLoad(own) as other:
                measured.append((people, measure(ids, options.runs, options.database)))
            others.append((people, other))
            print(other.describe(), flush=True)
            first = people + 1
    finally:
        if not options.keep:
            run.drop_database(SERVER, options.database)
    found = problems(measured)
    if not options.no_write:
        CHART.write_text(chart(measured))
        write_section(options, generated, measured, others, found)
    for problem in found:
        print(f"scale: {problem}", file=sys.stderr)
    return 1 if found else 0


def write_section(options, generated, measured, others, found) -> None:
    from bench.tools import replace_section

    sizes = ", ".join(f"{people:,}" for people, _results in measured)
    lines = [
        f"## Scale: the social curve at {sizes} people",
        "",
        f"Written by `bench/scale.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; rerun it "
        "rather than editing this section.",
        "",
        f"- **Machine:** {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}, PostgreSQL on the same machine.",
        f"- **Command:** `.venv/bin/python bench/scale.py --steps "
        f"{','.join(str(people) for people, _results in measured)} --runs {options.runs}`"
        + (
            ""
            if [people for people, _results in measured] == list(STEPS)
            else "; the full curve is `.venv/bin/python bench/scale.py` (up to 1,000,000 "
            "people, 10,000,000 posts, 25,000,000 follows and 25,000,000 likes)"
        )
        + ".",
        "- **Other load** while each step was measured: "
        + "; ".join(f"at {people:,} people, {other.describe()}" for people, other in others)
        + ". The machine is shared by several engineers' test runs: the wall-clock figures "
        "wait for a CPU now and then, so compare the steps with each other rather than with "
        "the target alone.",
        f"- **Data:** `agora seed`, then at each step people up to the size, each with "
        f"{POSTS_EACH} posts over a year (one in ten for followers), {FOLLOWS_EACH} follows and "
        f"{LIKES_EACH} likes, and a case for every {PEOPLE_PER_CASE} people (the seed's cases "
        "copied, as `bench/cases.py` does), written in SQL (`INSERT ... SELECT "
        "generate_series`) with parallel workers off; `max_parallel_workers_per_gather = 0` "
        "and `jit = off` for the database, as `bench/social.py` sets.",
        f"- **Method:** {options.runs} requests per page at each step through Django's WSGI "
        "handler in one process, after 10 unmeasured ones: server time (wall clock), CPU time "
        "and queries per request. The home feed and the profile are person 1's (25 followed, "
        "10 posts each); the inbox and the case page are the roads office's official's "
        f"(`bench/cases.py`). Target: p99 under {P99_LIMIT_MS:.0f} ms and the same queries "
        "at every step.",
        "",
        "![p99 and p50 server time of each page against the number of people](scale.svg)",
        "",
        "| people | posts | follows | likes | cases | generated in |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for people, seconds, _timings, rows in generated:
        lines.append(
            f"| {people:,} | {rows['posts']:,} | {rows['follows']:,} | {rows['likes']:,} "
            f"| {rows['cases']:,} | {seconds:.0f} s |"
        )
    lines += ["", "| page | " + " | ".join(f"{people:,}" for people, _r in measured) + " |"]
    lines.append("|---|" + "---:|" * len(measured))
    names = [name for name, _f in measured[0][1]]
    for name in names:
        cells = []
        for _people, results in measured:
            figures = dict(results)[name]
            cells.append(
                f"{figures.wall(50):.1f} / {figures.wall(99):.1f} ms; "
                f"{figures.cpu_mean_ms + figures.database_cpu_ms:.1f} ms CPU; "
                f"{figures.queries} q"
            )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Each cell: p50 / p99 server time; CPU time per request (this process's mean plus "
        "the database backends'), which other work on the machine hardly moves; queries per "
        "request.",
        "",
        "**Target:** "
        + ("met at every step." if not found else "**not met**: " + "; ".join(found) + "."),
    ]
    document = ROOT / "docs" / "performance.md"
    document.write_text(replace_section(document.read_text(), "scale", "\n".join(lines)))


if __name__ == "__main__":
    sys.exit(main())
