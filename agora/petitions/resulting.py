"""Petitions as an origin of results (`results.origins`): a petition in a process that the
office has answered (or that council adopted, in whole or in part) can become a result, whose
updates its author and its signers hear of. And what the petition page shows of it: the link
to its result, or, for those who may make one, "Make it a result"."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.accounts.models import User
from agora.moderation.models import ModerationState
from agora.petitions.models import DebateDecision, Petition, Signature
from agora.processes.permissions import can_view_process
from agora.results import origins
from agora.results.permissions import can_create_result
from agora.results.queries import result_of

ADOPTED = (DebateDecision.ADOPTED, DebateDecision.ADOPTED_IN_PART)


def _visible_to(person, petition: Petition) -> bool:
    shown = petition.moderation_state == ModerationState.VISIBLE or (
        person.is_authenticated and petition.author_id == person.pk
    )
    in_sight = petition.process_id is None or can_view_process(person, petition.process)
    return shown and petition.is_public and in_sight


def _succeeded() -> Q:
    return Q(responded_at__isnull=False) | Q(debate_decision__in=ADOPTED)


def _refusal(petition: Petition) -> str:
    if petition.process_id is None:
        return _("Only a petition in a participation process becomes a result there.")
    if petition.responded_at is None and petition.debate_decision not in ADOPTED:
        return _("A petition becomes a result once the office has responded to it.")
    return ""


def _people(petition: Petition):
    signers = Signature.objects.filter(
        petition=petition, confirmed_at__isnull=False, invalidation__isnull=True
    ).values("person")
    return User.objects.filter(Q(pk=petition.author_id) | Q(pk__in=signers))


PETITION_ORIGIN = origins.OriginKind(
    key="petition",
    model=Petition,
    label=gettext_lazy("petition"),
    title_of=lambda petition: petition.title,
    url_of=lambda petition: petition.get_absolute_url(),
    visible_to=_visible_to,
    process_of=lambda petition: petition.process,
    refusal=_refusal,
    prefill=lambda petition: {"title": petition.title, "description": petition.asks},
    people=_people,
    waiting=lambda process: Petition.objects.filter(
        _succeeded(), process=process, moderation_state=ModerationState.VISIBLE
    ),
)


def connect() -> None:
    origins.register(PETITION_ORIGIN)


def page_context(request, petition: Petition) -> dict:
    """The petition's result, or whether the reader may make one of it."""
    if petition.process_id is None:
        return {"its_result": None, "may_make_result": False}
    result = result_of(petition)
    may_make = (
        result is None
        and not _refusal(petition)
        and bool(can_create_result(request.user, petition.process))
    )
    return {"its_result": result, "may_make_result": may_make}
