"""Download my data for a person with many items of each kind: how long the worker takes to
build the ZIP, how much memory it needs and how big the file is, on PostgreSQL.

Run `.venv/bin/python bench/privacy.py` (`--items 10000` is the issue's size and the
default). It creates the database `agora_bench_privacy` on 127.0.0.1:5432 (user `postgres`),
migrates and seeds it, makes the person and as many others, then gives the person that many
posts, comments, likes, follows, followers, notifications, muted words, cases, proposals,
supports, petition signatures and opinion votes (in bulk, through the ORM; the participation
rows are copies of the demo data's first of each),
asks for an export through the service and runs the real worker (`agora worker --batch`, in
this process, as the tests do) to build it. It writes the section between
`<!-- bench:privacy:start -->` and `<!-- bench:privacy:end -->` of docs/performance.md unless
`--no-write`, drops the database (`--keep` keeps it) and exits 1 when the build took more than
30 s or the process grew past 200 MB (the issue's bars).
"""

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.social import SERVER, OtherLoad, setup_django  # noqa: E402

KINDS = ("posts", "comments", "post_likes", "following", "followers", "notifications",
         "muted_words", "cases", "proposals", "proposal_supports", "petition_signatures",
         "conversation_votes")  # fmt: skip


def clones(model, count: int, **varying):
    """`count` unsaved copies of the model's first row (which the demo data made through the
    services, so every required field holds something real), with `varying` fields set from
    a function of the copy's number."""
    from copy import copy

    first = model.objects.order_by("pk").first()
    assert first is not None, f"the demo data has no {model.__name__}"
    made = []
    for n in range(count):
        row = copy(first)
        row.pk = None
        row.id = None
        for name, value in varying.items():
            setattr(row, name, value(n))
        made.append(row)
    return made


def make_participation(person, others: list[int], count: int) -> None:
    """The person's cases, proposals, supports, signatures and opinion votes, `count` each,
    copied in bulk from the demo data's first of each (`agora seed` made them)."""
    from django.utils import timezone

    from agora.cases.models import Case
    from agora.conversations.models import Participant, Statement, Vote
    from agora.petitions.models import Petition, Signature
    from agora.petitions.models.petition import new_token
    from agora.proposals.models import Proposal, Support

    batch = 2000
    Case.objects.bulk_create(
        clones(Case, count, reference=lambda n: f"B{n:08d}", submitted_by=lambda n: person),
        batch_size=batch,
    )
    Proposal.objects.bulk_create(
        clones(Proposal, count, author=lambda n: person, title=lambda n: f"Proposal {n}"),
        batch_size=batch,
    )
    theirs = Proposal.objects.bulk_create(
        clones(Proposal, count, author_id=lambda n: others[n], title=lambda n: f"Theirs {n}"),
        batch_size=batch,
    )
    Support.objects.bulk_create(
        (Support(proposal=proposal, person=person, process_id=proposal.process_id)
         for proposal in theirs),
        batch_size=batch,
    )  # fmt: skip
    petitions = Petition.objects.bulk_create(
        clones(
            Petition, count, author_id=lambda n: others[n], cosponsor_token=lambda n: new_token()
        ),
        batch_size=batch,
    )
    Signature.objects.bulk_create(
        (Signature(petition=petition, person=person, show_name=True) for petition in petitions),
        batch_size=batch,
    )
    statements = Statement.objects.bulk_create(
        clones(Statement, count, text=lambda n: f"Statement {n}"),
        batch_size=batch,
    )
    conversation_id = statements[0].conversation_id
    participant = Participant.objects.create(conversation_id=conversation_id, user=person)
    now = timezone.now()
    Vote.objects.bulk_create(
        (Vote(conversation_id=conversation_id, participant=participant, statement=statement,
              value=1, first_voted_at=now, voted_at=now) for statement in statements),
        batch_size=batch,
    )  # fmt: skip


def make_items(count: int):
    from django.contrib.contenttypes.models import ContentType

    from agora.accounts.models import User
    from agora.notifications.models import Notification
    from agora.social.models import Comment, Follow, MutedWord, Post, PostLike

    person = User.objects.create_user(
        email="vera@example.org", handle="vera", password=None, display_name="Vera Verity"
    )
    User.objects.bulk_create(
        User(email=f"other{n}@example.org", handle=f"other{n}", display_name=f"Other {n}")
        for n in range(count)
    )
    others = list(
        User.objects.filter(email__startswith="other").order_by("pk").values_list("pk", flat=True)
    )
    Post.objects.bulk_create(
        Post(author=person, body=f"Post number {n} about the cycle lanes.", body_html="")
        for n in range(count)
    )
    posts = list(Post.objects.filter(author=person).values_list("pk", flat=True))
    post_type = ContentType.objects.get_for_model(Post)
    Comment.objects.bulk_create(
        Comment(content_type=post_type, object_id=posts[0], author=person, body=f"Comment {n}")
        for n in range(count)
    )
    PostLike.objects.bulk_create(PostLike(user=person, post_id=pk) for pk in posts)
    Follow.objects.bulk_create(Follow(follower=person, followee_id=pk) for pk in others)
    Follow.objects.bulk_create(Follow(follower_id=pk, followee=person) for pk in others)
    Notification.objects.bulk_create(
        Notification(recipient=person, actor_id=others[n], kind="follow", subject="")
        for n in range(count)
    )
    MutedWord.objects.bulk_create(
        MutedWord(person=person, phrase=f"muted phrase {n}") for n in range(count)
    )
    make_participation(person, others, count)
    return person


