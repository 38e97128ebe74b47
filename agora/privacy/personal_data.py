"""What the privacy app holds about a person (see `agora.accounts.holdings`)."""

from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare
from agora.privacy.models import delete_export_files


def erase_exports(exports) -> None:
    names = [export.file_name for export in exports]
    exports.delete()
    delete_export_files(names)


def _told_requests(person):
    """Only the requests the person was told of: one under an order not to tell stays out of
    their export until they are told."""
    from agora.privacy.models import DataRequestAccount

    return DataRequestAccount.objects.filter(person=person.pk, told_at__isnull=False)


declare(
    Holding(
        model="privacy.Export",
        person="person",
        kind="exports",
        about=_("The downloads of your data you asked for, and when."),
        columns=("state", "requested_at", "finished_at", "expires_at", "size"),
        leave=Leave.ERASE,
        erase=erase_exports,
    ),
    Holding(
        model="privacy.PendingDeletion",
        person="person",
        kind="pending_deletion",
        about=_("Your request to delete your account, while it waits."),
        columns=("keep_public_writing", "requested_at", "due_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="privacy.UnconfirmedWarning",
        person="person",
        kind="unconfirmed_warning",
        about=_("When we warned you that your unconfirmed account would be removed."),
        columns=("sent_at",),
        leave=Leave.ERASE,
    ),
    Holding(
        model="privacy.Consent",
        person="person",
        kind="consents",
        about=_("The versions of the house rules and the privacy notice you accepted, and when."),
        columns=("document", "version", "accepted_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="privacy.DataRequestAccount",
        person="person",
        kind="data_requests",
        about=_(
            "The requests for your data from authorities that you were told of: who asked, on "
            "what legal basis, and what was done."
        ),
        columns=(
            "request__received_on",
            "request__requesting_body",
            "request__legal_basis",
            "request__outcome",
            "told_at",
        ),
        select=_told_requests,
        leave=Leave.KEEP,
        reason=_("The record of an authority's request is kept as the law requires."),
    ),
)
