"""Retention: `agora retention` (and the worker, daily) removes expired exports, carries out
deletions past their grace period, warns then removes unconfirmed accounts, forgets network
ranges and finished tasks; a period of zero stops the site at start-up."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from agora.accounts.models import User, Verification
from agora.petitions.models import Signature
from agora.privacy import services, tasks
from agora.privacy.models import UnconfirmedWarning
from tests.core.test_settings import load_settings
from tests.factories import UserFactory


@pytest.mark.parametrize(
    "name",
    [
        "AGORA_IP_RETENTION_DAYS",
        "AGORA_EXPORT_KEEP_DAYS",
        "AGORA_UNCONFIRMED_ACCOUNT_DAYS",
        "AGORA_UNCONFIRMED_WARNING_DAYS",
        "AGORA_TASK_RESULT_DAYS",
    ],
)
def test_a_retention_period_of_zero_stops_the_start_with_a_clear_message(name):
    result = load_settings(AGORA_ENV="development", **{name: "0"})
    assert result.returncode != 0
    assert f"{name} must be a number of days of at least 1" in result.stderr


def test_a_warning_that_comes_after_the_removal_stops_the_start():
    result = load_settings(
        AGORA_ENV="development",
        AGORA_UNCONFIRMED_ACCOUNT_DAYS="5",
        AGORA_UNCONFIRMED_WARNING_DAYS="7",
    )
    assert result.returncode != 0 and "AGORA_UNCONFIRMED_WARNING_DAYS" in result.stderr


@pytest.mark.django_db
def test_an_unconfirmed_account_is_warned_then_removed(
    run_worker, django_capture_on_commit_callbacks
):
    now = timezone.now()
    late = UserFactory(verification=Verification.UNVERIFIED, confirmed_email=False)
    late.date_joined = now - timedelta(days=24)
    late.save()
    recent = UserFactory(verification=Verification.UNVERIFIED, confirmed_email=False)
    confirmed = UserFactory()
    User.objects.filter(pk=confirmed.pk).update(date_joined=now - timedelta(days=90))

    with django_capture_on_commit_callbacks(execute=True):
        done = services.apply_retention(now)
    assert done["unconfirmed accounts warned"] == 1
    (warning,) = [m for m in run_worker() if m.to == [late.email]]
    assert "7 days" in warning.body and "/accounts/email/" in warning.body
    # Warned once, not every day.
    assert services.warn_unconfirmed(now + timedelta(days=1)) == 0
    assert services.remove_unconfirmed(now + timedelta(days=3)) == 0  # not yet

    assert services.remove_unconfirmed(now + timedelta(days=8)) == 1
    assert not User.objects.filter(pk=late.pk).exists()
    assert User.objects.filter(pk__in=[recent.pk, confirmed.pk]).count() == 2
    assert not UnconfirmedWarning.objects.exists()


def test_network_ranges_are_forgotten_after_the_period(world):
    signature = Signature.objects.get(person=world.vera)
    assert signature.network == "203.0.113.0/24"
    assert services.drop_old_networks(timezone.now() + timedelta(days=29)) == 0
    assert services.drop_old_networks(timezone.now() + timedelta(days=31)) == 1
    signature.refresh_from_db()
    assert signature.network == "" and signature.confirmed_at is not None


def test_the_command_prints_what_it_removed_and_the_worker_schedules_it_daily(world):
    output = StringIO()
    call_command("retention", stdout=output)
    assert "0 exports expired" in output.getvalue()
    assert tasks.queue_retention() == ""
    (queued,) = DBTaskResult.objects.filter(task_path=tasks.run_retention.module_path)
    assert queued.run_after - timezone.now() > timedelta(hours=23)
    tasks.schedule_retention()  # a second worker's start adds no second run
    assert DBTaskResult.objects.filter(task_path=tasks.run_retention.module_path).count() == 1
