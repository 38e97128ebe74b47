"""Who may answer a poll and who may see what of it, as small named predicates. Answering is
the action "respond" of the process's phases (`processes.features`); a poll open to visitors
also admits someone not signed in."""

from django.utils.translation import gettext_lazy as _

from agora.polls.models import Poll, ResultsShown
from agora.processes.features import Decision, Reason, Who, can_act, register_action
from agora.processes.models import PhaseKind
from agora.processes.permissions import can_manage_process, can_view_process

RESPOND = register_action(
    "respond",
    label=_("Answer polls and surveys"),
    who=Who.RESIDENTS,
    phases=[PhaseKind.INFORMATION, PhaseKind.DEBATE, PhaseKind.SUPPORT],
).name


def can_view_poll(person, poll: Poll) -> bool:
    return can_view_process(person, poll.process)


def can_manage_poll(person, poll: Poll) -> bool:
    """The process's staff: they see every result, the free-text answers and the export."""
    return person.is_authenticated and can_manage_process(person, poll.process)


def can_respond(person, poll: Poll, at=None) -> Decision:
    if poll.is_closed(at):
        return Decision(False, Reason.OUTSIDE_PHASE, explanation=str(_("This poll is closed.")))
    decision = can_act(person, RESPOND, poll.process, at)
    if decision.reason == Reason.NOT_SIGNED_IN and poll.allows_visitors:
        return Decision(True, Reason.ALLOWED, decision.phase)
    return decision


def can_see_results(person, poll: Poll, *, answered: bool, at=None) -> bool:
    if can_manage_poll(person, poll):
        return True
    if poll.results_shown == ResultsShown.AFTER_ANSWERING:
        return answered or poll.is_closed(at)
    if poll.results_shown == ResultsShown.AFTER_CLOSING:
        return poll.is_closed(at)
    return False
