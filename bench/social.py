"""Social speed at size: 100,000 people, 1,000,000 posts, 5,000,000 follows and 5,000,000
likes on PostgreSQL, then the server time of the home feed and the profile pages for a person
following 200 people and one following 5,000.

Run `.venv/bin/python bench/social.py`. It creates the database `agora_bench_social` on
127.0.0.1:5432 (user `postgres`), migrates it, fills it with COPY, measures each page in this
process through Django's test client (server time: URL routing, middleware, view, queries and
template, without a network), writes the section between `<!-- bench:social:start -->` and
`<!-- bench:social:end -->` of docs/performance.md and drops the database (`--keep` keeps it,
`--reuse` measures a kept one again without generating). It exits 1 when a home feed's p99 is
50 ms or more.
"""

import argparse
import io
import os
import platform
import statistics
import sys
import time
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
]
POST_COLUMNS = [
    *("id", "author_id", "body", "body_html", "visibility", "reply_policy", "created_at"),
    *("like_count", "comment_count", "share_count"),
]
TAGS = ["parks", "transport", "safety", "libraries", "recycling", "trees", "schools", "budget"]


def setup_django(database: str) -> None:
    os.environ["AGORA_ENV"] = "test"
    # The API's per-account budget would answer most measured requests with 429.
    os.environ["AGORA_API_RATE"] = "1000000/m"
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
    import django

    django.setup()


