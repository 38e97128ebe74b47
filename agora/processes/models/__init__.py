"""The processes' models: a process, its phases, who follows it and the news about it."""

from agora.processes.models.follow import ProcessFollow, ProcessPost
from agora.processes.models.phase import Phase, PhaseKind
from agora.processes.models.process import Participation, Process, ProcessState

__all__ = [
    "Participation",
    "Phase",
    "PhaseKind",
    "Process",
    "ProcessFollow",
    "ProcessPost",
    "ProcessState",
]
