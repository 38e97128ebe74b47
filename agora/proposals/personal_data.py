"""What proposals hold about a person (see `agora.accounts.holdings`): their proposals and
supports, and answers they gave as an official."""

from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare

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
