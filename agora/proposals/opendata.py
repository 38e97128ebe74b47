"""Open data: the proposals of published processes as CSV and JSON, one row per proposal
with its state, counts, clock and official answer. No personal data but the names people
chose to show to everyone: an author's name is written only when their profile is public
(`accounts.permissions.can_view_profile` for an anonymous reader), else left empty. Proposals
hidden by moderation are left out. Rows are read in chunks, so a million proposals stream
through a small memory."""

import csv
import json
from pathlib import Path

from django.contrib.auth.models import AnonymousUser

from agora.accounts.permissions import can_view_profile
from agora.moderation.models import ModerationState
from agora.proposals.models import Proposal

FIELDS = (
    "id",
    "process",
    "title",
    "body",
    "author",
    "topic",
    "area",
    "state",
    "support_count",
    "comment_count",
    "created_at",
    "edited_at",
    "threshold_reached_at",
    "answer_due_at",
    "answer",
    "answer_body",
    "answered_at",
    "answer_office",
    "merged_into",
    "url",
)
CHUNK = 2000


def _moment(value) -> str | None:
    return value.isoformat() if value else None


def rows(*, process=None):
    """Each exported proposal as a dict of FIELDS, oldest first."""
    anyone = AnonymousUser()
    found = (
        Proposal.objects.filter(
            moderation_state=ModerationState.VISIBLE, process__is_published=True
        )
        .select_related("process", "author", "topic", "area", "answer_office")
        .order_by("pk")
    )
    if process is not None:
        found = found.filter(process=process)
    for proposal in found.iterator(chunk_size=CHUNK):
        author = proposal.author
        yield {
            "id": proposal.pk,
            "process": proposal.process.slug,
            "title": proposal.title,
            "body": proposal.body,
            "author": author.name if can_view_profile(anyone, author) else None,
            "topic": proposal.topic.slug if proposal.topic else None,
            "area": proposal.area.slug if proposal.area else None,
            "state": proposal.state,
            "support_count": proposal.support_count,
            "comment_count": proposal.comment_count,
            "created_at": _moment(proposal.created_at),
            "edited_at": _moment(proposal.edited_at),
            "threshold_reached_at": _moment(proposal.threshold_reached_at),
            "answer_due_at": _moment(proposal.answer_due_at),
            "answer": proposal.answer or None,
            "answer_body": proposal.answer_body,
            "answered_at": _moment(proposal.answered_at),
            "answer_office": proposal.answer_office.slug if proposal.answer_office else None,
            "merged_into": proposal.merged_into_id,
            "url": proposal.get_absolute_url(),
        }


def export(directory, *, process=None) -> int:
    """Write `proposals.csv` and `proposals.json` (a list of objects) into `directory`, made
    if missing; the number of proposals written."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with (
        open(folder / "proposals.csv", "w", newline="", encoding="utf-8") as table,
        open(folder / "proposals.json", "w", encoding="utf-8") as listing,
    ):
        writer = csv.DictWriter(table, fieldnames=FIELDS)
        writer.writeheader()
        listing.write("[")
        for row in rows(process=process):
            writer.writerow({key: "" if value is None else value for key, value in row.items()})
            listing.write(("," if count else "") + "\n" + json.dumps(row, ensure_ascii=False))
            count += 1
        listing.write("\n]\n")
    return count