def high_water_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def build(person, *, own_process: bool = False) -> dict:
    """Ask for the export and run the worker over it: in a process of its own, the real
    `agora worker --batch`, whose peak is then the worker's alone (`own_process`, what the
    bench does), or in this one (the smoke test, whose rows a test transaction holds)."""
    import subprocess

    from django.core.management import call_command

    from agora.privacy import services
    from agora.privacy.models import Export

    export, _created = services.request_export(by=person)
    from agora.privacy import tasks

    tasks.build_export.enqueue(export_id=export.pk)  # on_commit ran nowhere: autocommit
    started = time.perf_counter()
    if own_process:
        before = 0.0
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "agora.cli", "worker", "--batch"], env=os.environ, cwd=ROOT
        )
        # The worker's own high-water mark, read from /proc while it runs: Linux starts a
        # child's ru_maxrss at its parent's size when it forks, so getrusage would report
        # this bench's own (the rows it generated) rather than the worker's.
        peak = 0.0
        while worker.poll() is None:
            peak = max(peak, high_water_mb(worker.pid))
            time.sleep(0.02)
        assert worker.returncode == 0, f"the worker exited with {worker.returncode}"
    else:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("worker", batch=True, verbosity=0)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    seconds = time.perf_counter() - started
    export = Export.objects.get(pk=export.pk)
    from django.core.files.storage import storages

    # The exports' storage: files on disk, or the object storage bucket (AGORA_STORAGE_URL).
    with (
        storages["exports"].open(export.file_name, "rb") as handle,
        zipfile.ZipFile(handle) as archive,
    ):
        rows = {
            kind: archive.read(f"{kind}.csv").count(b"\n") - 1
            for kind in KINDS
            if f"{kind}.csv" in archive.namelist()
        }
        files = len(archive.namelist())
    return {
        "seconds": seconds,
        "peak_mb": peak,
        "before_mb": before,
        "zip_mb": export.size / 1024 / 1024,
        "rows": rows,
        "files": files,
        "state": export.state,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="agora_bench_privacy")
    parser.add_argument("--items", type=int, default=10_000, help="items of each kind")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-write", action="store_true", help="print, do not edit the docs")
    options = parser.parse_args()
    from bench import run

    run.recreate_database(SERVER, options.database)
    os.environ["AGORA_VAR_DIR"] = tempfile.mkdtemp(prefix="agora-bench-privacy-")
    setup_django(options.database)
    from django.core.management import call_command

    try:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed", verbosity=0)  # the process, petition, conversation, case to copy
        # The seed's own tasks (its emails, the demo conversation's opinion map) run now, so
        # that the worker below builds the export and nothing else.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("worker", batch=True, verbosity=0)
        started = time.perf_counter()
        person = make_items(options.items)
        made = time.perf_counter() - started
        print(f"{options.items:,} items of {len(KINDS)} kinds made in {made:.1f} s", flush=True)
        with OtherLoad(lambda: {os.getpid()}) as other:
            figures = build(person, own_process=True)
        print(
            f"export {figures['state']} in {figures['seconds']:.1f} s, worker's peak "
            f"{figures['peak_mb']:.0f} MB, ZIP "
            f"{figures['zip_mb']:.1f} MB, {figures['files']} files, rows {figures['rows']}",
            flush=True,
        )
        print(other.describe(), flush=True)
    finally:
        if not options.keep:
            run.drop_database(SERVER, options.database)
    if not options.no_write:
        write_section(options, figures, other)
    return 1 if figures["seconds"] > 30 or figures["peak_mb"] > 200 else 0


def write_section(options, figures, other) -> None:
    from bench.tools import replace_section

    body = "\n".join(
        [
            f"## Privacy: download my data with {options.items:,} items of each kind",
            "",
            f"Written by `bench/privacy.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; rerun "
            "it rather than editing this section.",
            "",
            f"- **Machine:** {os.cpu_count()} CPUs, {platform.platform()}, Python "
            f"{platform.python_version()}, PostgreSQL on the same machine; shared with other "
            "work.",
            f"- **Other load:** {other.describe()}.",
            f"- **Data:** one person with {options.items:,} of each of: "
            + ", ".join(KINDS)
            + ", made in bulk through the ORM.",
            "- **Method:** the export asked for through the service and built by the real "
            "worker, `agora worker --batch` in a process of its own (after the seed's own "
            "tasks ran); the peak is that worker process's largest resident size, Django "
            "included.",
            "",
            "| figure | value |",
            "|---|---|",
            f"| build time | {figures['seconds']:.1f} s (bar: 30 s) |",
            f"| worker's peak | {figures['peak_mb']:.0f} MB (bar: 200 MB) |",
            f"| ZIP | {figures['zip_mb']:.1f} MB, {figures['files']} files |",
            "| rows in the CSVs | "
            + ", ".join(f"{kind} {count:,}" for kind, count in figures["rows"].items())
            + " |",
        ]
    )
    path = ROOT / "docs" / "performance.md"
    path.write_text(replace_section(path.read_text(), "privacy", body))


if __name__ == "__main__":
    sys.exit(main())
