"""The proposals part of the JSON API: the list of a process's proposals (the page's filters
and sorts, paged by cursor), a proposal, proposing, supporting, withdrawing a support,
commenting with an alignment, answering and merging. Every change asks
`processes.features.can_act` (merging: `permissions.can_merge`) through the services;
refusals answer the one error shape (403 with the reason's code, 422 for bad input)."""

from datetime import datetime
from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.accounts.schemas import (
    COUNT_DESCRIPTION,
    Author,
    count_for,
    shown_author,
    shown_count,
)
from agora.core.api.errors import ApiError, error_responses
from agora.core.api.schemas import Input, Said, Text
from agora.directory.models import Area, Topic
from agora.moderation.models import ModerationState
from agora.processes import features
from agora.processes.models import Process
from agora.processes.permissions import can_view_process
from agora.proposals import queries, services
from agora.proposals.models import AnswerKind, Proposal, ProposalState
from agora.proposals.models.proposal import ANSWER_MAX_LENGTH, BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from agora.proposals.permissions import can_merge
from agora.social.models import Alignment, Comment
from agora.social.models.comments import COMMENT_MAX_LENGTH
from agora.social.queries import comment_thread, flatten

router = Router(tags=["proposals"])

PAGE_SIZE = 20


class ProposalOut(Schema):
    id: int
    process: str = Field(description="The process's slug.")
    title: str
    body_html: str
    author: Author | None
    topic: str | None
    area: str | None
    state: Literal[tuple(ProposalState.values)]
    support_count: int | None = Field(description=COUNT_DESCRIPTION)
    comment_count: int
    created_at: datetime
    edited_at: datetime | None
    version: int
    answer_due_at: datetime | None
    overdue: bool
    answer: Literal[tuple(AnswerKind.values)] | None
    answer_html: str
    answered_at: datetime | None
    answer_office: str | None = Field(description="The answering office's slug.")
    merged_into: int | None = Field(description="The proposal this one was merged into.")
    url: str

    @staticmethod
    def resolve_process(proposal) -> str:
        return proposal.process.slug

    @staticmethod
    def resolve_author(proposal, context) -> dict | None:
        return shown_author(proposal.author, context)

    @staticmethod
    def resolve_support_count(proposal, context) -> int | None:
        return shown_count(proposal.support_count, context)

    @staticmethod
    def resolve_topic(proposal) -> str | None:
        return proposal.topic.slug if proposal.topic else None

    @staticmethod
    def resolve_area(proposal) -> str | None:
        return proposal.area.slug if proposal.area else None

    @staticmethod
    def resolve_overdue(proposal) -> bool:
        return proposal.is_overdue()

    @staticmethod
    def resolve_answer(proposal) -> str | None:
        return proposal.answer or None

    @staticmethod
    def resolve_answer_office(proposal) -> str | None:
        return proposal.answer_office.slug if proposal.answer_office else None

    @staticmethod
    def resolve_merged_into(proposal) -> int | None:
        return proposal.merged_into_id

    @staticmethod
    def resolve_url(proposal) -> str:
        return proposal.get_absolute_url()


class ProposalPage(Schema):
    items: list[ProposalOut]
    next_cursor: str | None


class ProposalListParams(Schema):
    process: Text = Field(max_length=80, description="The process's slug.")
    topic: Text | None = Field(None, max_length=80, description="A topic's slug.")
    area: Text | None = Field(None, max_length=80, description="An area's slug.")
    state: Literal[tuple(ProposalState.values)] | None = None
    mine: bool = False
    sort: Literal[queries.SORTS] = "newest"
    seed: int = Field(1, ge=1, lt=queries.SEED_RANGE.stop, description="For `random`.")
    after: Text | None = Field(None, max_length=60, description="The `next_cursor` before.")


class NewProposal(Input):
    process: str = Field(max_length=80, description="The process's slug.")
    title: Said = Field(max_length=TITLE_MAX_LENGTH)
    body: Said = Field(max_length=BODY_MAX_LENGTH)
    topic: str | None = Field(None, max_length=80, description="A topic's slug.")
    area: str | None = Field(None, max_length=80, description="An area's slug.")


class AnswerIn(Input):
    answer: Literal[tuple(AnswerKind.values)]
    reasons: Text = Field("", max_length=ANSWER_MAX_LENGTH)


