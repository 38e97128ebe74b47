"""What meetings hold about a person (see `agora.accounts.holdings`): their registrations. They
are erased when the person leaves: a list of who came is nobody else's business, and the
meeting's counts are kept by its staff as figures."""

from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare

declare(
    Holding(
        model="meetings.Registration",
        person="person",
        kind="meeting_registrations",
        about=_(
            "Your registrations for meetings: which meeting, your place on its list, and "
            "whether the staff marked you as present."
        ),
        columns=("meeting", "state", "queued_at", "attended"),
        leave=Leave.ERASE,
    ),
)
