"""The worker's periodic job: every few minutes, announce the phases that started since the
last run (`services.announce_started_phases`, which never announces a phase twice). Each run
queues the next, as the notification digest does, so nothing but the worker is needed."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from agora.core.tasks import schedule_once
from agora.processes import services

EVERY = timedelta(minutes=5)


@task(queue_name="default")
def announce_phases() -> int:
    try:
        return services.announce_started_phases()
    finally:
        schedule_phase_announcements()


def schedule_phase_announcements() -> bool:
    """Queue the next run unless one is waiting; answers whether it queued one."""
    return schedule_once(announce_phases, run_after=timezone.now() + EVERY)


def queue_phase_announcements() -> str:
    """The periodic job declared on the app's config: run once when the worker starts."""
    announced = services.announce_started_phases()
    schedule_phase_announcements()
    return f"Announced {announced} phases that started." if announced else ""
