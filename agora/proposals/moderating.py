"""Proposals as reportable content (`moderation.registry`): a hidden proposal is left out of
the lists and its page for everyone but its author."""

from django.utils.translation import gettext_lazy as _

from agora.moderation.registry import ReportableKind, register
from agora.processes.permissions import can_view_process
from agora.proposals.models import Proposal


def connect() -> None:
    register(
        ReportableKind(
            name="proposal",
            model=Proposal,
            label=_("proposal"),
            author=lambda proposal: proposal.author,
            excerpt=lambda proposal: f"{proposal.title}\n{proposal.body}",
            url=lambda proposal: proposal.get_absolute_url(),
            visible_to=lambda person, proposal: can_view_process(person, proposal.process),
            scope=lambda proposal: proposal.process,
        )
    )