def recreate_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name: str) -> None:
    import psycopg
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


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
                f"public\tpublic\t{roles[n - 1]}\temail_confirmed\t\tt\tf\t{stamp}\n"
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
                f"{visibility[n]}\teveryone\t{created[n]}\t{like_counts[n + 1]}\t0\t0\n"
                for n in range(posts)
            ),
        )
        timings["posts"] = time.perf_counter() - started

        started = time.perf_counter()
        # Person 1 follows 200 people, person 2 follows 5,000; everyone else at random.
        special = [
            np.column_stack((np.full(200, 1), np.arange(101, 301))),
            np.column_stack((np.full(5000, 2), np.arange(1001, 6001))),
        ]
        random_pairs = unique_pairs(generator, follows - 5200, people, people, no_self=True)
        random_pairs = random_pairs[random_pairs[:, 0] > 2]
        follow_pairs = np.concatenate([*special, random_pairs])
        copy_pairs(cursor, "social_follow", ["follower_id", "followee_id"], follow_pairs, stamp)
        timings["follows"] = time.perf_counter() - started

        started = time.perf_counter()
        copy_pairs(cursor, "social_postlike", ["user_id", "post_id"], like_pairs, stamp)
        timings["likes"] = time.perf_counter() - started

        started = time.perf_counter()
        cursor.execute(
            "INSERT INTO social_tag (name, created_at) SELECT unnest(%s::text[]), now()", [TAGS]
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
    """What docs/performance.md recommends for production: no parallel plans for the app's
    short queries. On two cores, starting parallel workers for a feed page costs more than
    the whole page's query (a 10 ms query took 70 ms as a parallel plan)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(
            sql.SQL("ALTER DATABASE {} SET max_parallel_workers_per_gather = 0").format(
                sql.Identifier(database)
            )
        )


def measure(client, path: str, runs: int) -> dict:
    for _ in range(10):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p99": times[min(len(times) - 1, int(len(times) * 0.99))],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="agora_bench_social")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--follows", type=int, default=5_000_000)
    parser.add_argument("--likes", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database")
    parser.add_argument("--no-write", action="store_true", help="print, do not edit the docs")
    options = parser.parse_args()

    if not options.reuse:
        recreate_database(options.database)
    setup_django(options.database)
    from django.core.management import call_command
    from django.test import Client

    from agora.accounts.models import User

    generated = None
    try:
        if not options.reuse:
            started = time.perf_counter()
            call_command("migrate", interactive=False, verbosity=0)
            generated = generate(options.people, options.posts, options.follows, options.likes)
            generated["total"] = time.perf_counter() - started
            print("generated:", generated, flush=True)
        else:
            settle_planner(options.database)
            from django.db import connections

            connections.close_all()  # new sessions take the database's setting
            from agora.social.models import Follow, PostLike

            generated = {"follows": Follow.objects.count(), "likes": PostLike.objects.count()}
        results = []
        for person_id, label in ((1, "following 200"), (2, "following 5,000")):
            person = User.objects.get(pk=person_id)
            client = Client()
            client.force_login(person)
            for name, path in (
                ("home feed", "/home/"),
                ("home feed, API", "/api/v1/feed"),
                ("own profile", f"/@{person.handle}/"),
                ("own posts", f"/@{person.handle}/posts/"),
            ):
                figures = measure(client, path, options.runs)
                results.append((label, name, path, figures))
                print(label, name, path, figures, flush=True)
        visitor = Client()
        for name, path in (
            ("latest, visitor", "/latest/"),
            ("a profile, visitor", "/@person500/"),
            ("a person's posts, visitor", "/@person500/posts/"),
            ("tag page, visitor", "/tags/parks/"),
        ):
            figures = measure(visitor, path, options.runs)
            results.append(("visitor", name, path, figures))
            print("visitor", name, path, figures, flush=True)
    finally:
        if not options.keep:
            drop_database(options.database)

    if not options.no_write:
        write_section(options, generated, results)
    worst = max(f["p99"] for label, name, _path, f in results if name == "home feed")
    return 1 if worst >= P99_LIMIT_MS else 0


def write_section(options, generated, results) -> None:
    from bench.tools import replace_section

    lines = [
        "## Social: feeds and profiles at 100,000 people",
        "",
        f"Written by `bench/social.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; rerun it "
        "rather than editing this section.",
        "",
        f"- **Machine:** {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}, PostgreSQL on the same machine; other work was running.",
        f"- **Data:** {options.people:,} people, {options.posts:,} posts over a year (90% public, "
        "7% followers, 3% connections), "
        + f"{generated['follows']:,} follows and {generated['likes']:,} likes, loaded with COPY"
        + (f" in {generated['total']:.0f} s" if "total" in generated else "")
        + ". Person 1 follows 200 people, person 2 follows 5,000.",
        "- **PostgreSQL:** `max_parallel_workers_per_gather = 0` for the database (see the "
        "note below), otherwise defaults.",
        f"- **Measure:** server time in one process through Django's test client (routing, "
        f"middleware, session, view, queries, template; no network), {options.runs} requests "
        "per page after 10 warm-up requests.",
        "",
        "| who | page | path | p50 | p99 |",
        "|---|---|---|---:|---:|",
    ]
    for label, name, path, figures in results:
        lines.append(
            f"| {label} | {name} | `{path}` | {figures['p50']:.1f} ms | {figures['p99']:.1f} ms |"
        )
    lines += [
        "",
        "**Where the time goes.** The home feed is one SQL query for the posts (plus one for "
        "their images and one for the unread count): PostgreSQL walks all posts newest first "
        "through the index `social_post_new` and keeps those whose author is in the viewer's "
        "followed set, which it hashes once, as it does the viewer's blocks, mutes and "
        "connections. The person following 5,000 of 100,000 people finds a page after about 500 "
        "posts; the one following 200 after about 10,000, which is what the extra milliseconds "
        "of that query are. The rest of a page is Django's template engine: about 1 ms per post "
        "card and the post form, which the API (the same queries, no templates) does not pay.",
        "",
        "**Parallel plans.** With PostgreSQL's default `max_parallel_workers_per_gather = 2`, "
        "the planner runs the feed of the person following 5,000 as a parallel plan whose "
        "worker start-up made a 10 ms query take about 70 ms on this two-core machine. "
        "Agora therefore sets it to 0 on every PostgreSQL connection (`agora/core/env.py`; "
        "override with `?options=` in `DATABASE_URL`), and this benchmark sets it for its "
        "database too.",
        "",
        "**Not met yet:** p99 under 50 ms for the HTML home feed on this shared machine. Next "
        "steps, in order of expected gain: render post cards without per-card `{% url %}` and "
        "`{% blocktranslate %}` (or cache the viewer-independent part of each card), and for "
        "people who follow few sources read each followed author's newest posts through "
        "`social_post_author_new` (a top-N per author merged) instead of walking all posts.",
    ]
    document_path = ROOT / "docs" / "performance.md"
    document = document_path.read_text()
    document_path.write_text(replace_section(document, "social", "\n".join(lines)))


if __name__ == "__main__":
    sys.exit(main())
