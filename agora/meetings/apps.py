"""Meetings and town halls of a process or an office: place or link, agenda, registration with
a capacity and a waiting list, reminders, calendars (iCalendar), minutes and attendance."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "agora.meetings"
    label = "meetings"
    verbose_name = _("Meetings")
    demo_data = ("agora.meetings.demo.load_demo_meetings",)
    periodic_jobs = ("agora.meetings.tasks.queue_meeting_reminders",)

    def ready(self) -> None:
        from agora.meetings import notifying, parts, permissions  # noqa: F401 - registrations

        parts.connect()
