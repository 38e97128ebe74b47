"""The only code that changes cases. Each verb runs in a transaction, checks that the actor may
do it, moves the case through its declared lifecycle with a conditional update, adds the event
to the timeline and writes the audit log."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.cases.models import (
    Case,
    CaseEvent,
    CaseSupport,
    Channel,
    EventKind,
    Open311ApiKey,
    ServiceLevel,
)
from agora.cases.models.case import ASSISTED_CHANNELS, PHOTO_MAX_SIDE
from agora.cases.models.lifecycle import TRANSITIONS
from agora.cases.permissions import (
    can_act_on_case,
    can_follow_up,
    can_support_case,
    is_any_official,
)
from agora.core import audit
from agora.core.images import reencode_image
from agora.directory.geo import area_at
from agora.directory.models import Area, Office, Topic
from agora.directory.permissions import is_official_of
from agora.directory.routing import responsible_office


class CaseError(Exception):
    """A change that cannot be made, with a code for programs and a message for people."""

    code = "case_error"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotAllowed(CaseError):
    code = "not_allowed"


class InvalidTransition(CaseError):
    code = "invalid_transition"


class NotRoutable(CaseError):
    code = "not_routable"


class InvalidClaimCode(CaseError):
    code = "invalid_claim_code"


class MissingText(CaseError):
    code = "missing_text"


class InvalidPhoto(CaseError):
    code = "invalid_photo"


@dataclass(frozen=True)
class AssistedEntry:
    case: Case
    claim_code: str


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed(_("You may not do this with this case."))


def _required_text(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise MissingText(message)
    return text


def _transition(case: Case, action: str, **changes) -> None:
    """Move the case by `action`, if the lifecycle allows it from its state and nobody else
    moved it (or handed it to another office) since it was read."""
    sources, target = TRANSITIONS[action]
    if case.state not in sources:
        raise InvalidTransition(
            _("A case that is “%(state)s” cannot be changed this way.")
            % {"state": case.get_state_display()}
        )
    values = {"updated_at": timezone.now(), **changes}
    if target is not None:
        values["state"] = target
    updated = Case.objects.filter(pk=case.pk, state=case.state, office_id=case.office_id).update(
        **values
    )
    if not updated:
        raise InvalidTransition(_("Someone else changed this case just now. Reload and retry."))
    for name, value in values.items():
        setattr(case, name, value)


def _event(case: Case, kind: str, by=None, **fields) -> CaseEvent:
    actor = by if by is not None and by.is_authenticated else None
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, **fields)


def _clean_photo(photo, photo_alt: str):
    """The upload re-encoded by Pillow (no metadata, at most PHOTO_MAX_SIDE), which must come
    with a description for people who cannot see it."""
    if photo is None:
        return None
    if not photo_alt.strip():
        raise MissingText(_("Describe what the photo shows, for people who cannot see it."))
    try:
        return reencode_image(
            photo, max_bytes=settings.AGORA_AVATAR_MAX_BYTES, max_side=PHOTO_MAX_SIDE
        ).file
    except ValidationError as error:
        raise InvalidPhoto(" ".join(error.messages)) from error


def _open_case(
    *,
    by,
    kind: str,
    title: str,
    description: str,
    topic: Topic,
    area: Area | None,
    is_public: bool,
    longitude: float | None,
    latitude: float | None,
    address: str,
    channel: str,
    submitted_by,
    photo=None,
    photo_alt: str = "",
) -> Case:
    clean_photo = _clean_photo(photo, photo_alt)
    if area is None and longitude is not None and latitude is not None:
        area = area_at(longitude, latitude)
    office = responsible_office(topic, area)
    if office is None:
        raise NotRoutable(_("No office is responsible for this topic here yet."))
    now = timezone.now()
    acknowledge_due_at, answer_due_at = ServiceLevel.promise_of(office).due_dates(now)
    case = Case.objects.create(
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        topic=topic,
        area=area,
        longitude=longitude,
        latitude=latitude,
        address=address.strip(),
        photo=clean_photo or "",
        photo_alt=photo_alt.strip() if clean_photo else "",
        is_public=is_public,
        submitted_by=submitted_by,
        channel=channel,
        office=office,
        acknowledge_due_at=acknowledge_due_at,
        answer_due_at=answer_due_at,
        created_at=now,
        updated_at=now,
    )
    _event(case, EventKind.SUBMITTED, by)
    _event(case, EventKind.ROUTED, to_office=office)
    return case


@transaction.atomic
def submit_case(
    *,
    by,
    kind: str,
    title: str,
    description: str,
    topic: Topic,
    area: Area | None = None,
    is_public: bool = True,
    longitude: float | None = None,
    latitude: float | None = None,
    address: str = "",
    photo=None,
    photo_alt: str = "",
) -> Case:
    """A resident's own question or report, routed at once to the one responsible office."""
    _require(by.is_authenticated)
    case = _open_case(
        by=by,
        kind=kind,
        title=title,
        description=description,
        topic=topic,
        area=area,
        is_public=is_public,
        longitude=longitude,
        latitude=latitude,
        address=address,
        channel=Channel.WEB,
        submitted_by=by,
        photo=photo,
        photo_alt=photo_alt,
    )
    audit.record("cases.submitted", case, actor=by, office=case.office.slug)
    return case


