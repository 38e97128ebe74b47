"""The petitions' background work: the confirmation email of a signature by an account whose
email is not confirmed; the email telling signers of a response or a debate's outcome; and
the periodic job that closes petitions past their date (each run queues the next, as
processes' phase announcer does)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop
from django_tasks import task

from agora.core.tasks import schedule_once, send_rendered
from agora.notifications.models import Delivery, Preference
from agora.petitions import services
from agora.petitions.models import Petition, Signature

EVERY = timedelta(minutes=30)


def _send(person, subject, template: str, context: dict, *, key: str) -> int:
    return send_rendered(
        to=person.email,
        language=person.preferred_language,
        subject=subject,
        template=template,
        context=context,
        key=key,
    )


@task(queue_name="email")
def email_signature_confirmation(*, signature_id: int) -> int:
    signature = (
        Signature.objects.select_related("person", "petition")
        .filter(pk=signature_id, confirmed_at__isnull=True)
        .first()
    )
    if signature is None or not signature.person.email:
        return 0
    link = settings.SITE_URL + reverse("petitions:confirm", args=[signature.confirm_token])
    return _send(
        signature.person,
        gettext_noop("Confirm your signature"),
        "petitions/email/confirm.txt",
        {"petition": signature.petition, "link": link},
        key=f"signature-{signature.pk}-confirm",
    )


@task(queue_name="email")
def email_signers(*, petition_id: int, kind: str) -> int:
    """Email the signers and the author the response or the debate's outcome, except those
    whose notification preference for it sends an email already, or is off."""
    petition = Petition.objects.filter(pk=petition_id).first()
    if petition is None:
        return 0
    chose = Preference.objects.filter(
        user=OuterRef("pk"), kind=kind, delivery__in=[Delivery.EMAIL, Delivery.DIGEST, Delivery.OFF]
    )
    people = services.signers_and_author(petition).filter(is_active=True).exclude(Exists(chose))
    link = settings.SITE_URL + petition.get_absolute_url()
    sent = 0
    for person in people.exclude(email="").order_by("pk").iterator(chunk_size=500):
        with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
            from django.utils.translation import gettext as _

            subject = (
                _("The response to a petition you signed")
                if kind == "petition_responded"
                else _("The outcome of the debate on a petition you signed")
            )
        sent += _send(
            person,
            subject,
            "petitions/email/outcome.txt",
            {"petition": petition, "link": link, "kind": kind},
            # A task run again (its worker killed in the middle) skips who was told already.
            key=f"petition-{petition.pk}-{kind}-{person.pk}",
        )
    return sent


@task(queue_name="default")
def close_petitions() -> int:
    try:
        return services.close_due_petitions()
    finally:
        schedule_closing()


def schedule_closing() -> bool:
    return schedule_once(close_petitions, run_after=timezone.now() + EVERY)


def queue_closing() -> str:
    """The periodic job declared on the app's config: run once when the worker starts."""
    closed = services.close_due_petitions()
    schedule_closing()
    return f"Closed {closed} petitions past their date." if closed else ""
