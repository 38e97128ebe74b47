"""The states a case goes through and the actions that move it: the one place that says which
action is allowed from which state."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    NEW = "new", _("Waiting for acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    WAITING = "waiting", _("Waiting for information")
    ANSWERED = "answered", _("Answered")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATES = frozenset({State.NEW, State.ACKNOWLEDGED, State.WAITING, State.ANSWERED})
FINISHED_STATES = frozenset({State.RESOLVED, State.CLOSED})

# action -> (the states it is allowed from, the state it leads to; None keeps the state)
TRANSITIONS: dict[str, tuple[frozenset, State | None]] = {
    "acknowledge": (frozenset({State.NEW}), State.ACKNOWLEDGED),
    "assign": (OPEN_STATES, None),
    "transfer": (OPEN_STATES, State.NEW),
    "request_information": (frozenset({State.NEW, State.ACKNOWLEDGED}), State.WAITING),
    # The resident's reply puts the case back in the office's court.
    "provide_information": (frozenset({State.WAITING}), State.ACKNOWLEDGED),
    "answer": (frozenset({State.NEW, State.ACKNOWLEDGED, State.WAITING}), State.ANSWERED),
    "resolve": (OPEN_STATES, State.RESOLVED),
    "reopen": (FINISHED_STATES, State.ACKNOWLEDGED),
    "close": (frozenset({State.ANSWERED, State.RESOLVED}), State.CLOSED),
}


def allowed_actions(state: str) -> list[str]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if state in sources]
