"""Notification emails, sent by the background worker: one at once for people who asked for
it, and a daily digest of what waited for it."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from agora.notifications.models import EmailState, Notification


def _send(recipient, subject: str, template: str, context: dict) -> int:
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        body = render_to_string(
            template, {"site_url": settings.SITE_URL, "recipient": recipient, **context}
        )
        subject = f"[{settings.AGORA_SITE_NAME}] {subject}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        connection=get_connection(),
    )
    return message.send()


@task(queue_name="email")
def email_notification(*, notification_id: int) -> int:
    """Send one notification by email, once: the conditional update claims it."""
    claimed = Notification.objects.filter(pk=notification_id, email_state=EmailState.NOW).update(
        email_state=EmailState.SENT
    )
    if not claimed:
        return 0
    notification = Notification.objects.select_related("recipient", "actor").get(pk=notification_id)
    with translation.override(notification.recipient.preferred_language or None):
        subject = str(notification.get_kind_display())
    return _send(
        notification.recipient,
        subject,
        "notifications/email/one.txt",
        {"notification": notification},
    )


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
    return sent


def send_digest_to(recipient_id: int) -> int:
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update()
            .filter(recipient_id=recipient_id, email_state=EmailState.DIGEST)
            .select_related("recipient", "actor")
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
