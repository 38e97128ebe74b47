"""The cases' models: a case, its timeline of events, the service levels offices promise and
the keys Open311 clients use."""

from agora.cases.models.api_key import Open311ApiKey
from agora.cases.models.case import Case, CaseKind, Channel
from agora.cases.models.event import CaseEvent, EventKind
from agora.cases.models.lifecycle import State
from agora.cases.models.service_level import ServiceLevel
from agora.cases.models.support import CaseSupport

__all__ = [
    "Case",
    "CaseEvent",
    "CaseKind",
    "CaseSupport",
    "Channel",
    "EventKind",
    "Open311ApiKey",
    "ServiceLevel",
    "State",
]
