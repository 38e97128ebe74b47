"""Background tasks shared by every app. They run in `agora worker`, never in a request."""

import uuid

from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.utils import DNS_NAME
from django.utils import timezone
from django_tasks import task

#: The `IdempotencyKey.caller` of the records of messages sent.
SENT = "email-sent"


@task(queue_name="email")
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str,
    html: str = "",
    headers=None,
    key: str,
) -> int:
    """Send one rendered message. The message is rendered in the request (where the language
    and site are known) and only delivered here.

    With a `key`, the message goes out once however often the task runs (a worker killed in
    the middle of a task runs it again): sending is recorded under the key, right after the
    mail server took it, and a recorded key is not sent again. The key is also the message's
    Message-ID, so a mail server can tell the copies apart in the moment between the two."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email,
        to=to,
        headers=dict(headers or {}),
        connection=get_connection(),
    )
    if html:
        message.attach_alternative(html, "text/html")
    return deliver_once(message, key)


def send_rendered(
    *, to: str, language: str, subject, template: str, context: dict, key: str
) -> int:
    """Render a plain-text email in the recipient's `language` and send it once per `key`
    (`deliver_once`): what every task that emails a person goes through. The subject (a
    string or a lazy translation) is translated in that language and prefixed with the
    sender's name; the template gets `site_url` besides the `context`."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation

    from agora.core import identity

    with translation.override(language or settings.LANGUAGE_CODE):
        body = render_to_string(template, {"site_url": settings.SITE_URL, **context})
        subject = f"[{identity.sender_name()}] {translation.gettext(str(subject))}"
    return deliver_once(email_message(to=to, subject=subject, body=body), key)


def email_message(*, to: str, subject: str, body: str, headers=None) -> EmailMultiAlternatives:
    """A rendered message to one address from the site's sender, for `deliver_once`: for a
    task that renders its email itself (in a time zone too, with headers of its own)."""
    from django.conf import settings

    return EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=dict(headers or {}),
        connection=get_connection(),
    )


def deliver_once(message, key: str) -> int:
    """Send a message that a task may try again (its worker killed in the middle): once per
    key, recorded right after the mail server took it. The key is also its Message-ID. The
    key must name what the message is about (a report and its decision, a person and an
    export), so that a task run again computes the same one."""
    if not key:
        raise ValueError("An email sent by a task needs a key, so that it goes out once.")
    if sent_already(key):
        return 0
    message.extra_headers.setdefault("Message-ID", f"<{key}@{DNS_NAME}>")
    count = message.send()
    record_sent(key)
    return count


def sent_already(key: str) -> bool:
    from agora.core.models import IdempotencyKey

    return IdempotencyKey.objects.filter(caller=SENT, key=key).exists()


def record_sent(key: str) -> None:
    """Kept as long as the API's keys (`AGORA_IDEMPOTENCY_HOURS`), and pruned with them."""
    from agora.core.models import IdempotencyKey

    IdempotencyKey.objects.get_or_create(
        caller=SENT, key=key, defaults={"created_at": timezone.now(), "status": 250}
    )


def enqueue_email_message(message) -> None:
    """Hand a rendered EmailMessage to the worker once the current transaction commits."""
    from django.db import transaction

    html = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    kwargs = {
        "subject": str(message.subject),
        "body": str(message.body),
        "to": list(message.to),
        "from_email": str(message.from_email),
        "html": str(html),
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "key": uuid.uuid4().hex,
    }
    transaction.on_commit(lambda: send_email.enqueue(**kwargs))


def schedule_once(task, *, run_after, waiting_until=None) -> bool:
    """Queue a periodic task's next run at `run_after` unless a run is already waiting (one
    due by `waiting_until`, when given); answers whether it queued one. Each run of such a
    task schedules the next, and the worker starts the chain when it starts.

    The runs always go to the database queue, which `agora worker` serves beside RQ: only
    there can "is one waiting?" be answered, so that every worker start and every worker of
    the site find the one chain instead of starting another one each. They are a few rows a
    day."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from agora.core.taskqueue import FALLBACK

    waiting = DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY)
    if waiting_until is not None:
        waiting = waiting.filter(run_after__lte=waiting_until)
    if waiting.exists():
        return False
    task.using(backend=FALLBACK, run_after=run_after).enqueue()
    return True
