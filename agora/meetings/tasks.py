"""The worker's part of meetings: the reminders the day before, looked for every hour (each run
queues the next, as petitions' closing does)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from agora.core.tasks import schedule_once
from agora.meetings import services

EVERY = timedelta(hours=1)


@task(queue_name="default")
def remind_meetings() -> int:
    try:
        return services.send_reminders()
    finally:
        schedule_reminders()


def schedule_reminders() -> bool:
    return schedule_once(remind_meetings, run_after=timezone.now() + EVERY)


def queue_meeting_reminders() -> str:
    """The periodic job declared on the app's config: run once when the worker starts."""
    reminded = services.send_reminders()
    schedule_reminders()
    return f"Reminded the people registered for {reminded} meetings." if reminded else ""
