"""Notification emails, sent by the background worker: one at once for people who asked for
it, and a daily digest of what waited for it, which queues its own next run."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from agora.core import identity
from agora.notifications.models import EmailState, Notification


def _send(recipient, subject: str, template: str, context: dict) -> int:
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        body = render_to_string(
            template,
            {"site_url": settings.SITE_URL, "recipient": recipient, "viewer": recipient, **context},
        )
        subject = f"[{identity.sender_name()}] {subject}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        connection=get_connection(),
    )
    return message.send()


def _email_one(notification: Notification) -> int:
    with translation.override(notification.recipient.preferred_language or None):
        subject = str(notification.kind_label)
    return _send(
        notification.recipient,
        subject,
        "notifications/email/one.txt",
        {"notification": notification},
    )


@task(queue_name="email")
def email_notifications(*, notification_ids: list[int]) -> int:
    """Send each of these notifications by email, once: the conditional update claims them,
    so a task run twice sends nothing twice. One task for all the people told about one
    event."""
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update()
            .filter(pk__in=notification_ids, email_state=EmailState.NOW)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=waiting).update(email_state=EmailState.SENT)
    notifications = Notification.objects.filter(pk__in=waiting).select_related(
        "recipient", "actor", "office"
    )
    return sum(_email_one(notification) for notification in notifications.order_by("pk"))


@task(queue_name="email")
def send_daily_digests() -> int:
    """One email per person with everything waiting for the digest; returns how many sent."""
    recipients = (
        Notification.objects.filter(email_state=EmailState.DIGEST)
        .values_list("recipient", flat=True)
        .distinct()
    )
    sent = 0
    for recipient_id in list(recipients):
        sent += send_digest_to(recipient_id)
    schedule_daily_digests()
    return sent


def next_digest_time(now: datetime | None = None) -> datetime:
    """The next `AGORA_DIGEST_HOUR` o'clock in the site's time zone, after `now`."""
    local = timezone.localtime(now or timezone.now())
    due = local.replace(hour=settings.AGORA_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return due if due > local else due + timedelta(days=1)


def schedule_daily_digests() -> bool:
    """Queue the next digest run unless one is already waiting, so digests go out every day
    with nothing but the worker running (no cron needed). Each run queues the next; the
    worker calls this when it starts. Answers whether it queued one. Does nothing when
    `AGORA_DIGEST_HOUR` is negative (digests then go out only by `agora send_digests`)."""
    if settings.AGORA_DIGEST_HOUR < 0:
        return False
    waiting = DBTaskResult.objects.filter(
        task_path=send_daily_digests.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return False
    send_daily_digests.using(run_after=next_digest_time()).enqueue()
    return True


def send_digest_to(recipient_id: int) -> int:
    with transaction.atomic():
        waiting = list(
            # Only the notification rows are locked: PostgreSQL cannot lock the empty side
            # of the outer joins to a notification's (optional) actor and office.
            Notification.objects.select_for_update(of=("self",))
            .filter(recipient_id=recipient_id, email_state=EmailState.DIGEST)
            .select_related("recipient", "actor", "office")
            .order_by("created_at", "id")
        )
        if not waiting:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
            email_state=EmailState.SENT
        )
    recipient = waiting[0].recipient
    with translation.override(recipient.preferred_language or None):
        subject = _("Your daily summary")
    return _send(recipient, subject, "notifications/email/digest.txt", {"notifications": waiting})


def queue_next_digest() -> str:
    """The worker's periodic job (declared on the app's config): what it says when it starts."""
    return "Next daily digest queued." if schedule_daily_digests() else ""
