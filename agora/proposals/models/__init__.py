"""The proposals' models: a proposal and its earlier versions, supports, and the per-process
settings (threshold, answer period, limit of supports)."""

from agora.proposals.models.proposal import (
    LIFECYCLE,
    AnswerKind,
    Proposal,
    ProposalState,
    ProposalVersion,
)
from agora.proposals.models.settings import ProposalSettings
from agora.proposals.models.support import Support

__all__ = [
    "LIFECYCLE",
    "AnswerKind",
    "Proposal",
    "ProposalSettings",
    "ProposalState",
    "ProposalVersion",
    "Support",
]
