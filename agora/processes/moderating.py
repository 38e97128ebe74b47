"""A process lies inside its responsible office for moderation (`moderation.registry`): a
moderator scoped to an office also moderates what residents write in that office's processes
(proposals, petitions, comments), which belong to the process."""

from agora.directory.models import Office
from agora.moderation.registry import ScopeWithin, register_scope_within
from agora.processes.models import Process


def connect() -> None:
    register_scope_within(
        ScopeWithin(
            inner=Process,
            outer=Office,
            inner_ids=lambda office_ids: Process.objects.filter(office_id__in=office_ids).values(
                "pk"
            ),
        )
    )