class ProposalCommentOut(Schema):
    id: int
    author: Author | None
    body_html: str
    alignment: Literal[tuple(Alignment.values)] | None
    created_at: datetime

    @staticmethod
    def resolve_author(comment: Comment, context) -> dict | None:
        return shown_author(comment.author, context)

    @staticmethod
    def resolve_alignment(comment: Comment) -> str | None:
        return comment.alignment or None


class NewProposalComment(Input):
    body: Said = Field(max_length=COMMENT_MAX_LENGTH)
    alignment: Literal[tuple(Alignment.values)] | None = Field(
        None, description="The commenter's position: in_favour, against or neutral."
    )


class MergeIn(Input):
    into: int = Field(ge=1, le=2**63 - 1, description="The proposal this one repeats.")


class SupportOut(Schema):
    supported: bool
    changed: bool
    support_count: int | None = Field(description=COUNT_DESCRIPTION)
    state: str


def _person(request):
    return getattr(request, "auth", None) or request.user


def _process(request, slug: str) -> Process:
    """The process named in the query or the body: unknown is invalid input (422)."""
    process = Process.objects.select_related("office").filter(slug=slug).first()
    if process is None or not can_view_process(_person(request), process):
        raise ApiError(422, "invalid", f"process: unknown {slug}")
    return process


def _proposal(request, pk: int) -> Proposal:
    proposal = (
        Proposal.objects.select_related(
            "process__office", "author", "topic", "area", "answer_office"
        )
        .filter(pk=pk)
        .first()
    )
    person = _person(request)
    if proposal is None or not can_view_process(person, proposal.process):
        raise Http404
    if proposal.moderation_state != ModerationState.VISIBLE and proposal.author_id != person.pk:
        raise Http404
    return proposal


def _refused(decision) -> ApiError:
    return ApiError(403, decision.reason, decision.message)


