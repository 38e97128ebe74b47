"""The privacy app's background work: building an export and emailing its link, the warning
to an unconfirmed account, and the daily retention run (each run queues the next)."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from agora.core.tasks import schedule_once, send_rendered
from agora.privacy import services
from agora.privacy.models import DataRequestAccount, Export, ExportState

EVERY = timedelta(days=1)


def _send(person, subject, template: str, context: dict, *, key: str) -> int:
    return send_rendered(
        to=person.email,
        language=person.preferred_language,
        subject=subject,
        template=template,
        context=context,
        key=key,
    )


@task(queue_name="default")
def build_export(*, export_id: int) -> int:
    """Build the export and email its link; the size of the file."""
    export = (
        Export.objects.select_related("person")
        .filter(pk=export_id, state=ExportState.BUILDING)
        .first()
    )
    if export is None:
        return 0
    services.build_export(export)
    link = settings.SITE_URL + reverse("privacy:download", args=[export.token])
    _send(
        export.person,
        _("Your data is ready to download"),
        "privacy/email/export_ready.txt",
        {"export": export, "link": link},
        key=f"export-{export.pk}-ready",
    )
    return export.size


@task(queue_name="email")
def email_unconfirmed_warning(*, person_id: int) -> int:
    person = services.unconfirmed_accounts().filter(pk=person_id).first()
    if person is None:
        return 0
    return _send(
        person,
        _("Confirm your email address or your account will be removed"),
        "privacy/email/unconfirmed_warning.txt",
        {
            "person": person,
            "days": settings.AGORA_UNCONFIRMED_WARNING_DAYS,
            "link": settings.SITE_URL + reverse("account_email"),
        },
        key=f"unconfirmed-warning-{person.pk}",
    )


@task(queue_name="email")
def tell_data_request(*, request_id: int) -> int:
    """Tell each person a data request concerned, once (claimed by a conditional update),
    unless a legal order still forbids it. Returns how many emails went."""
    today = timezone.localdate()
    untold = DataRequestAccount.objects.filter(request_id=request_id, told_at__isnull=True)
    untold = untold.exclude(request__gagged_until__gt=today)
    sent = 0
    for row in untold.select_related("request", "person"):
        claimed = DataRequestAccount.objects.filter(pk=row.pk, told_at__isnull=True).update(
            told_at=timezone.now()
        )
        if claimed and row.person.is_active:
            sent += _send(
                row.person,
                _("An authority asked for your data"),
                "privacy/email/data_request.txt",
                {"person": row.person, "request": row.request},
                key=f"data-request-{row.request_id}-{row.person_id}",
            )
    return sent


@task(queue_name="default")
def run_retention() -> dict:
    try:
        return services.apply_retention()
    finally:
        schedule_retention()


def schedule_retention() -> bool:
    return schedule_once(run_retention, run_after=timezone.now() + EVERY)


def queue_retention() -> str:
    """The periodic job declared on the app's config: run once when the worker starts."""
    done = services.apply_retention()
    schedule_retention()
    done = {what: count for what, count in done.items() if count}
    return (
        "Retention: " + ", ".join(f"{count} {what}" for what, count in done.items()) if done else ""
    )
