"""The worker's part of meetings: the reminders the day before, looked for every hour (each run
queues the next, as petitions' closing does)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from agora.meetings import services

EVERY = timedelta(hours=1)


@task(queue_name="default")
def remind_meetings() -> int:
    try:
        return services.send_reminders()
    finally:
        schedule_reminders()


def schedule_reminders() -> bool:
    waiting = DBTaskResult.objects.filter(
        task_path=remind_meetings.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return False
    remind_meetings.using(run_after=timezone.now() + EVERY).enqueue()
    return True


def queue_meeting_reminders() -> str:
    """The periodic job declared on the app's config: run once when the worker starts."""
    reminded = services.send_reminders()
    schedule_reminders()
    return f"Reminded the people registered for {reminded} meetings." if reminded else ""
