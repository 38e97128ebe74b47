"""Who may see a meeting, register for it and run it. Registering for a process's meeting is
the action "register" of its phases (`processes.features`), with the process's rule; an
office's meeting is open to anyone signed in."""

from django.utils.translation import gettext_lazy as _

from agora.accounts.permissions import is_administrator
from agora.directory.permissions import is_official_of
from agora.meetings.models import Meeting
from agora.processes.features import Decision, Reason, Who, can_act, register_action
from agora.processes.models import PhaseKind
from agora.processes.permissions import can_manage_process, can_view_process

REGISTER = register_action(
    "register",
    label=_("Register for meetings"),
    who=Who.RESIDENTS_AND_OFFICE,
    phases=[
        PhaseKind.INFORMATION,
        PhaseKind.PROPOSALS,
        PhaseKind.DEBATE,
        PhaseKind.SUPPORT,
        PhaseKind.ANSWERS,
        PhaseKind.RESULTS,
    ],
).name


def can_view_meeting(person, meeting: Meeting) -> bool:
    return meeting.process is None or can_view_process(person, meeting.process)


def can_manage_meeting(person, meeting: Meeting) -> bool:
    """The staff: the process's managers, or the office's officials (and administrators)."""
    if not person.is_authenticated:
        return False
    if meeting.process is not None:
        return can_manage_process(person, meeting.process)
    return is_administrator(person) or is_official_of(person, meeting.office)


def can_register(person, meeting: Meeting, at=None) -> Decision:
    if meeting.has_ended(at):
        return Decision(False, Reason.OUTSIDE_PHASE, explanation=str(_("This meeting is over.")))
    if meeting.process is not None:
        return can_act(person, REGISTER, meeting.process, at)
    if not person.is_authenticated or not person.is_active:
        return Decision(False, Reason.NOT_SIGNED_IN)
    return Decision(True, Reason.ALLOWED)


def can_create_meeting(person, *, process=None, office=None) -> bool:
    """A process's managers add its meetings; an office's officials (and administrators) add
    the office's own."""
    if not person.is_authenticated:
        return False
    if process is not None:
        return can_manage_process(person, process)
    return office is not None and (is_administrator(person) or is_official_of(person, office))
