"""What processes plug into notifications: a phase of a process you follow has started."""

from django.utils.translation import gettext_lazy as _

from agora.notifications.registry import register_kind

PHASE_STARTED = register_kind(
    "process_phase_started",
    label=_("A new phase of a process you follow"),
    template="processes/notifications/process_phase_started.html",
)