@router.get(
    "",
    auth=ANYONE,
    response={200: ProposalPage, **error_responses(422)},
    summary="The proposals of a process",
    description="Open to everyone for a published process. Filters: `topic`, `area` (slugs), "
    "`state`, `mine`; `sort`: newest, supported, commented, random (stable for one `seed`). "
    "Paged by cursor: send `next_cursor` back as `after`.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def list_proposals(request, params: Query[ProposalListParams]):
    found = _process(request, params.process)
    rows = queries.filtered(
        found,
        _person(request),
        topic=Topic.objects.filter(slug=params.topic).first() if params.topic else None,
        area=Area.objects.filter(slug=params.area).first() if params.area else None,
        state=params.state or "",
        mine=params.mine,
    ).select_related("process", "answer_office")
    page = queries.page(
        rows, sort=params.sort, cursor=params.after, size=PAGE_SIZE, seed=params.seed
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


class SimilarParams(Schema):
    process: Text = Field(max_length=80, description="The process's slug.")
    title: Text = Field(max_length=TITLE_MAX_LENGTH, description="The title being typed.")


class SimilarOut(Schema):
    id: int
    title: str
    state: Literal[tuple(ProposalState.values)]
    state_label: str
    url: str

    @staticmethod
    def resolve_state_label(proposal) -> str:
        return str(proposal.get_state_display())

    @staticmethod
    def resolve_url(proposal) -> str:
        return proposal.get_absolute_url()


@router.get(
    "/similar",
    auth=ANYONE,
    response={200: list[SimilarOut], **error_responses(422)},
    summary="Proposals similar to a title being typed",
    description="Up to five open proposals of the process whose titles share a word of four "
    "letters or more with `title`, most supported first: what the propose form shows while "
    "the title is typed (and, without JavaScript, at its check step).",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def similar_proposals(request, params: Query[SimilarParams]):
    return queries.similar(_process(request, params.process), params.title)


@router.get(
    "/{int:proposal_id}",
    auth=ANYONE,
    response={200: ProposalOut, **error_responses(404, 422)},
    summary="A proposal",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def read_proposal(request, proposal_id: int):
    return _proposal(request, proposal_id)


@router.post(
    "",
    response={201: ProposalOut, **error_responses(400, 403, 422)},
    summary="Propose",
    description="While the process's proposals phase runs, for those it admits: otherwise 403 "
    "with the reason (`outside_phase`, `not_verified`...).",
)
def create_proposal(request, body: NewProposal):
    process = _process(request, body.process)
    decision = features.can_act(request.auth, features.PROPOSE, process)
    if not decision:
        raise _refused(decision)
    topic = Topic.objects.filter(slug=body.topic).first() if body.topic else None
    area = Area.objects.filter(slug=body.area).first() if body.area else None
    if body.topic and topic is None:
        raise ApiError(422, "invalid", f"topic: unknown {body.topic}")
    if body.area and area is None:
        raise ApiError(422, "invalid", f"area: unknown {body.area}")
    proposal = services.propose(
        process, by=request.auth, title=body.title, body=body.body, topic=topic, area=area
    )
    return Status(201, _proposal(request, proposal.pk))


def _support(request, proposal_id: int, verb, supported: bool):
    proposal = _proposal(request, proposal_id)
    decision = features.can_act(request.auth, features.SUPPORT, proposal.process)
    if not decision:
        raise _refused(decision)
    changed = verb(proposal, by=request.auth)
    return {
        "supported": supported,
        "changed": changed,
        "support_count": count_for(request, proposal.support_count),
        "state": proposal.state,
    }


@router.post(
    "/{int:proposal_id}/support",
    response={200: SupportOut, **error_responses(403, 404, 422)},
    summary="Support a proposal",
    description="Once per person; supporting again changes nothing (`changed` false).",
)
def support_proposal(request, proposal_id: int):
    return _support(request, proposal_id, services.support_proposal, True)


@router.delete(
    "/{int:proposal_id}/support",
    response={200: SupportOut, **error_responses(403, 404, 422)},
    summary="Withdraw a support",
    description="While the support phase runs.",
)
def withdraw_support(request, proposal_id: int):
    return _support(request, proposal_id, services.withdraw_support, False)


@router.post(
    "/{int:proposal_id}/answer",
    response={200: ProposalOut, **error_responses(400, 403, 404, 422)},
    summary="Answer a proposal",
    description="For the officials of the process's responsible office: otherwise 403 "
    "`not_the_office`. A rejection needs `reasons`.",
)
def answer_proposal(request, proposal_id: int, body: AnswerIn):
    proposal = _proposal(request, proposal_id)
    decision = features.can_act(request.auth, features.ANSWER, proposal.process)
    if not decision:
        raise _refused(decision)
    services.answer_proposal(proposal, by=request.auth, answer=body.answer, reasons=body.reasons)
    return _proposal(request, proposal_id)


@router.get(
    "/{int:proposal_id}/comments",
    auth=ANYONE,
    response={200: list[ProposalCommentOut], **error_responses(404, 422)},
    summary="The comments on a proposal",
    description="Oldest first, each with its `alignment` (or null). A comment hidden by "
    "moderation is left out, except for its author.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def list_comments(request, proposal_id: int):
    proposal = _proposal(request, proposal_id)
    person = _person(request)
    return [
        comment
        for comment in flatten(comment_thread(person, proposal))
        if comment.moderation_state == ModerationState.VISIBLE or comment.author_id == person.pk
    ]


@router.post(
    "/{int:proposal_id}/comments",
    response={201: ProposalCommentOut, **error_responses(400, 403, 404, 422)},
    summary="Comment on a proposal",
    description="While the process's phase allows commenting: otherwise 403 with the reason. "
    "`alignment` is optional: in_favour, against or neutral.",
)
def create_comment(request, proposal_id: int, body: NewProposalComment):
    proposal = _proposal(request, proposal_id)
    decision = features.can_act(request.auth, features.COMMENT, proposal.process)
    if not decision:
        raise _refused(decision)
    comment = services.comment_on_proposal(
        proposal, by=request.auth, body=body.body, alignment=body.alignment or ""
    )
    return Status(201, comment)


@router.post(
    "/{int:proposal_id}/merge",
    response={200: ProposalOut, **error_responses(400, 403, 404, 422)},
    summary="Merge a duplicate into the proposal it repeats",
    description="For moderators and those who run the process (its office's officials, "
    'administrators): otherwise 403 `may_not_merge`. `{"into": id}` names an open proposal '
    "of the same process (else 422: `unknown_proposal` when there is none, `invalid` "
    "otherwise). Answers the proposal merged into, its supports counted once per person.",
)
def merge_proposal(request, proposal_id: int, body: MergeIn):
    proposal = _proposal(request, proposal_id)
    if not can_merge(request.auth, proposal.process):
        raise ApiError(
            403, "may_not_merge", _("Only moderators and the process's office merge proposals.")
        )
    into = Proposal.objects.filter(pk=body.into).first()
    if into is None:
        raise ApiError(422, "unknown_proposal", _("There is no proposal with that number."))
    services.merge_proposal(proposal, into=into, by=request.auth)
    return _proposal(request, into.pk)
