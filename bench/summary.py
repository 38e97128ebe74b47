"""One person's weekly summary email against large tables: how long building and sending it
takes, and how many queries, on PostgreSQL.

Run `.venv/bin/python bench/summary.py` (defaults: 20,000 people with 10 posts each over eight
weeks, 200,000 posts, and 10,000 notifications of the summary's kinds for the reader). It
creates the database `agora_bench_summary` on 127.0.0.1:5432 (user `postgres`), migrates it,
makes the rows in bulk through the ORM, then times `notifications.tasks.send_summary_to` for
three readers: one who follows 200 people, one who follows 2,000 and one who follows nobody
(the weekly count then reads the whole week's posts to find none of theirs). Each is sent
`--runs` times (the claim and the key reset in between); the median and the worst are printed.
It drops the database unless `--keep`. It writes nothing: the figures go into
docs/performance.md by hand, with the date.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.social import SERVER, setup_django  # noqa: E402


def make_rows(people: int, posts_each: int, notifications: int) -> dict:
    from django.db import connection

    from agora.accounts.models import User
    from agora.notifications.models import Notification
    from agora.notifications.services import set_calm
    from agora.proposals.notifying import ANSWERED
    from agora.social.models import Follow, Post

    User.objects.bulk_create(
        User(email=f"p{n}@example.org", handle=f"p{n}", display_name=f"Person {n}")
        for n in range(people)
    )
    ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
    Post.objects.bulk_create(
        (
            Post(author_id=ids[n % people], body=f"Post {n} about the square.", body_html="")
            for n in range(people * posts_each)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        # Spread over eight weeks, so about an eighth falls in the summary's week.
        cursor.execute(
            "UPDATE social_post SET created_at = now() - (id % 56) * interval '1 day' "
            "- (id % 24) * interval '1 hour'"
        )
    readers = {}
    for name, follows in (("follows 200", 200), ("follows 2,000", 2000), ("follows nobody", 0)):
        reader = User.objects.create_user(
            email=f"{name.replace(' ', '').replace(',', '')}@example.org",
            handle=name.replace(" ", "_").replace(",", ""),
            password=None,
        )
        step = max(1, people // max(follows, 1))
        Follow.objects.bulk_create(
            Follow(follower=reader, followee_id=pk) for pk in ids[::step][:follows]
        )
        Notification.objects.bulk_create(
            (
                Notification(recipient=reader, kind=ANSWERED, subject=f"Proposal {n}", url="/")
                for n in range(notifications)
            ),
            batch_size=5000,
        )
        readers[name] = set_calm(reader, weekly_summary=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return readers


def measure(row, runs: int) -> dict:
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from agora.core.models import IdempotencyKey
    from agora.notifications.models import Calm
    from agora.notifications.tasks import send_summary_to

    now = timezone.now()
    times, queries, sent = [], 0, 0
    for _run in range(runs):
        Calm.objects.filter(pk=row.pk).update(summary_sent_at=None)
        IdempotencyKey.objects.all().delete()
        mail.outbox = []
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            sent = send_summary_to(row.pk, now=now)
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    return {
        "median_ms": statistics.median(times),
        "worst_ms": max(times),
        "queries": queries,
        "sent": sent,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="agora_bench_summary")
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--posts-each", type=int, default=10)
    parser.add_argument("--notifications", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    options = parser.parse_args()
    from bench import run

    run.recreate_database(SERVER, options.database)
    os.environ["AGORA_VAR_DIR"] = tempfile.mkdtemp(prefix="agora-bench-summary-")
    # The summary falls due whatever the hour the bench runs at.
    os.environ["AGORA_SUMMARY_HOUR"] = "0"
    setup_django(options.database)
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the emails go to mail.outbox
    try:
        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        readers = make_rows(options.people, options.posts_each, options.notifications)
        posts = options.people * options.posts_each
        print(
            f"{options.people:,} people, {posts:,} posts, {options.notifications:,} "
            f"notifications a reader, made in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        for name, row in readers.items():
            figures = measure(row, options.runs)
            print(
                f"reader who {name}: median {figures['median_ms']:.0f} ms, worst "
                f"{figures['worst_ms']:.0f} ms, {figures['queries']} queries, "
                f"{figures['sent']} email",
                flush=True,
            )
    finally:
        if not options.keep:
            run.drop_database(SERVER, options.database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
