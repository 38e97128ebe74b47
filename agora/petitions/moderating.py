"""Petitions as reportable content (`moderation.registry`): a hidden petition is left out of
the list and its page for everyone but its author. It belongs to its process when it has one,
else to the office it is addressed to, for moderators scoped to either."""

from django.utils.translation import gettext_lazy as _

from agora.moderation.registry import ReportableKind, register
from agora.petitions.models import Petition


def connect() -> None:
    register(
        ReportableKind(
            name="petition",
            model=Petition,
            label=_("petition"),
            author=lambda petition: petition.author,
            excerpt=lambda petition: f"{petition.title}\n{petition.asks}\n{petition.why}",
            url=lambda petition: petition.get_absolute_url(),
            visible_to=lambda person, petition: petition.is_public,
            scope=lambda petition: petition.process or petition.office,
        )
    )
