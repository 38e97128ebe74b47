"""The states a case goes through. The actions that move it between them, each with the
states it is allowed from, are declared in `agora.cases.actions`."""

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
