"""The petitions part of the JSON API: the list (paged by cursor), a petition with its
signatures by area, starting one, co-sponsoring by the private link's token, signing (a
signature cannot be withdrawn), moderation (publish, reject with a reason, invalidate a set of
signatures with a reason) and the office's response and debate, with the rules of the pages:
every change goes through the services; refusals answer the one error shape (403 with the
reason's code, 409 when the petition's state refuses it, 422 for bad input)."""

from datetime import date, datetime
from typing import Literal

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from agora.accounts import kinds
from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.accounts.schemas import Author, shown_author
from agora.core.api.errors import ApiError, error_responses
from agora.core.api.schemas import Input, Said, Text
from agora.core.refusals import Refused
from agora.directory.models import Authority, Office
from agora.directory.permissions import is_official_of
from agora.moderation.models import ModerationState
from agora.petitions import queries, services
from agora.petitions.models import DebateDecision, Petition, PetitionState
from agora.petitions.models.petition import (
    ASKS_MAX_LENGTH,
    REASON_MAX_LENGTH,
    RESPONSE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    WHY_MAX_LENGTH,
)
from agora.petitions.permissions import can_moderate, can_respond, signing_rule
from agora.processes.models import Process

router = Router(tags=["petitions"])


class AreaCount(Schema):
    area: str
    signatures: int


class PetitionOut(Schema):
    id: int
    title: str
    asks: str
    why_html: str
    author: Author | None
    authority: str = Field(description="The authority's slug.")
    office: str | None = Field(description="The slug of the office that answers.")
    process: str | None = Field(description="The process's slug, when it is part of one.")
    state: Literal[tuple(PetitionState.values)]
    closes_on: date
    signature_count: int
    cosponsor_count: int
    cosponsors_needed: int
    published_at: datetime | None
    response_due_at: datetime | None
    response_html: str
    responded_at: datetime | None
    debate_due_at: datetime | None
    debate_on: date | None
    debate_decision: Literal[tuple(DebateDecision.values)] | None
    debate_minutes_url: str
    url: str

    @staticmethod
    def resolve_author(petition, context) -> dict | None:
        return shown_author(petition.author, context)

    @staticmethod
    def resolve_authority(petition) -> str:
        return petition.authority.slug

    @staticmethod
    def resolve_office(petition) -> str | None:
        return petition.office.slug if petition.office else None

    @staticmethod
    def resolve_process(petition) -> str | None:
        return petition.process.slug if petition.process else None

    @staticmethod
    def resolve_debate_decision(petition) -> str | None:
        return petition.debate_decision or None

    @staticmethod
    def resolve_url(petition) -> str:
        return petition.get_absolute_url()


class PetitionDetail(PetitionOut):
    by_area: list[AreaCount]
    cosponsor_token: str | None = Field(
        None, description="The private link's token: for the author while it collects co-sponsors."
    )


class PetitionPage(Schema):
    items: list[PetitionOut]
    next_cursor: str | None


class PetitionListParams(Schema):
    state: Literal["open", "closed", "awaiting_moderation"] | None = Field(
        None, description="`awaiting_moderation` for moderators."
    )
    mine: bool = Field(False, description="The petitions you started, in any state.")
    after: Text | None = Field(None, max_length=20, description="The `next_cursor` before.")


class NewPetition(Input):
    title: Said = Field(max_length=TITLE_MAX_LENGTH)
    asks: Said = Field(max_length=ASKS_MAX_LENGTH)
    why: Said = Field(max_length=WHY_MAX_LENGTH)
    closes_on: date
    office: str | None = Field(None, max_length=80, description="An office's slug.")
    authority: str | None = Field(
        None, max_length=80, description="An authority's slug, for a petition to it as a whole."
    )
    process: str | None = Field(None, max_length=80, description="A process's slug.")


class CosponsorIn(Input):
    token: Text = Field(max_length=64, description="The token of the petition's private link.")


class SignIn(Input):
    show_name: bool = False


class SignOut(Schema):
    signed: bool
    counted: bool = Field(description="False until an unconfirmed email is confirmed.")
    signature_count: int


class CosponsorOut(Schema):
    cosponsor_count: int
    state: str


def _person(request):
    return getattr(request, "auth", None) or request.user


