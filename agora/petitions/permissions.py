"""Small named predicates of petitions: who may sign (the process's rule through
`processes.features.can_act`, else the authority's rule, `AGORA_PETITION_SIGNERS`), who
moderates, who answers for the office."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agora.accounts import kinds
from agora.accounts.permissions import is_moderator
from agora.directory.permissions import is_official_of
from agora.processes import features
from agora.processes.features import Decision, Reason

#: What the authority's rule says, in a petition's words (a process's petitions say what the
#: process's rule says, in `processes.features.MESSAGES`).
MESSAGES = {
    Reason.NOT_SIGNED_IN: _("Log in to sign."),
    Reason.NOT_VERIFIED: _("Only verified residents can sign petitions."),
    Reason.OFFICE_TAKES_NO_PART: _(
        "The office this petition asks answers it; its officials do not sign it."
    ),
}


@dataclass(frozen=True)
class AuthorityDecision(Decision):
    """A decision by the authority's rule, worded for a petition outside any process."""

    @property
    def message(self) -> str:
        return self.explanation or str(MESSAGES.get(self.reason) or super().message)


def signing_rule(person, petition, *, phase: bool = True) -> Decision:
    """May the person sign (or co-sponsor, with `phase` False) this petition, by the rule that
    applies to it: the process's when it is in one (`can_act(..., "sign", ...)`: its phase and
    who may take part), else the authority's (verified residents by default). The officials of
    the office it is addressed to answer it and do not sign it."""
    if petition.process_id is not None:
        if phase:
            return features.can_act(person, features.SIGN, petition.process)
        if not person.is_authenticated or not person.is_active:
            return Decision(False, Reason.NOT_SIGNED_IN)
        if limit := kinds.refusal(person, kinds.SIGN):
            return Decision(False, Reason.ACCOUNT_KIND, explanation=limit)
        reason = features.eligibility(person, petition.process)
        return Decision(reason == Reason.ALLOWED, reason)
    if not person.is_authenticated or not person.is_active:
        return AuthorityDecision(False, Reason.NOT_SIGNED_IN)
    if limit := kinds.refusal(person, kinds.SIGN):
        return AuthorityDecision(False, Reason.ACCOUNT_KIND, explanation=limit)
    if petition.office_id is not None and is_official_of(person, petition.office):
        return AuthorityDecision(False, Reason.OFFICE_TAKES_NO_PART)
    if settings.AGORA_PETITION_SIGNERS == "verified_residents" and not person.is_verified_resident:
        return AuthorityDecision(False, Reason.NOT_VERIFIED)
    return AuthorityDecision(True, Reason.ALLOWED)


def can_moderate(person) -> bool:
    return person.is_authenticated and person.is_active and is_moderator(person)


def can_respond(person, petition) -> bool:
    """The officials of the office that answers the petition (or of an office above it), unless
    their account is political (`accounts.kinds.ANSWER`)."""
    return (
        petition.office_id is not None
        and is_official_of(person, petition.office)
        and kinds.may(person, kinds.ANSWER)
    )
