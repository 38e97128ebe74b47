"""Working a case: the verbs of its declared actions (acknowledge … close), each moving the
case through its lifecycle with a conditional update, and `take_action`, which takes one by its
name."""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts import kinds
from agora.cases.actions import ACTIONS, LIFECYCLE, Who
from agora.cases.models import Case, CaseEvent, ServiceLevel
from agora.cases.services.errors import InvalidTransition, NotAllowed, require, required_text
from agora.cases.services.followers import add_follower
from agora.cases.services.timeline import add_event
from agora.core import audit
from agora.core.lifecycle import StaleTransition, TransitionError
from agora.directory.models import Office
from agora.directory.permissions import is_official_of

# action -> the verb that takes it, filled by @performs
VERBS: dict[str, Callable[..., CaseEvent]] = {}


def performs(action: str):
    """Register the decorated verb as the one that takes the declared `action`."""
    declared = ACTIONS[action]

    def register(verb):
        VERBS[declared.name] = verb
        return verb

    return register


def _require_may(case: Case, action: str, by) -> None:
    if ACTIONS[action].who == Who.OFFICE and (refusal := kinds.refusal(by, kinds.ANSWER)):
        raise NotAllowed(refusal)
    require(ACTIONS[action].may(by, case))


def _transition(case: Case, action: str, **changes) -> None:
    """Move the case by `action`, if the lifecycle allows it from its state and nobody else
    moved it (or handed it to another office) since it was read."""
    try:
        LIFECYCLE.move(
            case,
            action,
            conditions={"office_id": case.office_id},
            updated_at=timezone.now(),
            **changes,
        )
    except StaleTransition as error:
        raise InvalidTransition(
            _("Someone else changed this case just now. Reload and retry.")
        ) from error
    except TransitionError as error:
        raise InvalidTransition(
            _("A case that is “%(state)s” cannot be changed this way.")
            % {"state": case.get_state_display()}
        ) from error


def _event(case: Case, action: str, by, **fields) -> CaseEvent:
    """The event `action` adds to the timeline."""
    return add_event(case, ACTIONS[action].event, by, **fields)


@performs("acknowledge")
@transaction.atomic
def acknowledge_case(case: Case, *, by) -> CaseEvent:
    _require_may(case, "acknowledge", by)
    _transition(case, "acknowledge", acknowledged_at=case.acknowledged_at or timezone.now())
    audit.record("cases.acknowledged", case, actor=by)
    return _event(case, "acknowledge", by)


@performs("assign")
@transaction.atomic
def assign_case(case: Case, *, to, by) -> CaseEvent:
    """Give the case to a colleague in the accountable office (or take it oneself)."""
    _require_may(case, "assign", by)
    if not is_official_of(to, case.office):
        raise NotAllowed(_("Only an official of the office can be assigned the case."))
    _transition(case, "assign", assigned_to=to)
    add_follower(case, to)  # so the resident's replies and comments reach them
    audit.record("cases.assigned", case, actor=by, assignee=to.pk)
    return _event(case, "assign", by, assignee=to)


@performs("transfer")
@transaction.atomic
def transfer_case(case: Case, *, to_office: Office, by, reason: str) -> CaseEvent:
    """Hand the case to another office, with the reason. The case keeps its whole timeline and
    the receiving office sees all of it; the clock starts again at the receiving office."""
    _require_may(case, "transfer", by)
    reason = required_text(reason, _("Say why the case goes to another office."))
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
    return _event(case, "transfer", by, from_office=from_office, to_office=to_office, text=reason)


@performs("request_information")
@transaction.atomic
def request_information(case: Case, *, by, question: str) -> CaseEvent:
    _require_may(case, "request_information", by)
    question = required_text(question, _("Say what information you need."))
    _transition(case, "request_information")
    audit.record("cases.information_requested", case, actor=by)
    return _event(case, "request_information", by, text=question)


@performs("provide_information")
@transaction.atomic
def provide_information(case: Case, *, by, text: str) -> CaseEvent:
    """The resident answers the office's questions; the case goes back to the office."""
    _require_may(case, "provide_information", by)
    text = required_text(text, _("Write the information the office asked for."))
    _transition(case, "provide_information")
    audit.record("cases.information_provided", case, actor=by)
    return _event(case, "provide_information", by, text=text)


@performs("answer")
@transaction.atomic
def answer_case(case: Case, *, by, answer: str) -> CaseEvent:
    """The office's official answer, shown as such on the timeline."""
    _require_may(case, "answer", by)
    answer = required_text(answer, _("Write the answer."))
    _transition(case, "answer", answered_at=case.answered_at or timezone.now())
    audit.record("cases.answered", case, actor=by)
    return _event(case, "answer", by, from_office=case.office, text=answer)


@performs("resolve")
@transaction.atomic
def resolve_case(case: Case, *, by, note: str = "") -> CaseEvent:
    _require_may(case, "resolve", by)
    _transition(case, "resolve", finished_at=timezone.now())
    audit.record("cases.resolved", case, actor=by)
    return _event(case, "resolve", by, text=note.strip())


@performs("reopen")
@transaction.atomic
def reopen_case(case: Case, *, by, reason: str = "") -> CaseEvent:
    _require_may(case, "reopen", by)
    _transition(case, "reopen", finished_at=None)
    audit.record("cases.reopened", case, actor=by)
    return _event(case, "reopen", by, text=reason.strip())


@performs("close")
@transaction.atomic
def close_case(case: Case, *, by) -> CaseEvent:
    _require_may(case, "close", by)
    _transition(case, "close", finished_at=timezone.now())
    audit.record("cases.closed", case, actor=by)
    return _event(case, "close", by)


def take_action(
    case: Case, action: str, *, by, text: str = "", assignee=None, office: Office | None = None
) -> CaseEvent:
    """One of a case's actions by its name, for the case page and the API, which read their
    input differently. `text` is what the action takes: the question, the answer, the reason
    for a transfer or a reopening, a note; `assignee` and `office` are for assigning and
    transferring. Each action's declaration says which of them its verb takes, and each verb
    checks who may take it."""
    inputs = {"text": text, "assignee": assignee, "office": office}
    arguments = ACTIONS[action].arguments
    return VERBS[action](case, by=by, **{arguments[name]: inputs[name] for name in arguments})