def _petition(request, pk: int, *, to_sign: bool = False) -> Petition:
    petition = (
        queries.to_sign(pk)
        if to_sign
        else Petition.objects.select_related("author", "authority", "office__parent", "process")
        .filter(pk=pk)
        .first()
    )
    if petition is None:
        raise Http404
    person = _person(request)
    mine = person.is_authenticated and petition.author_id == person.pk
    if petition.is_public:
        if petition.moderation_state != ModerationState.VISIBLE and not mine:
            raise Http404
    elif not (mine or can_moderate(person)):
        raise Http404
    return petition


def _detail(request, petition: Petition) -> Petition:
    person = _person(request)
    petition.by_area = [
        {"area": bar.label, "signatures": bar.count} for bar in queries.by_area(petition)
    ]
    mine = person.is_authenticated and petition.author_id == person.pk
    petition.cosponsor_token = (
        petition.cosponsor_token if mine and petition.state == PetitionState.COLLECTING else None
    )
    return petition


@router.get(
    "",
    auth=ANYONE,
    response={200: PetitionPage, **error_responses(422)},
    summary="Petitions",
    description="Published petitions, newest first, for everyone. Paged by cursor: send "
    "`next_cursor` back as `after`.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def list_petitions(request, params: Query[PetitionListParams]):
    rows = queries.listed(_person(request), state=params.state or "", mine=params.mine)
    found = queries.page(rows.select_related("author", "process"), params.after)
    return {"items": found.items, "next_cursor": found.next_cursor}


@router.get(
    "/{int:petition_id}",
    auth=ANYONE,
    response={200: PetitionDetail, **error_responses(404, 422)},
    summary="A petition",
    description="With its counted signatures by area.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def read_petition(request, petition_id: int):
    return _detail(request, _petition(request, petition_id))


def _slug(model, slug: str | None, name: str):
    if not slug:
        return None
    found = model.objects.filter(slug=slug).first()
    if found is None:
        raise ApiError(422, "invalid", f"{name}: unknown {slug}")
    return found


def _refused(error: PermissionDenied, petition=None, person=None, *, phase=True) -> ApiError:
    """403 with the rule's reason as the code (`phase` False: starting and co-sponsoring,
    which a process's phase does not limit)."""
    if petition is not None:
        decision = signing_rule(person, petition, phase=phase)
        if not decision:
            return ApiError(403, decision.reason, decision.message)
    return ApiError(403, "forbidden", str(error) or _("You are not allowed to do this."))


@router.post(
    "",
    response={201: PetitionDetail, **error_responses(400, 403, 422)},
    summary="Start a petition",
    description="A draft addressed to an `office`, or to an `authority` as a whole, optionally "
    "in a `process`. Whoever may sign it may start it: otherwise 403 with the reason.",
)
def start_petition(request, body: NewPetition):
    office = _slug(Office, body.office, "office")
    authority = _slug(Authority, body.authority, "authority")
    process = _slug(Process, body.process, "process")
    try:
        petition = services.start_petition(
            by=request.auth,
            title=body.title,
            asks=body.asks,
            why=body.why,
            closes_on=body.closes_on,
            office=office,
            authority=authority,
            process=process,
        )
    except PermissionDenied as error:
        draft = Petition(author=request.auth, process=process, office=office)
        raise _refused(error, draft, request.auth, phase=False) from error
    return Status(201, _detail(request, _petition(request, petition.pk)))


@router.post(
    "/{int:petition_id}/collect",
    response={200: PetitionDetail, **error_responses(403, 404, 409, 422)},
    summary="Ask for co-sponsors",
    description="For the author of a draft: the answer carries `cosponsor_token` to share.",
)
def collect(request, petition_id: int):
    petition = _petition(request, petition_id)
    try:
        services.ask_for_cosponsors(petition, by=request.auth)
    except PermissionDenied as error:
        raise _refused(error) from error
    except Refused:
        raise  # a suspension: 403 `suspended`, answered by the API's handler
    except ValidationError as error:
        raise ApiError(409, "wrong_state", " ".join(error.messages)) from error
    return _detail(request, _petition(request, petition_id))


@router.post(
    "/{int:petition_id}/cosponsor",
    response={200: CosponsorOut, **error_responses(400, 403, 404, 409, 422)},
    summary="Co-sponsor a petition",
    description="With the token of its private link, before it goes to moderators. Once per "
    "person; the last co-sponsor needed sends it to them.",
)
def cosponsor(request, petition_id: int, body: CosponsorIn):
    petition = Petition.objects.filter(pk=petition_id).select_related("office", "process").first()
    if petition is None:
        raise Http404
    try:
        services.cosponsor(petition, token=body.token, by=request.auth)
    except PermissionDenied as error:
        if body.token != petition.cosponsor_token:
            raise ApiError(403, "bad_token", str(error)) from error
        raise _refused(error, petition, request.auth, phase=False) from error
    except Refused:
        raise  # a suspension: 403 `suspended`, answered by the API's handler
    except ValidationError as error:
        raise ApiError(409, "wrong_state", " ".join(error.messages)) from error
    petition.refresh_from_db()
    return {"cosponsor_count": petition.cosponsor_count, "state": petition.state}


@router.post(
    "/{int:petition_id}/sign",
    response={201: SignOut, **error_responses(400, 403, 404, 409, 422)},
    summary="Sign a petition",
    description="Once per person: a second signature answers 409 `already_signed`. Signing a "
    "petition not open, or closed, answers 409 `not_open` or `closed`; the signing rule's "
    "refusal, 403 with its reason (`not_verified`, `outside_phase`...). An account whose "
    "email is not confirmed is sent a link: its signature counts once confirmed.",
)
def sign(request, petition_id: int, body: SignIn):
    petition = _petition(request, petition_id, to_sign=True)
    try:
        signature = services.sign_petition(
            petition,
            by=request.auth,
            show_name=body.show_name,
            address=get_adapter().get_client_ip(request),
        )
    except PermissionDenied as error:
        raise _refused(error, petition, request.auth) from error
    except Refused:
        raise
    except ValidationError as error:
        code = "closed" if petition.is_closed() else "not_open"
        raise ApiError(409, code, " ".join(error.messages)) from error
    if signature is None:
        raise ApiError(409, "already_signed", _("You signed this petition already."))
    # The service read the count back after its update: no query more.
    return Status(
        201,
        {
            "signed": True,
            "counted": signature.counts,
            "signature_count": petition.signature_count,
        },
    )


@router.delete(
    "/{int:petition_id}/sign",
    response={200: None, **error_responses(404, 405, 422)},
    summary="Withdrawing a signature is not allowed",
    description="A signature cannot be withdrawn: always 405 `withdraw_not_allowed`.",
)
def withdraw(request, petition_id: int):
    _petition(request, petition_id)
    raise ApiError(
        405,
        "withdraw_not_allowed",
        _("A signature cannot be withdrawn."),
    )


# Moderation and the office's answers ----------------------------------------------------------


class PublishIn(Input):
    office: str | None = Field(
        None,
        max_length=80,
        description="The slug of the office that answers (one of the petition's authority); "
        "needed for a petition addressed to the authority as a whole.",
    )


class RejectIn(Input):
    reason: Said = Field(max_length=REASON_MAX_LENGTH)


class InvalidateIn(Input):
    reason: Said = Field(max_length=REASON_MAX_LENGTH)
    email_domain: Text = Field("", max_length=255, description="One email domain…")
    network: Text = Field("", max_length=64, description="…or one network range (`/24`, `/48`).")


class InvalidateOut(Schema):
    invalidated: int = Field(description="The signatures struck by this invalidation.")
    signature_count: int = Field(description="The petition's count, recomputed.")


class PetitionResponseIn(Input):
    body: Said = Field(max_length=RESPONSE_MAX_LENGTH, description="In the house Markdown.")


class DebateIn(Input):
    debated_on: date
    decision: Literal[tuple(DebateDecision.values)]
    minutes_url: Text = Field("", max_length=200)
    summary: Text = Field("", max_length=RESPONSE_MAX_LENGTH)


def _moderators_only(request) -> None:
    if not can_moderate(request.auth):
        raise ApiError(
            403, "not_a_moderator", _("Only moderators publish, reject or check petitions.")
        )


def _office_only(request, petition: Petition) -> None:
    """The office's officials only; a political account among them is told why its kind may
    not (403 `account_kind`), as the page tells it."""
    if not can_respond(request.auth, petition):
        refusal = kinds.refusal(request.auth, kinds.ANSWER)
        if refusal and petition.office_id and is_official_of(request.auth, petition.office):
            raise ApiError(403, "account_kind", refusal)
        raise ApiError(
            403,
            "not_the_office",
            _("Only the officials of the office the petition asks can do this."),
        )


def _run(verb, petition: Petition, **arguments):
    """Run a service's verb: a field's problem is 422 `invalid` (the API's handler), one of the
    petition's state (not awaiting moderation, answered already) 409 `wrong_state`."""
    try:
        return verb(petition, **arguments)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ApiError(409, "wrong_state", " ".join(error.messages)) from error


@router.post(
    "/{int:petition_id}/publish",
    response={200: PetitionDetail, **error_responses(400, 403, 404, 409, 422)},
    summary="Publish a petition",
    description="For moderators, while it awaits moderation: otherwise 403 `not_a_moderator`, "
    "409 `wrong_state`. `office` routes one addressed to the authority as a whole (422 when "
    "missing or of another authority). Its author is told.",
)
def publish(request, petition_id: int, body: PublishIn):
    petition = _petition(request, petition_id)
    _moderators_only(request)
    office = _slug(Office, body.office, "office")
    _run(services.publish_petition, petition, by=request.auth, office=office)
    return _detail(request, _petition(request, petition_id))


@router.post(
    "/{int:petition_id}/reject",
    response={200: PetitionDetail, **error_responses(400, 403, 404, 409, 422)},
    summary="Reject a petition",
    description="For moderators, while it awaits moderation, with a `reason` its author is "
    "sent: otherwise 403 `not_a_moderator`, 409 `wrong_state`, 422 without a reason.",
)
def reject(request, petition_id: int, body: RejectIn):
    petition = _petition(request, petition_id)
    _moderators_only(request)
    _run(services.reject_petition, petition, by=request.auth, reason=body.reason)
    return _detail(request, _petition(request, petition_id))


@router.post(
    "/{int:petition_id}/invalidate",
    response={200: InvalidateOut, **error_responses(400, 403, 404, 422)},
    summary="Invalidate a set of signatures",
    description="For moderators: the valid signatures from one `email_domain` or one "
    "`network` range (as the petition's integrity page lists them), with a recorded `reason`. "
    "The count is recomputed in the same transaction. Neither or both chosen is 422.",
)
def invalidate(request, petition_id: int, body: InvalidateIn):
    petition = _petition(request, petition_id)
    _moderators_only(request)
    invalidation = services.invalidate_signatures(
        petition,
        by=request.auth,
        reason=body.reason,
        email_domain=body.email_domain,
        network=body.network,
    )
    return {"invalidated": invalidation.count, "signature_count": petition.signature_count}


@router.post(
    "/{int:petition_id}/response",
    response={200: PetitionDetail, **error_responses(400, 403, 404, 409, 422)},
    summary="Publish the office's written response",
    description="For the officials of the office the petition asks (or of an office above "
    "it): otherwise 403 `not_the_office`. Once, on a published petition (else 409 "
    "`wrong_state`); its signers are told.",
)
def respond(request, petition_id: int, body: PetitionResponseIn):
    petition = _petition(request, petition_id)
    _office_only(request, petition)
    _run(services.respond_to_petition, petition, by=request.auth, body=body.body)
    return _detail(request, _petition(request, petition_id))


@router.post(
    "/{int:petition_id}/debate",
    response={200: PetitionDetail, **error_responses(400, 403, 404, 409, 422)},
    summary="Publish the outcome of the council's debate",
    description="For the officials of the office the petition asks: otherwise 403 "
    "`not_the_office`. `debated_on` (not in the future), `decision`, optionally "
    "`minutes_url` (https://…) and `summary`. Once, on a published petition (else 409 "
    "`wrong_state`); its signers are told.",
)
def debate(request, petition_id: int, body: DebateIn):
    petition = _petition(request, petition_id)
    _office_only(request, petition)
    _run(
        services.record_debate,
        petition,
        by=request.auth,
        debated_on=body.debated_on,
        decision=body.decision,
        minutes_url=body.minutes_url,
        summary=body.summary,
    )
    return _detail(request, _petition(request, petition_id))
