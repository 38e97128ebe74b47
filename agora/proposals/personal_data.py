"""What proposals hold about a person (see `agora.accounts.holdings`): their proposals and
supports, and answers they gave as an official. A proposal an office answered stays when
its author leaves, even if they erase what they wrote: the answer is the office's record."""

from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare


def erase_proposals(proposals) -> None:
    """The proposals no office has answered yet. An answered one is part of the office's
    record (and may have become a result): it stays, by a former member."""
    proposals.filter(answered_at__isnull=True).delete()


declare(
    Holding(
        model="proposals.Proposal",
        person="author",
        kind="proposals",
        about=_("Your proposals: text, state, and the answer they received."),
        columns=(
            "id",
            "process__slug",
            "title",
            "body",
            "state",
            "support_count",
            "created_at",
            "edited_at",
            "answer",
            "answer_body",
            "answered_at",
        ),
        leave=Leave.PUBLIC,
        erase=erase_proposals,
    ),
    Holding(
        model="proposals.Proposal",
        person="answered_by",
        kind="proposals_answered",
        about=_("Proposals you answered, as an official."),
        export=False,
        leave=Leave.ANONYMISE,
        reason=_("An answer is the office's; it stays, signed by the office."),
    ),
    Holding(
        model="proposals.Support",
        person="person",
        kind="proposal_supports",
        about=_("The proposals you supported."),
        columns=("proposal", "proposal__title", "created_at"),
        leave=Leave.KEEP,
        reason=_("A support counts toward a proposal's threshold; it stays, with no name."),
    ),
)
