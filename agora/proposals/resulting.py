"""Proposals as an origin of results (`results.origins`): an accepted proposal can become a
result, which its author and supporters hear of as the office reports on it. And what the
proposal page shows of it: the link to its result with status and progress, or, for those who
may make one, "Make it a result"."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.accounts.models import User
from agora.moderation.models import ModerationState
from agora.processes.permissions import can_view_process
from agora.proposals.models import AnswerKind, Proposal, ProposalState, Support
from agora.results import origins
from agora.results.permissions import can_create_result
from agora.results.queries import result_of


def _visible_to(person, proposal: Proposal) -> bool:
    shown = proposal.moderation_state == ModerationState.VISIBLE or (
        person.is_authenticated and proposal.author_id == person.pk
    )
    return shown and can_view_process(person, proposal.process)


def _refusal(proposal: Proposal) -> str:
    if proposal.state != ProposalState.ANSWERED or proposal.answer != AnswerKind.ACCEPTED:
        return _("Only an accepted proposal becomes a result.")
    return ""


def _people(proposal: Proposal):
    return User.objects.filter(
        Q(pk=proposal.author_id)
        | Q(pk__in=Support.objects.filter(proposal=proposal).values("person"))
    )


PROPOSAL_ORIGIN = origins.OriginKind(
    key="proposal",
    model=Proposal,
    label=gettext_lazy("proposal"),
    title_of=lambda proposal: proposal.title,
    url_of=lambda proposal: proposal.get_absolute_url(),
    visible_to=_visible_to,
    process_of=lambda proposal: proposal.process,
    refusal=_refusal,
    prefill=lambda proposal: {"title": proposal.title, "description": proposal.body},
    people=_people,
    waiting=lambda process: Proposal.objects.filter(
        process=process,
        state=ProposalState.ANSWERED,
        answer=AnswerKind.ACCEPTED,
        moderation_state=ModerationState.VISIBLE,
    ),
)


def connect() -> None:
    origins.register(PROPOSAL_ORIGIN)


def page_context(request, proposal: Proposal) -> dict:
    """What the proposal page's result part needs: the proposal's result, or whether the
    reader may make one of it (an accepted proposal, for the office and administrators)."""
    result = result_of(proposal)
    may_make = (
        result is None
        and not _refusal(proposal)
        and bool(can_create_result(request.user, proposal.process))
    )
    return {"its_result": result, "may_make_result": may_make}
