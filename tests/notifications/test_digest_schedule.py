"""Daily digests go out with nothing but the worker running: each run queues the next at
AGORA_DIGEST_HOUR in the site's time zone, and a starting worker queues one if none waits."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from agora.notifications import services as notification_services
from agora.notifications.models import Delivery
from agora.notifications.tasks import (
    next_digest_time,
    schedule_daily_digests,
    send_daily_digests,
)
from agora.social import services
from agora.social.notifying import NEW_FOLLOWER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")


def waiting_digests():
    return DBTaskResult.objects.filter(
        task_path=send_daily_digests.module_path, status=TaskResultStatus.READY
    )


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Before the hour: today; at or after it: tomorrow (local time, not UTC).
        (dt.datetime(2026, 11, 25, 5, 59), dt.datetime(2026, 11, 25, 7, 0)),
        (dt.datetime(2026, 11, 25, 7, 0), dt.datetime(2026, 11, 26, 7, 0)),
        (dt.datetime(2026, 11, 25, 23, 30), dt.datetime(2026, 11, 26, 7, 0)),
        # Across the change to summer time the digest stays at 7 o'clock on the wall clock.
        (dt.datetime(2027, 3, 27, 12, 0), dt.datetime(2027, 3, 28, 7, 0)),
    ],
)
def test_the_next_digest_is_at_the_configured_hour_of_the_sites_time_zone(settings, now, expected):
    settings.TIME_ZONE = "Europe/Madrid"
    settings.AGORA_DIGEST_HOUR = 7
    due = next_digest_time(now.replace(tzinfo=MADRID))
    assert due == expected.replace(tzinfo=MADRID)
    assert due.astimezone(MADRID).hour == 7


def test_scheduling_queues_one_run_for_later_and_never_two(settings):
    settings.AGORA_DIGEST_HOUR = 7
    assert schedule_daily_digests() is True
    assert schedule_daily_digests() is False
    (task,) = waiting_digests()
    assert task.run_after == next_digest_time()


def test_a_negative_hour_leaves_digests_to_cron(settings):
    settings.AGORA_DIGEST_HOUR = -1
    assert schedule_daily_digests() is False
    assert not waiting_digests().exists()


def test_a_digest_run_sends_what_waits_and_queues_the_next_run(settings, run_worker):
    settings.AGORA_DIGEST_HOUR = 7
    ada = UserFactory()
    notification_services.set_preference(ada, kind=NEW_FOLLOWER, delivery=Delivery.DIGEST)
    services.follow(ada, by=UserFactory())
    call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sent = run_worker()
    assert [message.to for message in sent] == [[ada.email]]
    (following,) = waiting_digests()
    assert following.run_after == next_digest_time()
    # The queued run is for later: running the worker again sends nothing more.
    assert len(run_worker()) == 1
    assert waiting_digests().count() == 1


def test_a_starting_worker_queues_the_next_digest(settings):
    settings.AGORA_DIGEST_HOUR = 7
    with mock.patch("agora.site.management.commands.worker.call_command") as db_worker:
        call_command("worker", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("worker", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert db_worker.call_count == 2
    assert waiting_digests().count() == 1
