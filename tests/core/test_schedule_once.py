"""A periodic task's chain: however often the worker starts, and whichever queue the site's
tasks go to, one next run waits."""

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from agora.core.tasks import schedule_once
from agora.privacy.tasks import run_retention


@pytest.fixture
def tasks_go_elsewhere(settings):
    """The site's tasks go to a queue other than the database, as they go to RQ with Redis."""
    settings.TASKS = {
        **settings.TASKS,
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }


@pytest.mark.django_db
def test_a_second_start_finds_the_waiting_run_even_when_tasks_go_to_another_queue(
    tasks_go_elsewhere,
):
    later = timezone.now() + timezone.timedelta(hours=1)
    assert schedule_once(run_retention, run_after=later) is True
    assert schedule_once(run_retention, run_after=later) is False
    waiting = DBTaskResult.objects.filter(
        task_path=run_retention.module_path, status=TaskResultStatus.READY
    )
    assert waiting.count() == 1 and waiting.get().run_after == later


@pytest.mark.django_db
def test_a_run_due_later_than_asked_does_not_stand_for_an_earlier_one():
    soon = timezone.now() + timezone.timedelta(minutes=5)
    later = soon + timezone.timedelta(hours=1)
    assert schedule_once(run_retention, run_after=later) is True
    assert schedule_once(run_retention, run_after=soon, waiting_until=soon) is True
    assert schedule_once(run_retention, run_after=soon, waiting_until=soon) is False
