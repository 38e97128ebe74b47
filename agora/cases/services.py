"""The only code that changes cases. Each verb runs in a transaction, checks that the actor may
do it, moves the case through its declared lifecycle with a conditional update, adds the event
to the timeline, tells the case's followers and writes the audit log."""

import csv
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.cases.models import (
    Case,
    CaseEvent,
    CaseFollow,
    CaseSupport,
    Channel,
    EventKind,
    OfficeComment,
    Open311ApiKey,
    PublicHoliday,
    ServiceLevel,
)
from agora.cases.models.case import ASSISTED_CHANNELS, PHOTO_MAX_SIDE, is_media_url
from agora.cases.models.lifecycle import TRANSITIONS
from agora.cases.permissions import (
    can_act_on_case,
    can_comment_on_case,
    can_follow_case,
    can_follow_up,
    can_support_case,
    is_any_official,
    is_submitter,
)
from agora.core import audit
from agora.core.images import reencode_image
from agora.directory.geo import area_at
from agora.directory.models import Area, Authority, Office, Topic
from agora.directory.permissions import is_official_of
from agora.directory.routing import responsible_office
from agora.notifications.models import Kind
from agora.notifications.services import notify, notify_many
from agora.social import services as social_services
from agora.social.models import Comment
from agora.social.permissions import is_blocked_between

# The events a case's followers hear of; assignment and claims are the office's and the
# resident's own business, and a submission is only ever followed by its submitter.
ANNOUNCED_EVENTS = {
    EventKind.ROUTED,
    EventKind.ACKNOWLEDGED,
    EventKind.TRANSFERRED,
    EventKind.INFO_REQUESTED,
    EventKind.INFO_PROVIDED,
    EventKind.ANSWERED,
    EventKind.RESOLVED,
    EventKind.REOPENED,
    EventKind.CLOSED,
}


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
    event = CaseEvent.objects.create(case=case, kind=kind, actor=actor, **fields)
    if kind in ANNOUNCED_EVENTS:
        _announce(case, event, actor)
    return event


def followers_to_tell(case: Case):
    """The people who follow the case and may still see it. A private case's news reaches only
    its resident and the officials of the office accountable now, whoever else once followed
    it."""
    people = User.objects.filter(case_follows__case=case)
    if not case.is_public:
        people = people.filter(
            Q(pk=case.submitted_by_id) | Q(office_memberships__office_id=case.office_id)
        )
    return people


def _speaking_office(case: Case, event: CaseEvent, actor) -> Office | None:
    """The office a notification names: the one the case went to for routing and transfers,
    the accountable office for what its officials do, none for the resident's own steps."""
    if event.kind in (EventKind.ROUTED, EventKind.TRANSFERRED):
        return event.to_office
    if actor is not None and is_submitter(actor, case):
        return None
    return case.office


def _announce(case: Case, event: CaseEvent, actor) -> None:
    """Tell every follower but the one who did it, in a fixed number of queries."""
    notify_many(
        followers_to_tell(case),
        kind=Kind.CASE_UPDATE,
        actor=actor,
        name_actor=not (actor is not None and is_submitter(actor, case)),
        office=_speaking_office(case, event, actor),
        event=event.kind,
        subject=case.title,
        target=event,
        url=f"{case.get_absolute_url()}#event-{event.pk}",
        excerpt=event.text,
    )


def _follow(case: Case, person) -> bool:
    """Make the person follow the case; False when they already did."""
    try:
        with transaction.atomic():
            CaseFollow.objects.create(case=case, user=person)
    except IntegrityError:
        return False
    return True


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
    media_url: str = "",
) -> Case:
    clean_photo = _clean_photo(photo, photo_alt)
    if area is None and longitude is not None and latitude is not None:
        area = area_at(longitude, latitude)
    office = responsible_office(topic, area)
    if office is None:
        raise NotRoutable(_("No office is responsible for this topic here yet."))
    now = timezone.now()
    acknowledge_due_at, answer_due_at = ServiceLevel.promise_of(office, now).due_dates(now)
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
        media_url=media_url,
        is_public=is_public,
        submitted_by=submitted_by,
        channel=channel,
        office=office,
        acknowledge_due_at=acknowledge_due_at,
        answer_due_at=answer_due_at,
        created_at=now,
        updated_at=now,
    )
    if submitted_by is not None:
        _follow(case, submitted_by)
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
    media_url: str = "",
) -> Case:
    """A public report from an Open311 application (authenticated by its API key). A
    `media_url` is kept as a link to the application's photo: Agora never fetches it."""
    media_url = (media_url or "").strip()
    if media_url and not is_media_url(media_url):
        raise CaseError(
            _("media_url must be an http or https address of at most 500 characters."),
            code="invalid_media_url",
        )
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
        media_url=media_url,
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
    _follow(case, user)
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
    _follow(case, to)  # so the resident's replies and comments reach them
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
    now = timezone.now()
    acknowledge_due_at, answer_due_at = ServiceLevel.promise_of(to_office, now).due_dates(now)
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
def provide_information(case: Case, *, by, text: str) -> CaseEvent:
    """The resident answers the office's questions; the case goes back to the office."""
    _require(is_submitter(by, case))
    text = _required_text(text, _("Write the information the office asked for."))
    _transition(case, "provide_information")
    audit.record("cases.information_provided", case, actor=by)
    return _event(case, EventKind.INFO_PROVIDED, by, text=text)


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


