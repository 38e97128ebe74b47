"""Small named predicates of proposals beyond what a phase allows (`processes.features`)."""

from agora.accounts.permissions import is_moderator
from agora.processes.permissions import can_manage_process


def can_merge(person, process) -> bool:
    """Moderators, and those who run the process (its office's officials, administrators),
    merge duplicate proposals."""
    if not person.is_authenticated or not person.is_active:
        return False
    return is_moderator(person) or can_manage_process(person, process)
