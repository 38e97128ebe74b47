"""What meetings plug into notifications: a seat freed for someone on the waiting list, the
reminder the day before, and a change of time, place or link."""

from django.utils.translation import gettext_lazy as _

from agora.notifications.registry import register_kind

PROMOTED = register_kind(
    "meeting_promoted",
    label=_("A seat freed for you at a meeting you were waiting for"),
    template="meetings/notifications/meeting_promoted.html",
)
REMINDER = register_kind(
    "meeting_reminder",
    label=_("A meeting you registered for is tomorrow"),
    template="meetings/notifications/meeting_reminder.html",
)
CHANGED = register_kind(
    "meeting_changed",
    label=_("The time, place or link of a meeting you are on the list for changed"),
    template="meetings/notifications/meeting_changed.html",
)
