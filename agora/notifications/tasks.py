"""Notification emails, sent by the background worker: one at once for people who asked for
it, a daily digest of what waited for it, which queues its own next run, and the weekly
summary of what happened in what a person follows, looked for every hour."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from agora.core import identity
from agora.core.tasks import deliver_once, email_message, schedule_once, send_rendered
from agora.notifications import calm, summary
from agora.notifications.models import Calm, DigestOnly, EmailState, Notification
from agora.notifications.services import CALM_FIELDS


def _send(recipient, subject: str, template: str, context: dict, *, key: str) -> int:
    return send_rendered(
        to=recipient.email,
        language=recipient.preferred_language,
        subject=subject,
        template=template,
        context={"recipient": recipient, "viewer": recipient, **context},
        key=key,
    )


def _email_one(notification: Notification) -> int:
    with translation.override(notification.recipient.preferred_language or None):
        subject = str(notification.kind_label)
    return _send(
        notification.recipient,
        subject,
        "notifications/email/one.txt",
        {"notification": notification},
        key=f"notification-{notification.pk}",
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
    """One email per person with everything waiting for the digest; returns how many sent.
    A person who chose a weekly summary gets theirs on Mondays; one who paused gets theirs
    after the pause; one in their quiet hours gets theirs when the quiet hours end (held)."""
    now = timezone.now()
    weekly_day = timezone.localtime(now).weekday() == 0
    recipients = (
        Notification.objects.filter(email_state=EmailState.DIGEST)
        .values_list("recipient", *(f"recipient__{name}" for name in CALM_FIELDS))
        .distinct()
    )
    sent = 0
    for recipient_id, *values in list(recipients):
        person = dict(zip((name.split("__")[1] for name in CALM_FIELDS), values, strict=True))
        if person["digest_only"] == DigestOnly.WEEKLY and not weekly_day:
            continue
        if person["paused_until"] is not None and person["paused_until"] > now:
            continue
        ends = calm.quiet_end(
            now, person["quiet_from"], person["quiet_until"], person["time_zone"] or ""
        )
        if ends is not None:
            hold_digest(recipient_id, until=ends)
            continue
        sent += send_digest_to(recipient_id)
    schedule_daily_digests()
    return sent


def hold_digest(recipient_id: int, *, until: datetime) -> None:
    """Keep a person's digest until their quiet hours end: it goes then with what else was
    held (`send_held_emails`)."""
    with transaction.atomic():
        Notification.objects.filter(
            recipient_id=recipient_id, email_state=EmailState.DIGEST
        ).update(email_state=EmailState.HELD, email_after=until)
        transaction.on_commit(lambda: send_held_emails.using(run_after=until).enqueue())


@task(queue_name="email")
def send_held_emails() -> int:
    """Send, one email per person, what was held through their quiet hours and is now due;
    then queue itself again for the next that will be due, if any. Run twice, it sends
    nothing twice (the rows are claimed). Returns how many emails went."""
    now = timezone.now()
    due = (
        Notification.objects.filter(email_state=EmailState.HELD, email_after__lte=now)
        .values_list("recipient", flat=True)
        .distinct()
    )
    sent = 0
    for recipient_id in list(due):
        sent += send_digest_to(
            recipient_id, state=EmailState.HELD, due_by=now, subject=QUIET_SUBJECT
        )
    schedule_held_emails()
    return sent


def schedule_held_emails() -> bool:
    """Queue `send_held_emails` for the next held email due, unless one is queued by then
    already. The worker calls this when it starts, so nothing held is forgotten."""
    following = (
        Notification.objects.filter(email_state=EmailState.HELD)
        .order_by("email_after")
        .values_list("email_after", flat=True)
        .first()
    )
    if following is None:
        return False
    return schedule_once(send_held_emails, run_after=following, waiting_until=following)


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
    return schedule_once(send_daily_digests, run_after=next_digest_time())


DIGEST_SUBJECT = gettext_noop("Your daily summary")
WEEKLY_SUBJECT = gettext_noop("Your weekly summary")
QUIET_SUBJECT = gettext_noop("What happened in your quiet hours")


def send_digest_to(
    recipient_id: int,
    *,
    state: str = EmailState.DIGEST,
    due_by: datetime | None = None,
    subject: str = "",
) -> int:
    """One email to one person with their notifications in `state` (due by `due_by`, for held
    ones), which are marked sent first so that no two runs send them twice."""
    with transaction.atomic():
        claimed = Notification.objects.filter(recipient_id=recipient_id, email_state=state)
        if due_by is not None:
            claimed = claimed.filter(email_after__lte=due_by)
        waiting = list(
            # Only the notification rows are locked: PostgreSQL cannot lock the empty side
            # of the outer joins to a notification's (optional) actor and office.
            claimed.select_for_update(of=("self",))
            .select_related("recipient", "actor", "office", "recipient__notification_calm")
            .order_by("created_at", "id")
        )
        if not waiting:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
            email_state=EmailState.SENT
        )
    recipient = waiting[0].recipient
    if not subject:
        person_calm = getattr(recipient, "notification_calm", None)
        weekly = person_calm is not None and person_calm.digest_only == DigestOnly.WEEKLY
        subject = WEEKLY_SUBJECT if weekly else DIGEST_SUBJECT
    with translation.override(recipient.preferred_language or None):
        subject = _(subject)
    return _send(
        recipient,
        subject,
        "notifications/email/digest.txt",
        {"notifications": waiting},
        # The notifications it tells of name it: a run again after they were claimed sends
        # nothing, and the key keeps the one in flight from going twice.
        key=f"digest-{recipient.pk}-{waiting[0].pk}-{waiting[-1].pk}-{len(waiting)}",
    )


def queue_next_digest() -> str:
    """The worker's periodic job (declared on the app's config): what it says when it starts."""
    said = "Next daily digest queued." if schedule_daily_digests() else ""
    if schedule_held_emails():
        said = f"{said} Held emails queued.".strip()
    return said


# The weekly summary (`notifications.summary`) -----------------------------------------------

SUMMARY_SUBJECT = gettext_noop("What happened this week in what you follow")
#: How often the worker looks for summaries due: each person's falls due at their own hour.
SUMMARY_EVERY = timedelta(hours=1)
#: Whoever had one less than this long ago has had this week's, wherever they live.
SUMMARY_GAP = timedelta(days=6)


@task(queue_name="email")
def send_weekly_summaries() -> int:
    """Send the weekly summaries now due, then queue the next look. Only the people who chose
    a summary and had none in the last six days are read (index notif_calm_summary_due);
    whose is due now is each one's own time zone's to say. Returns how many emails went."""
    try:
        now = timezone.now()
        candidates = (
            Calm.objects.filter(weekly_summary=True, user__is_active=True)
            .filter(Q(summary_sent_at__isnull=True) | Q(summary_sent_at__lt=now - SUMMARY_GAP))
            .only(*SUMMARY_FIELDS)
            .order_by("pk")
        )
        due = [row.pk for row in candidates.iterator(chunk_size=500) if summary.is_due(row, now)]
        return sum(send_summary_to(calm_id, now=now) for calm_id in due)
    finally:
        schedule_weekly_summaries()


SUMMARY_FIELDS = (
    "weekly_summary",
    "summary_sent_at",
    "quiet_from",
    "quiet_until",
    "time_zone",
    "paused_until",
)


def send_summary_to(calm_id: int, *, now: datetime | None = None) -> int:
    """One person's weekly summary, sent once per person and week however often this runs and
    on however many workers. The message is built first (bounded reads); then, in one short
    transaction, the row is claimed by a conditional update of `summary_sent_at` (a second
    worker waits on the row, then finds it claimed) and the email goes through `deliver_once`
    under a key naming the person and the week, recorded in the same transaction. A send that
    fails rolls the claim back, so the next run tries again; a worker killed between the
    mail server taking it and the commit sends it again with the same Message-ID, which mail
    servers use to drop the copy. A week in which nothing happened is claimed and sends
    nothing. Returns how many emails went."""
    now = now or timezone.now()
    row = Calm.objects.select_related("user").filter(pk=calm_id).first()
    if row is None or not row.user.is_active or not summary.is_due(row, now):
        return 0
    person = row.user
    due = summary.due_from(now, row.time_zone)
    since = max(row.summary_sent_at or now - summary.WEEK, now - summary.WEEK)
    message = summary_message(person, row, since=since, now=now) if person.email else None
    with transaction.atomic():
        claimed = (
            Calm.objects.filter(pk=row.pk)
            .filter(Q(summary_sent_at__isnull=True) | Q(summary_sent_at__lt=due))
            .update(summary_sent_at=now)
        )
        if not claimed or message is None:
            return 0
        return deliver_once(message, f"weekly-summary-{person.pk}-{due:%G-W%V}")


def summary_message(person, row, *, since: datetime, now: datetime):
    """The rendered summary for one person, in their language and time zone; None when
    nothing happened in what they follow."""
    language = person.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(calm.zone_of(row.time_zone)):
        sections = summary.sections_for(person, since)
        if not sections:
            return None
        stop = settings.SITE_URL + reverse(
            "notifications:summary_stop", args=[summary.unsubscribe_token(person)]
        )
        body = render_to_string(
            "notifications/email/weekly_summary.txt",
            {
                "site_url": settings.SITE_URL,
                "recipient": person,
                "sections": sections,
                "since": since,
                "now": now,
                "cap": summary.CAP,
                "stop_url": stop,
                "settings_url": settings.SITE_URL + reverse("notifications:calm"),
            },
        )
        subject = f"[{identity.sender_name()}] {_(SUMMARY_SUBJECT)}"
    return email_message(
        to=person.email,
        subject=subject,
        body=body,
        headers={
            # One click in the mail program stops it (RFC 8058), without signing in.
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def schedule_weekly_summaries() -> bool:
    """Queue the next look for due summaries, an hour on, unless one is waiting already.
    Does nothing when `AGORA_SUMMARY_HOUR` is negative."""
    if settings.AGORA_SUMMARY_HOUR < 0:
        return False
    return schedule_once(send_weekly_summaries, run_after=timezone.now() + SUMMARY_EVERY)


def queue_weekly_summaries() -> str:
    """The worker's periodic job (declared on the app's config): what it says when it starts."""
    return "Next weekly summaries queued." if schedule_weekly_summaries() else ""
