"""Open data: the published petitions (open and closed, not hidden by moderation) with their
counts, thresholds reached, response and debate, signatures by area, and the names of the
signers who chose to show theirs. No other personal data: no email, no address range, no
name of a signer who did not choose to show it. Read in pages of ids, so a large site streams
it without holding every petition at once."""

import csv
import io
import json

from django.db.models import Count

from agora.moderation.models import ModerationState
from agora.petitions.models import Petition, PetitionState, ReachedThreshold, Signature

COLUMNS = (
    "id",
    "title",
    "asks",
    "why",
    "state",
    "authority",
    "office",
    "process",
    "closes_on",
    "published_at",
    "signature_count",
    "thresholds_reached",
    "response",
    "responded_at",
    "debate_on",
    "debate_decision",
    "debate_minutes_url",
    "signatures_by_area",
    "names_shown",
    "url",
)
CHUNK = 500


def _names(petition_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {pk: [] for pk in petition_ids}
    shown = (
        Signature.objects.filter(
            petition_id__in=petition_ids,
            show_name=True,
            confirmed_at__isnull=False,
            invalidation__isnull=True,
        )
        .select_related("person")
        .order_by("petition_id", "pk")
    )
    for signature in shown.iterator(chunk_size=2000):
        found[signature.petition_id].append(signature.person.name)
    return found


def _areas(petition_ids: list[int]) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = {pk: {} for pk in petition_ids}
    rows = (
        Signature.objects.filter(
            petition_id__in=petition_ids, confirmed_at__isnull=False, invalidation__isnull=True
        )
        .values("petition_id", "area__slug")
        .annotate(count=Count("pk"))
        .order_by("petition_id", "area__slug")
    )
    for row in rows:
        found[row["petition_id"]][row["area__slug"] or "unknown"] = row["count"]
    return found


def _reached(petition_ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {pk: [] for pk in petition_ids}
    rows = ReachedThreshold.objects.filter(petition_id__in=petition_ids).select_related("threshold")
    for row in rows.order_by("petition_id", "reached_at"):
        found[row.petition_id].append(
            {
                "count": row.threshold.count,
                "brings": row.threshold.brings,
                "reached_at": row.reached_at.isoformat(),
                "due_at": row.due_at.isoformat(),
            }
        )
    return found


def records():
    """One dict per published petition, oldest first."""
    rows = Petition.objects.filter(
        state__in=[PetitionState.OPEN, PetitionState.CLOSED],
        moderation_state=ModerationState.VISIBLE,
    ).select_related("authority", "office", "process")
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            return
        ids = [petition.pk for petition in chunk]
        names, areas, reached = _names(ids), _areas(ids), _reached(ids)
        for petition in chunk:
            yield {
                "id": petition.pk,
                "title": petition.title,
                "asks": petition.asks,
                "why": petition.why,
                "state": petition.state,
                "authority": petition.authority.slug,
                "office": petition.office.slug if petition.office else None,
                "process": petition.process.slug if petition.process else None,
                "closes_on": petition.closes_on.isoformat(),
                "published_at": petition.published_at.isoformat()
                if petition.published_at
                else None,
                "signature_count": petition.signature_count,
                "thresholds_reached": reached[petition.pk],
                "response": petition.response_body or None,
                "responded_at": petition.responded_at.isoformat()
                if petition.responded_at
                else None,
                "debate_on": petition.debate_on.isoformat() if petition.debate_on else None,
                "debate_decision": petition.debate_decision or None,
                "debate_minutes_url": petition.debate_minutes_url or None,
                "signatures_by_area": areas[petition.pk],
                "names_shown": names[petition.pk],
                "url": petition.get_absolute_url(),
            }
        last = ids[-1]


def write_json(out) -> int:
    """A JSON array, written one petition at a time."""
    count = 0
    out.write("[")
    for count, record in enumerate(records(), start=1):
        out.write(("," if count > 1 else "") + "\n" + json.dumps(record, ensure_ascii=False))
    out.write("\n]\n")
    return count


def write_csv(out) -> int:
    """One row per petition; lists and mappings as JSON in their cell."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for record in records():
        count += 1
        for key in ("thresholds_reached", "signatures_by_area", "names_shown"):
            record[key] = json.dumps(record[key], ensure_ascii=False)
        writer.writerow({key: "" if value is None else value for key, value in record.items()})
    return count


def as_text(format: str) -> str:
    buffer = io.StringIO()
    (write_csv if format == "csv" else write_json)(buffer)
    return buffer.getvalue()