@transaction.atomic
def submit_open311_request(
    *,
    application: str,
    title: str,
    description: str,
    topic: Topic,
    longitude: float | None,
    latitude: float | None,
    address: str = "",
) -> Case:
    """A public report from an Open311 application (authenticated by its API key)."""
    case = _open_case(
        by=None,
        kind="report",
        title=title,
        description=description,
        topic=topic,
        area=None,
        is_public=True,
        longitude=longitude,
        latitude=latitude,
        address=address,
        channel=Channel.OPEN311,
        submitted_by=None,
    )
    audit.record("cases.submitted", case, office=case.office.slug, application=application)
    return case


@transaction.atomic
def record_case_on_behalf(
    *,
    by,
    channel: str,
    kind: str,
    title: str,
    description: str,
    topic: Topic,
    area: Area | None = None,
    is_public: bool = False,
    address: str = "",
) -> AssistedEntry:
    """An official records what a resident said at a desk, on the phone or in a letter. The
    resident gets a code to claim the case as theirs later."""
    _require(is_any_official(by))
    if channel not in ASSISTED_CHANNELS:
        raise CaseError(_("Choose the desk, phone or letter."), code="invalid_channel")
    case = _open_case(
        by=by,
        kind=kind,
        title=title,
        description=description,
        topic=topic,
        area=area,
        is_public=is_public,
        longitude=None,
        latitude=None,
        address=address,
        channel=channel,
        submitted_by=None,
    )
    code = Case.new_claim_code()
    case.claim_code_hash = Case.hash_claim_code(code)
    case.save(update_fields=["claim_code_hash"])
    audit.record("cases.recorded", case, actor=by, office=case.office.slug, channel=channel)
    return AssistedEntry(case=case, claim_code=code)


@transaction.atomic
def claim_case(code: str, *, user) -> Case:
    """The resident a case was recorded for makes it theirs with the code they were given."""
    _require(user.is_authenticated)
    code_hash = Case.hash_claim_code(code or "")
    case = Case.objects.filter(claim_code_hash=code_hash, submitted_by__isnull=True).first()
    claimed = case is not None and Case.objects.filter(
        pk=case.pk, claim_code_hash=code_hash, submitted_by__isnull=True
    ).update(submitted_by=user, claim_code_hash="", updated_at=timezone.now())
    if not claimed:
        raise InvalidClaimCode(_("This code does not match any case waiting to be claimed."))
    case.submitted_by, case.claim_code_hash = user, ""
    _event(case, EventKind.CLAIMED, user)
    audit.record("cases.claimed", case, actor=user)
    return case


@transaction.atomic
def acknowledge_case(case: Case, *, by) -> CaseEvent:
    _require(can_act_on_case(by, case))
    _transition(case, "acknowledge", acknowledged_at=case.acknowledged_at or timezone.now())
    audit.record("cases.acknowledged", case, actor=by)
    return _event(case, EventKind.ACKNOWLEDGED, by)


@transaction.atomic
def assign_case(case: Case, *, to, by) -> CaseEvent:
    """Give the case to a colleague in the accountable office (or take it oneself)."""
    _require(can_act_on_case(by, case))
    if not is_official_of(to, case.office):
        raise NotAllowed(_("Only an official of the office can be assigned the case."))
    _transition(case, "assign", assigned_to=to)
    audit.record("cases.assigned", case, actor=by, assignee=to.pk)
    return _event(case, EventKind.ASSIGNED, by, assignee=to)


