"""The conversations part of the JSON API: a conversation with its statements and map, voting
and writing statements. Endpoints check access with the page's predicates and call one service
function."""

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.conversations import services
from agora.conversations.models import (
    STATEMENT_MAX_LENGTH,
    Conversation,
    Statement,
    StatementStatus,
    VoteValue,
)
from agora.core.api.errors import error_responses
from agora.core.api.schemas import Id, Input, Text

router = Router(tags=["conversations"])

READ = {**error_responses(404, 422)}
WRITE = {**error_responses(400, 404, 422)}
VOTES = {"agree": VoteValue.AGREE, "disagree": VoteValue.DISAGREE, "pass": VoteValue.PASS}


class StatementOut(Schema):
    id: int
    text: str


class ConversationOut(Schema):
    id: int
    question: str
    description: str
    moderation: str
    allow_anonymous: bool
    is_open: bool
    statements: list[StatementOut]
    map: dict | None = Field(
        None,
        description="The last map the worker computed: groups with their size and "
        "representative statements, consensus, group-aware consensus and positions. "
        "`ready` is false while there are not enough votes yet.",
    )


class VoteIn(Input):
    statement: Id
    vote: Literal["agree", "disagree", "pass"]


class StatementIn(Input):
    text: Text = Field(..., min_length=1, max_length=STATEMENT_MAX_LENGTH)


class StatementCreated(Schema):
    id: int
    status: str


#: Parts of the stored map only the pages use, each for the person it concerns.
PRIVATE_MAP_KEYS = ("point_participants",)


@router.get(
    "/{conversation_id}",
    response={200: ConversationOut, **READ},
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
    summary="A conversation, its statements and its map",
)
def read_conversation(request, conversation_id: int):
    conversation = get_object_or_404(Conversation, pk=conversation_id)
    statements = Statement.objects.filter(
        conversation=conversation, status=StatementStatus.ACCEPTED
    ).values("id", "text")
    return {
        "id": conversation.pk,
        "question": conversation.question,
        "description": conversation.description,
        "moderation": conversation.moderation,
        "allow_anonymous": conversation.allow_anonymous,
        "is_open": conversation.is_open,
        "statements": list(statements),
        "map": public_map(conversation.map),
    }


def public_map(data: dict | None) -> dict | None:
    """The stored map without what ties a dot to a participant."""
    if data is None:
        return None
    return {key: value for key, value in data.items() if key not in PRIVATE_MAP_KEYS}


@router.post(
    "/{conversation_id}/votes",
    response={204: None, **WRITE},
    summary="Vote on a statement",
    description="A later vote on the same statement replaces the earlier one. Votes on "
    "removed statements are refused.",
)
def cast_vote(request, conversation_id: int, payload: VoteIn):
    conversation = get_object_or_404(Conversation, pk=conversation_id)
    statement = get_object_or_404(Statement, pk=payload.statement, conversation=conversation)
    participant = services.participant_for(conversation, user=request.auth)
    services.cast_vote(participant, statement, VOTES[payload.vote])
    return Status(204, None)


@router.post(
    "/{conversation_id}/statements",
    response={201: StatementCreated, **WRITE},
    summary="Submit a statement",
    description="In strict moderation it waits for approval (`pending`).",
)
def submit_statement(request, conversation_id: int, payload: StatementIn):
    conversation = get_object_or_404(Conversation, pk=conversation_id)
    participant = services.participant_for(conversation, user=request.auth)
    statement = services.submit_statement(participant, text=payload.text)
    return Status(201, {"id": statement.pk, "status": statement.status})
