"""Background tasks shared by every app. They run in `agora worker`, never in a request."""

from django.core.mail import EmailMultiAlternatives, get_connection
from django_tasks import task


@task(queue_name="email")
def send_email(
    *, subject: str, body: str, to: list[str], from_email: str, html: str = "", headers=None
) -> int:
    """Send one rendered message. The message is rendered in the request (where the language
    and site are known) and only delivered here."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email,
        to=to,
        headers=headers or {},
        connection=get_connection(),
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


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
    }
    transaction.on_commit(lambda: send_email.enqueue(**kwargs))
