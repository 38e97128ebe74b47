"""A case's actions, each declared once: from which states it is allowed and where it leads,
the event it adds to the timeline and whether followers hear of it, who may take it, the input
it reads and its button. The lifecycle table, the case page's forms, the API's choice of actions,
`services.take_action` and the announced events all derive from here.

A new action is one `Action` below and its verb in `services.workflow` (registered with
`@performs`); an event kind it is the first to write goes in `EventKind`."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from agora.cases import forms
from agora.cases.models import Case, EventKind, State
from agora.cases.models.lifecycle import FINISHED_STATES, OPEN_STATES
from agora.cases.permissions import can_act_on_case, can_follow_up, is_submitter
from agora.core.lifecycle import Lifecycle


class Who(StrEnum):
    """Who may take an action: the officials of the accountable office, the resident who raised
    the case (asked for information), or either (reopening and closing)."""

    OFFICE = "office"
    RESIDENT = "resident"
    EITHER = "either"


PERMISSIONS: dict[Who, Callable[[object, Case], bool]] = {
    Who.OFFICE: can_act_on_case,
    Who.RESIDENT: is_submitter,
    Who.EITHER: can_follow_up,
}


@dataclass(frozen=True)
class Action:
    name: str
    sources: frozenset[State]
    target: State | None  # None keeps the state
    event: EventKind
    announced: bool  # whether the case's followers are told
    who: Who
    label: str  # the button on the case page
    form: type[django_forms.Form] | None = None  # None: a button alone
    # The input it reads (the form's fields, the API's `text`, `assignee`, `office`) -> the
    # keyword argument of its verb that takes it.
    arguments: Mapping[str, str] = field(default_factory=dict)

    def may(self, user, case: Case) -> bool:
        return PERMISSIONS[self.who](user, case)


# In the order the case page offers them.
ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        Action(
            "acknowledge",
            frozenset({State.NEW}),
            State.ACKNOWLEDGED,
            EventKind.ACKNOWLEDGED,
            announced=True,
            who=Who.OFFICE,
            label=_("Acknowledge"),
        ),
        # Assignment is the office's own business: followers are not told.
        Action(
            "assign",
            OPEN_STATES,
            None,
            EventKind.ASSIGNED,
            announced=False,
            who=Who.OFFICE,
            label=_("Assign"),
            form=forms.AssignForm,
            arguments={"assignee": "to"},
        ),
        Action(
            "transfer",
            OPEN_STATES,
            State.NEW,
            EventKind.TRANSFERRED,
            announced=True,
            who=Who.OFFICE,
            label=_("Transfer"),
            form=forms.TransferForm,
            arguments={"office": "to_office", "text": "reason"},
        ),
        Action(
            "request_information",
            frozenset({State.NEW, State.ACKNOWLEDGED}),
            State.WAITING,
            EventKind.INFO_REQUESTED,
            announced=True,
            who=Who.OFFICE,
            label=_("Ask for information"),
            form=forms.InformationForm,
            arguments={"text": "question"},
        ),
        Action(
            "answer",
            frozenset({State.NEW, State.ACKNOWLEDGED, State.WAITING}),
            State.ANSWERED,
            EventKind.ANSWERED,
            announced=True,
            who=Who.OFFICE,
            label=_("Send the official answer"),
            form=forms.AnswerForm,
            arguments={"text": "answer"},
        ),
        Action(
            "resolve",
            OPEN_STATES,
            State.RESOLVED,
            EventKind.RESOLVED,
            announced=True,
            who=Who.OFFICE,
            label=_("Mark as resolved"),
            form=forms.NoteForm,
            arguments={"text": "note"},
        ),
        Action(
            "reopen",
            FINISHED_STATES,
            State.ACKNOWLEDGED,
            EventKind.REOPENED,
            announced=True,
            who=Who.EITHER,
            label=_("Reopen"),
            form=forms.NoteForm,
            arguments={"text": "reason"},
        ),
        Action(
            "close",
            frozenset({State.ANSWERED, State.RESOLVED}),
            State.CLOSED,
            EventKind.CLOSED,
            announced=True,
            who=Who.EITHER,
            label=_("Close the case"),
        ),
        # The resident's reply puts the case back in the office's court.
        Action(
            "provide_information",
            frozenset({State.WAITING}),
            State.ACKNOWLEDGED,
            EventKind.INFO_PROVIDED,
            announced=True,
            who=Who.RESIDENT,
            label=_("Send my answer"),
            form=forms.InformationReplyForm,
            arguments={"text": "text"},
        ),
    )
}

# action -> (the states it is allowed from, the state it leads to; None keeps the state)
TRANSITIONS: dict[str, tuple[frozenset, State | None]] = {
    action.name: (action.sources, action.target) for action in ACTIONS.values()
}
LIFECYCLE = Lifecycle(TRANSITIONS)

# The events a case's followers hear of: the routing of a new case and the announced actions.
# Assignment and claims are the office's and the resident's own business, and a submission is
# only ever followed by its submitter.
ANNOUNCED_EVENTS = frozenset(
    {EventKind.ROUTED, *(action.event for action in ACTIONS.values() if action.announced)}
)


def allowed_actions(state: str) -> list[str]:
    return LIFECYCLE.allowed_actions(state)
