"""What polls hold about a person (see `agora.accounts.holdings`): their responses. A response
stays in its poll's results without a name when its author leaves: published figures must add
up again."""

from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare

declare(
    Holding(
        model="polls.Response",
        person="respondent",
        kind="poll_responses",
        about=_("Your responses to polls and surveys: which poll, and when."),
        columns=("poll", "submitted_at"),
        leave=Leave.ANONYMISE,
        reason=_("A response counts in its poll's results; it stays, with no name."),
    ),
)
