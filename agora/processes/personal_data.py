"""What processes hold about a person (see `agora.accounts.holdings`)."""

from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare

declare(
    Holding(
        model="processes.Process",
        person="created_by",
        kind="processes_created",
        about=_("Participation processes you created, as an official."),
        export=False,
        leave=Leave.ANONYMISE,
        reason=_("A process is its office's; it stays."),
    ),
    Holding(
        model="processes.ProcessFollow",
        person="follower",
        kind="processes_followed",
        about=_("The participation processes you follow."),
        columns=("process__slug", "created_at"),
        leave=Leave.ERASE,
    ),
)
