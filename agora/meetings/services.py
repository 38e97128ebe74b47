"""The verbs of meetings: registering (a seat while seats last, else the waiting list),
cancelling (which moves the first waiting person up and tells them), the reminders the day
before, attendance and minutes; the staff's creating and changing a meeting, and linking what
it discussed.

Two people registering for the last seat at once: each verb first locks the meeting's row
(`select_for_update`; on SQLite the write lock serialises them), so the second counts the
first's seat and waits."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.core import audit
from agora.core.refusals import Refused
from agora.meetings import notifying, queries
from agora.meetings.models import Meeting, Registration, RegistrationState
from agora.meetings.permissions import can_create_meeting, can_manage_meeting, can_register
from agora.notifications.services import notify_many

ACTIVE = (RegistrationState.REGISTERED, RegistrationState.WAITING)


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _has_a_seat(meeting: Meeting) -> bool:
    if meeting.capacity is None:
        return True
    taken = Registration.objects.filter(meeting=meeting, state=RegistrationState.REGISTERED)
    return taken.count() < meeting.capacity


@transaction.atomic
def register_for_meeting(meeting: Meeting, *, by) -> Registration:
    decision = can_register(by, meeting)
    if not decision:
        raise Refused(decision.message, code=decision.reason)
    meeting = _locked(meeting)
    state = RegistrationState.REGISTERED if _has_a_seat(meeting) else RegistrationState.WAITING
    registration = Registration.objects.filter(meeting=meeting, person=by).first()
    if registration is not None and registration.state in ACTIVE:
        raise Refused(_("You are already on the list of this meeting."), code="already", status=409)
    if registration is None:
        registration = Registration.objects.create(meeting=meeting, person=by, state=state)
    else:
        registration.state, registration.queued_at = state, timezone.now()
        registration.save(update_fields=["state", "queued_at"])
    return registration


@transaction.atomic
def cancel_registration(meeting: Meeting, *, by) -> Registration | None:
    """Take the person off the list. When they held a seat, the first person waiting gets it
    and is told. Returns the promoted registration, if any."""
    meeting = _locked(meeting)
    registration = Registration.objects.filter(meeting=meeting, person=by, state__in=ACTIVE).first()
    if registration is None:
        raise Refused(
            _("You are not on the list of this meeting."), code="not_registered", status=409
        )
    held_a_seat = registration.state == RegistrationState.REGISTERED
    registration.state = RegistrationState.CANCELLED
    registration.save(update_fields=["state"])
    if not held_a_seat or meeting.has_ended():
        return None
    return _promote_next(meeting)


def _promote_next(meeting: Meeting) -> Registration | None:
    if not _has_a_seat(meeting):
        return None
    waiting = (
        Registration.objects.filter(meeting=meeting, state=RegistrationState.WAITING)
        .order_by("queued_at", "pk")
        .first()
    )
    if waiting is None:
        return None
    waiting.state = RegistrationState.REGISTERED
    waiting.save(update_fields=["state"])
    notify_many(
        User.objects.filter(pk=waiting.person_id),
        kind=notifying.PROMOTED,
        subject=meeting.title,
        target=meeting,
        url=meeting.get_absolute_url(),
    )
    return waiting


def send_reminders(now=None) -> int:
    """Remind the registered people of every meeting that starts tomorrow (the site's local
    date), once per meeting: a meeting is claimed by a conditional update, so two workers
    cannot both remind. Returns how many meetings were reminded of."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    due = Meeting.objects.filter(starts_at__date=tomorrow, reminders_sent_at__isnull=True)
    reminded = 0
    for meeting in due.order_by("pk").iterator():
        with transaction.atomic():
            claimed = Meeting.objects.filter(pk=meeting.pk, reminders_sent_at__isnull=True).update(
                reminders_sent_at=now
            )
            if not claimed:
                continue
            notify_many(
                User.objects.filter(
                    meeting_registrations__meeting=meeting,
                    meeting_registrations__state=RegistrationState.REGISTERED,
                ),
                kind=notifying.REMINDER,
                subject=meeting.title,
                target=meeting,
                url=meeting.get_absolute_url(),
            )
            reminded += 1
    return reminded


def _staff_only(meeting: Meeting, by) -> None:
    if not can_manage_meeting(by, meeting):
        raise Refused(_("Only the meeting's staff can do this."), code="not_staff")


@transaction.atomic
def record_attendance(meeting: Meeting, *, by, attended: set[int], unnamed: int) -> None:
    """Mark which registered people came (`attended`: their registrations' ids), and how many
    came without registering, counted but never named."""
    _staff_only(meeting, by)
    if unnamed < 0:
        raise Refused(_("A count of people cannot be negative."), code="invalid", status=422)
    registrations = Registration.objects.filter(meeting=meeting).exclude(
        state=RegistrationState.CANCELLED
    )
    registrations.update(attended=Q(pk__in=attended))
    Meeting.objects.filter(pk=meeting.pk).update(unnamed_attendance=unnamed)
    audit.record("meetings.attendance", meeting, actor=by, came=len(attended), unnamed=unnamed)


