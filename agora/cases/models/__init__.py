"""The cases' models: a case, its timeline of events, who follows it, which comments an
office wrote, the service levels offices promise, public holidays and the keys Open311
clients use."""

from agora.cases.models.api_key import Open311ApiKey
from agora.cases.models.case import Case, CaseKind, Channel
from agora.cases.models.comment import OfficeComment
from agora.cases.models.draft import CaseDraft
from agora.cases.models.event import CaseEvent, EventKind
from agora.cases.models.follow import CaseFollow
from agora.cases.models.holiday import PublicHoliday
from agora.cases.models.lifecycle import State
from agora.cases.models.service_level import ServiceLevel
from agora.cases.models.support import CaseSupport

__all__ = [
    "Case",
    "CaseDraft",
    "CaseEvent",
    "CaseFollow",
    "CaseKind",
    "CaseSupport",
    "Channel",
    "EventKind",
    "OfficeComment",
    "Open311ApiKey",
    "PublicHoliday",
    "ServiceLevel",
    "State",
]
