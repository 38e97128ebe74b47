"""Every change to a conversation goes through one of these verbs.

Each runs in a transaction; moderation and opening write the audit log; a vote schedules the
map's recomputation by the worker (`tasks.recompute_map`) once it commits."""

import csv
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.conversations import analysis, opendata, permissions, tasks
from agora.conversations.models import (
    STATEMENT_MAX_LENGTH,
    Conversation,
    Moderation,
    Participant,
    Statement,
    StatementStatus,
    Vote,
    VoteValue,
)
from agora.core import audit
from agora.moderation.restrictions import check_may_take_part_by_id

#: Priority of a statement the last map has not seen: Pol.is's formula for one nobody voted on.
NEW_STATEMENT_PRIORITY = float(
    analysis.comment_priorities(np.zeros((1, 3, 1)), np.zeros(1), np.zeros(1, dtype=bool))[0]
)


@transaction.atomic
def open_conversation(
    *,
    owner,
    question: str,
    seeds=(),
    description: str = "",
    moderation: str = Moderation.STRICT,
    allow_anonymous: bool = False,
) -> Conversation:
    if not permissions.can_open_conversation(owner):
        raise PermissionDenied(_("Only offices and moderators can open a conversation."))
    conversation = Conversation(
        question=question,
        description=description,
        owner=owner,
        moderation=moderation,
        allow_anonymous=allow_anonymous,
    )
    conversation.full_clean(exclude=["map"])
    conversation.save()
    for text in seeds:
        _check_length(text)
        statement = Statement(
            conversation=conversation, text=text, status=StatementStatus.ACCEPTED, is_seed=True
        )
        statement.full_clean(exclude=["author"])
        statement.save()
    audit.record("conversations.opened", conversation, actor=owner, seeds=len(seeds))
    return conversation


def participant_for(conversation: Conversation, *, user=None, token: str = "") -> Participant:
    """The participant behind a signed-in account or, where the owner allows it, behind an
    anonymous browser's token; created on first use."""
    if user is not None and user.is_authenticated:
        participant, _created = Participant.objects.get_or_create(
            conversation=conversation, user=user
        )
        return participant
    if not conversation.allow_anonymous or not token:
        raise PermissionDenied(_("Log in to take part in this conversation."))
    participant, _created = Participant.objects.get_or_create(
        conversation=conversation, token_hash=Participant.hash_token(token)
    )
    return participant


def _check_length(text: str) -> None:
    if len(text) > STATEMENT_MAX_LENGTH:
        raise ValidationError(
            _("A statement has at most %(limit)d characters."),
            code="too_long",
            params={"limit": STATEMENT_MAX_LENGTH},
        )


def _require_open(conversation: Conversation) -> None:
    if not conversation.is_open:
        raise ValidationError(_("This conversation is closed."), code="closed")


@transaction.atomic
def submit_statement(participant: Participant, *, text: str) -> Statement:
    """In strict moderation the statement waits for approval; in lazy moderation it shows at
    once and can be removed later."""
    conversation = participant.conversation
    _require_open(conversation)
    check_may_take_part_by_id(participant.user_id)
    status = (
        StatementStatus.PENDING
        if conversation.moderation == Moderation.STRICT
        else StatementStatus.ACCEPTED
    )
    _check_length(text.strip())
    statement = Statement(
        conversation=conversation, text=text.strip(), author=participant, status=status
    )
    statement.full_clean()
    statement.save()
    return statement


@transaction.atomic
def moderate_statement(statement: Statement, *, by, accept: bool, reason: str = "") -> Statement:
    """Accept or remove a statement. Votes on a removed statement stay stored, but the map
    treats its column as if everyone passed (as Pol.is does)."""
    if not permissions.can_moderate(by, statement.conversation):
        raise PermissionDenied(_("Only the conversation's owner and moderators can do this."))
    new = StatementStatus.ACCEPTED if accept else StatementStatus.REMOVED
    old = statement.status
    if old == new:
        return statement
    Statement.objects.filter(pk=statement.pk, status=old).update(status=new)
    statement.status = new
    audit.record(
        "conversations.statement_moderated", statement, actor=by, old=old, new=new, reason=reason
    )
    if old == StatementStatus.REMOVED or new == StatementStatus.REMOVED:
        _schedule_map(statement.conversation_id)
    return statement


@transaction.atomic
def cast_vote(participant: Participant, statement: Statement, value: int) -> Vote:
    """Record (or change) a vote. Votes on statements that are removed, waiting for approval or
    in another conversation are refused."""
    if value not in VoteValue.values:
        raise ValidationError(_("A vote is agree, disagree or pass."), code="invalid_vote")
    if statement.conversation_id != participant.conversation_id:
        raise ValidationError(_("This statement is not in this conversation."), code="wrong")
    _require_open(participant.conversation)
    check_may_take_part_by_id(participant.user_id)
    current = Statement.objects.filter(pk=statement.pk).values_list("status", flat=True).first()
    if current != StatementStatus.ACCEPTED:
        raise ValidationError(
            _("This statement has been removed and cannot be voted on."), code="removed"
        )
    now = timezone.now()
    vote, created = Vote.objects.get_or_create(
        participant=participant,
        statement=statement,
        defaults={
            "conversation_id": participant.conversation_id,
            "value": value,
            "first_voted_at": now,
            "voted_at": now,
        },
    )
    if not created and vote.value != value:
        vote.value = value
        vote.voted_at = now
        vote.save(update_fields=["value", "voted_at"])
    _schedule_map(participant.conversation_id)
    return vote