@transaction.atomic
def transfer_case(case: Case, *, to_office: Office, by, reason: str) -> CaseEvent:
    """Hand the case to another office, with the reason. The case keeps its whole timeline and
    the receiving office sees all of it; the clock starts again at the receiving office."""
    _require(can_act_on_case(by, case))
    reason = _required_text(reason, _("Say why the case goes to another office."))
    if to_office.pk == case.office_id:
        raise InvalidTransition(_("The case is already with this office."))
    from_office = case.office
    acknowledge_due_at, answer_due_at = ServiceLevel.promise_of(to_office).due_dates(timezone.now())
    _transition(
        case,
        "transfer",
        office=to_office,
        assigned_to=None,
        acknowledge_due_at=acknowledge_due_at,
        answer_due_at=answer_due_at,
        transfer_count=case.transfer_count + 1,
    )
    audit.record(
        "cases.transferred",
        case,
        actor=by,
        from_office=from_office.slug,
        to_office=to_office.slug,
        reason=reason,
    )
    return _event(
        case,
        EventKind.TRANSFERRED,
        by,
        from_office=from_office,
        to_office=to_office,
        text=reason,
    )


@transaction.atomic
def request_information(case: Case, *, by, question: str) -> CaseEvent:
    _require(can_act_on_case(by, case))
    question = _required_text(question, _("Say what information you need."))
    _transition(case, "request_information")
    audit.record("cases.information_requested", case, actor=by)
    return _event(case, EventKind.INFO_REQUESTED, by, text=question)


@transaction.atomic
def answer_case(case: Case, *, by, answer: str) -> CaseEvent:
    """The office's official answer, shown as such on the timeline."""
    _require(can_act_on_case(by, case))
    answer = _required_text(answer, _("Write the answer."))
    _transition(case, "answer", answered_at=case.answered_at or timezone.now())
    audit.record("cases.answered", case, actor=by)
    return _event(case, EventKind.ANSWERED, by, from_office=case.office, text=answer)


@transaction.atomic
def resolve_case(case: Case, *, by, note: str = "") -> CaseEvent:
    _require(can_act_on_case(by, case))
    _transition(case, "resolve", finished_at=timezone.now())
    audit.record("cases.resolved", case, actor=by)
    return _event(case, EventKind.RESOLVED, by, text=note.strip())


@transaction.atomic
def reopen_case(case: Case, *, by, reason: str = "") -> CaseEvent:
    _require(can_follow_up(by, case))
    _transition(case, "reopen", finished_at=None)
    audit.record("cases.reopened", case, actor=by)
    return _event(case, EventKind.REOPENED, by, text=reason.strip())


@transaction.atomic
def close_case(case: Case, *, by) -> CaseEvent:
    _require(can_follow_up(by, case))
    _transition(case, "close", finished_at=timezone.now())
    audit.record("cases.closed", case, actor=by)
    return _event(case, EventKind.CLOSED, by)


@transaction.atomic
def create_open311_key(name: str, *, by=None) -> str:
    """A new api_key for an Open311 application; the key is returned once, only its hash kept."""
    key = Open311ApiKey.new_key()
    application = Open311ApiKey.objects.create(
        name=name.strip(), key_hash=Open311ApiKey.hash(key), created_by=by
    )
    audit.record("cases.open311_key_created", application, actor=by, name=application.name)
    return key


@transaction.atomic
def support_case(case: Case, *, by) -> bool:
    """Say “me too” about a public case. True when it counted, False when already said."""
    _require(can_support_case(by, case))
    _support, created = CaseSupport.objects.get_or_create(case=case, user=by)
    if created:
        Case.objects.filter(pk=case.pk).update(support_count=F("support_count") + 1)
        case.refresh_from_db(fields=["support_count"])
    return created


@transaction.atomic
def withdraw_support(case: Case, *, by) -> bool:
    deleted, _rows = CaseSupport.objects.filter(case=case, user=by).delete()
    if deleted:
        Case.objects.filter(pk=case.pk).update(support_count=F("support_count") - 1)
        case.refresh_from_db(fields=["support_count"])
    return bool(deleted)