def take_action(
    case: Case, action: str, *, by, text: str = "", assignee=None, office: Office | None = None
) -> CaseEvent:
    """One of a case's actions by its name, for the case page and the API, which read their
    input differently. `text` is what the action takes: the question, the answer, the reason
    for a transfer or a reopening, a note; `assignee` and `office` are for assigning and
    transferring. Each action checks who may take it."""
    steps = {
        "acknowledge": lambda: acknowledge_case(case, by=by),
        "assign": lambda: assign_case(case, to=assignee, by=by),
        "transfer": lambda: transfer_case(case, to_office=office, by=by, reason=text),
        "request_information": lambda: request_information(case, by=by, question=text),
        "answer": lambda: answer_case(case, by=by, answer=text),
        "resolve": lambda: resolve_case(case, by=by, note=text),
        "reopen": lambda: reopen_case(case, by=by, reason=text),
        "close": lambda: close_case(case, by=by),
        "provide_information": lambda: provide_information(case, by=by, text=text),
    }
    return steps[action]()


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


# Following and comments.


@transaction.atomic
def follow_case(case: Case, *, by) -> bool:
    """Follow a case to be told of everything that happens to it. True when it is new."""
    _require(can_follow_case(by, case))
    return _follow(case, by)


@transaction.atomic
def unfollow_case(case: Case, *, by) -> bool:
    deleted, _rows = CaseFollow.objects.filter(case=case, user=by).delete()
    return bool(deleted)


@transaction.atomic
def comment_on_case(case: Case, *, by, body: str, parent: Comment | None = None) -> Comment:
    """Comment on a public case, or reply to a comment on it. An official of the accountable
    office speaks for the office, and the comment says so. The commenter follows the case;
    its followers are told, and so is the author of the comment replied to."""
    if not can_comment_on_case(by, case):
        raise PermissionDenied(_("You cannot comment on this case."))
    if parent is not None and is_blocked_between(by, parent.author):
        raise ValidationError({"body": _("You cannot reply to this comment.")})
    comment = social_services.add_comment(by, case, body=body, parent=parent)
    office = case.office if can_act_on_case(by, case) else None
    if office is not None:
        OfficeComment.objects.create(comment=comment, case=case, office=office)
    comment.office = office  # as `queries.case_comments` marks the comments it reads
    _follow(case, by)
    url = f"{case.get_absolute_url()}#comment-{comment.pk}"
    notify_many(
        followers_to_tell(case),
        kind=Kind.CASE_COMMENT,
        actor=by,
        office=office,
        subject=case.title,
        target=comment,
        url=url,
        excerpt=comment.body,
        skip_muted=True,
    )
    if (
        parent is not None
        and parent.author_id != by.pk
        and not CaseFollow.objects.filter(case=case, user=parent.author_id).exists()
    ):
        notify(parent.author, kind=Kind.REPLY, actor=by, target=comment, url=url, excerpt=body)
    return comment


@transaction.atomic
def delete_case_comment(comment: Comment, *, by) -> None:
    """The author deletes their comment with its replies; the notifications about them go."""
    social_services.delete_comment(comment, by=by)


# Public holidays.


@transaction.atomic
def add_public_holiday(
    authority: Authority, *, day, name_en: str, name_es: str = "", by=None
) -> PublicHoliday:
    """A day the authority's offices do not count as a working day, from the next clock that
    starts: due dates already set stay as they were promised."""
    holiday, _created = PublicHoliday.objects.update_or_create(
        authority=authority,
        date=day,
        defaults={"name_en": name_en.strip(), "name_es": name_es.strip()},
    )
    audit.record(
        "cases.holiday_added", holiday, actor=by, authority=authority.slug, date=day.isoformat()
    )
    return holiday


class HolidayFileError(CaseError):
    """What is wrong with a holidays file, line by line; nothing was saved."""

    code = "invalid_holidays"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@transaction.atomic
def import_holidays(authority: Authority, lines, *, by=None) -> int:
    """Add or update the authority's holidays from CSV lines with the columns `date`
    (YYYY-MM-DD), `name_en` and `name_es` (optional). Every line is checked first; one bad
    line saves nothing. Returns how many holidays were read."""
    reader = csv.DictReader(lines)
    if reader.fieldnames is None or not {"date", "name_en"} <= set(reader.fieldnames):
        raise HolidayFileError([_("The first line must name the columns: date, name_en, name_es.")])
    problems, rows, seen = [], [], {}
    for row in reader:
        line = reader.line_num
        try:
            day = date.fromisoformat((row.get("date") or "").strip())
        except ValueError:
            problems.append(
                _("Line %(line)d: the date must be written YYYY-MM-DD.") % {"line": line}
            )
            continue
        name_en, name_es = (row.get("name_en") or "").strip(), (row.get("name_es") or "").strip()
        if not name_en:
            problems.append(_("Line %(line)d: name_en is required.") % {"line": line})
        elif len(name_en) > 120 or len(name_es) > 120:
            problems.append(
                _("Line %(line)d: a name is limited to 120 characters.") % {"line": line}
            )
        elif day in seen:
            problems.append(
                _("Line %(line)d: %(date)s is already on line %(first)d.")
                % {"line": line, "date": day.isoformat(), "first": seen[day]}
            )
        else:
            seen[day] = line
            rows.append((day, name_en, name_es))
    if problems:
        raise HolidayFileError(problems)
    for day, name_en, name_es in rows:
        add_public_holiday(authority, day=day, name_en=name_en, name_es=name_es, by=by)
    return len(rows)
