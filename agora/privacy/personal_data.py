"""What the privacy app holds about a person (see `agora.accounts.holdings`)."""

from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare
from agora.privacy.models import delete_export_files


def erase_exports(exports) -> None:
    names = [export.file_name for export in exports]
    exports.delete()
    delete_export_files(names)


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
)