def _schedule_map(conversation_id: int) -> None:
    transaction.on_commit(
        lambda: tasks.recompute_map.enqueue(
            conversation_id=conversation_id, requested_at=timezone.now().timestamp()
        )
    )


def next_statement(conversation: Conversation, participant: Participant | None):
    """The accepted statement this participant has not voted on that helps the map most
    (Pol.is's comment priority); ties go to the older statement."""
    statements = Statement.objects.filter(
        conversation=conversation, status=StatementStatus.ACCEPTED
    )
    if participant is not None:
        statements = statements.exclude(votes__participant=participant)
    candidates = list(statements.values_list("pk", flat=True)[:5000])
    if not candidates:
        return None
    priorities = (conversation.map or {}).get("priorities", {})
    best = max(candidates, key=lambda pk: (priorities.get(str(pk), NEW_STATEMENT_PRIORITY), -pk))
    return Statement.objects.select_related("author").get(pk=best)


@transaction.atomic
def import_conversation(export: opendata.Export, *, owner, question: str) -> Conversation:
    """Store a Pol.is open-data export (already read and checked in full by
    opendata.read_export) as a new conversation: its comments as statements (moderated -1
    removed, the rest accepted), each voter as an anonymous participant, and the latest vote of
    each voter on each comment."""
    conversation = open_conversation(owner=owner, question=question, moderation=Moderation.LAZY)
    participants = {
        voter: Participant(
            conversation=conversation, token_hash=Participant.hash_token(f"import-{voter}")
        )
        for voter in sorted({voter for _time, _comment, voter, _vote in export.votes})
    }
    Participant.objects.bulk_create(participants.values())
    statements = {}
    for comment in sorted(export.comments, key=lambda comment: comment.id):
        statements[comment.id] = Statement(
            conversation=conversation,
            text=comment.body[:1000],
            author=participants.get(comment.author),
            status=StatementStatus.REMOVED if comment.moderated == -1 else StatementStatus.ACCEPTED,
        )
    Statement.objects.bulk_create(statements.values())
    first, latest = {}, {}
    for time, comment, voter, value in sorted(export.votes):
        key = (voter, comment)
        first.setdefault(key, time)
        latest[key] = (time, value)
    Vote.objects.bulk_create(
        [
            Vote(
                conversation=conversation,
                participant=participants[voter],
                statement=statements[comment],
                value=latest[(voter, comment)][1],
                first_voted_at=_from_milliseconds(first_time),
                voted_at=_from_milliseconds(latest[(voter, comment)][0]),
            )
            for (voter, comment), first_time in sorted(first.items(), key=lambda item: item[1])
        ],
        batch_size=5000,
    )
    audit.record("conversations.imported", conversation, actor=owner, votes=len(first))
    _schedule_map(conversation.pk)
    return conversation


def _from_milliseconds(value: int):
    return datetime.fromtimestamp(value / 1000, tz=UTC)


def _milliseconds(moment) -> int:
    return int(moment.timestamp() * 1000)


def export_conversation(conversation: Conversation, directory) -> None:
    """Write the conversation in Pol.is's open-data format: comments.csv, votes.csv,
    participants-votes.csv and summary.csv, with Agora's ids. Pending statements are left
    out; removed ones are marked moderated -1."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    statements = list(
        Statement.objects.filter(conversation=conversation)
        .exclude(status=StatementStatus.PENDING)
        .order_by("pk")
        .values_list("pk", "created_at", "author_id", "status", "text")
    )
    votes = list(
        Vote.objects.filter(conversation=conversation)
        .order_by("pk")
        .values_list("first_voted_at", "statement_id", "participant_id", "value")
    )
    statement_ids = [pk for pk, *_rest in statements]
    counts = {pk: [0, 0] for pk in statement_ids}
    by_participant: dict[int, dict[int, int]] = {}
    for _time, statement, participant, value in votes:
        if statement in counts and value:
            counts[statement][0 if value == 1 else 1] += 1
        by_participant.setdefault(participant, {})[statement] = value
    moderated = {
        StatementStatus.ACCEPTED: 1,
        StatementStatus.REMOVED: -1,
    }

    def stamp(moment):
        return [_milliseconds(moment), moment.strftime("%a %b %d %Y %H:%M:%S UTC")]

    with (directory / "comments.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees"]
            + ["moderated", "comment-body"]
        )
        for pk, created, author, status, text in statements:
            writer.writerow(
                [*stamp(created), pk, author or "", *counts[pk], moderated[status], text]
            )
    with (directory / "votes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
        for moment, statement, participant, value in votes:
            writer.writerow([*stamp(moment), statement, participant, value])
    data = conversation.map or {}
    groups = {
        member: group["id"] for group in data.get("groups", []) for member in group["members"]
    }
    authored = {}
    for _pk, _created, author, _status, _text in statements:
        if author:
            authored[author] = authored.get(author, 0) + 1
    with (directory / "participants-votes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
            + statement_ids
        )
        for participant, cast in sorted(by_participant.items()):
            values = list(cast.values())
            writer.writerow(
                [
                    participant,
                    groups.get(participant, ""),
                    authored.get(participant, 0),
                    len(values),
                    values.count(1),
                    values.count(-1),
                ]
                + [cast.get(pk, "") for pk in statement_ids]
            )
    with (directory / "summary.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["topic", conversation.question])
        writer.writerow(["voters", len(by_participant)])
        writer.writerow(["commenters", len(authored)])
        writer.writerow(["comments", len(statements)])
        writer.writerow(["groups", len(data.get("groups", []))])
        writer.writerow(["conversation-description", conversation.description])