@transaction.atomic
def publish_minutes(meeting: Meeting, *, by, minutes_en: str, minutes_es: str) -> None:
    _staff_only(meeting, by)
    if not (minutes_en.strip() or minutes_es.strip()):
        raise Refused(_("Write the minutes in at least one language."), code="invalid", status=422)
    meeting.minutes_en, meeting.minutes_es = minutes_en.strip(), minutes_es.strip()
    meeting.minutes_published_at = meeting.minutes_published_at or timezone.now()
    meeting.save(update_fields=["minutes_en", "minutes_es", "minutes_published_at"])
    audit.record("meetings.minutes", meeting, actor=by)


def attendance(meeting: Meeting) -> dict[str, int]:
    """Registered, waiting and attended, in one query."""
    return Registration.objects.filter(meeting=meeting).aggregate(
        registered=Count("pk", filter=Q(state=RegistrationState.REGISTERED)),
        waiting=Count("pk", filter=Q(state=RegistrationState.WAITING)),
        came=Count("pk", filter=Q(attended=True) & ~Q(state=RegistrationState.CANCELLED)),
    )


#: What, when it changes, the people on a meeting's list are told of.
TOLD_OF_CHANGES = ("starts_at", "ends_at", "mode", "address", "online_url")


@transaction.atomic
def create_meeting(*, by, process=None, office=None, **fields) -> Meeting:
    """A new meeting of a process (its managers) or of an office (its officials)."""
    meeting = Meeting(process=process, office=office, **fields)
    if not can_create_meeting(by, process=process, office=office):
        raise Refused(_("Only the staff can add a meeting here."), code="not_staff")
    meeting.full_clean()
    meeting.save()
    audit.record("meetings.created", meeting, actor=by)
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, *, by, **fields) -> Meeting:
    """Change a meeting. Seats may not drop below the people registered (they keep their
    seats); more seats move the people waiting up, in their order, and tell them. When the
    time, the place or the link changes, everyone on the list is told."""
    _staff_only(meeting, by)
    meeting = _locked(meeting)
    before = {name: getattr(meeting, name) for name in TOLD_OF_CHANGES}
    for name, value in fields.items():
        setattr(meeting, name, value)
    registered = Registration.objects.filter(
        meeting=meeting, state=RegistrationState.REGISTERED
    ).count()
    if meeting.capacity is not None and meeting.capacity < registered:
        raise Refused(
            _(
                "%(count)d people hold seats: there cannot be fewer seats than that. "
                "Ask people to cancel first, or keep the seats."
            )
            % {"count": registered},
            code="invalid",
            status=422,
        )
    meeting.full_clean()
    meeting.save()
    while not meeting.has_ended() and _promote_next(meeting):
        pass
    changed = [name for name in TOLD_OF_CHANGES if getattr(meeting, name) != before[name]]
    if changed and not meeting.has_ended():
        notify_many(
            User.objects.filter(
                meeting_registrations__meeting=meeting,
                meeting_registrations__state__in=ACTIVE,
            ),
            kind=notifying.CHANGED,
            actor=by,
            name_actor=False,
            subject=meeting.title,
            target=meeting,
            url=meeting.get_absolute_url(),
        )
    audit.record("meetings.changed", meeting, actor=by, changed=changed)
    return meeting


@transaction.atomic
def link_discussed(meeting: Meeting, *, by, proposal_id=None, result_id=None) -> None:
    """Record that the meeting discussed a proposal or a result (of its process, or of its
    office's processes)."""
    _staff_only(meeting, by)
    proposals, results = queries.discussable(meeting)
    if proposal_id is not None:
        proposal = proposals.filter(pk=proposal_id).first()
        if proposal is None:
            raise Refused(
                _("That proposal is not one this meeting can discuss."), code="invalid", status=422
            )
        meeting.discussed_proposals.add(proposal)
    if result_id is not None:
        result = results.filter(pk=result_id).first()
        if result is None:
            raise Refused(
                _("That result is not one this meeting can discuss."), code="invalid", status=422
            )
        meeting.discussed_results.add(result)
    audit.record("meetings.discussed", meeting, actor=by, proposal=proposal_id, result=result_id)


@transaction.atomic
def unlink_discussed(meeting: Meeting, *, by, proposal_id=None, result_id=None) -> None:
    _staff_only(meeting, by)
    if proposal_id is not None:
        meeting.discussed_proposals.remove(proposal_id)
    if result_id is not None:
        meeting.discussed_results.remove(result_id)
    audit.record("meetings.undiscussed", meeting, actor=by, proposal=proposal_id, result=result_id)
