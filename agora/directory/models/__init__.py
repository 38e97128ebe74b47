"""The directory's models: who (authorities, offices, officials) is responsible for what
(topics) where (areas)."""

from agora.directory.models.area import Area, AreaKind
from agora.directory.models.authority import Authority, AuthorityKind
from agora.directory.models.membership import OfficeMembership, OfficeRole
from agora.directory.models.office import Office, OfficeKind
from agora.directory.models.responsibility import Responsibility
from agora.directory.models.topic import Topic

__all__ = [
    "Area",
    "AreaKind",
    "Authority",
    "AuthorityKind",
    "Office",
    "OfficeKind",
    "OfficeMembership",
    "OfficeRole",
    "Responsibility",
    "Topic",
]
