"""Proposals and the comments on them as reportable content (`moderation.registry`): a hidden
proposal is left out of the lists and its page for everyone but its author. Both belong to
their process, for moderators scoped to it. The official answer is the proposal's own field,
not a comment: nothing official is in the thread to hide."""

from django.utils.translation import gettext_lazy as _

from agora.moderation.registry import ReportableKind, register
from agora.processes.permissions import can_view_process
from agora.proposals.models import Proposal
from agora.proposals.queries import visible
from agora.social.moderating import CommentTarget, register_comment_target


def _readable(person, proposal: Proposal) -> bool:
    return (
        can_view_process(person, proposal.process)
        and visible(person).filter(pk=proposal.pk).exists()
    )


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
    register_comment_target(
        CommentTarget(
            model=Proposal,
            visible_to=_readable,
            url=lambda proposal: proposal.get_absolute_url(),
            scope=lambda proposal: proposal.process,
        )
    )
