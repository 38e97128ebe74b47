"""What budgets hold about a person (see `agora.accounts.holdings`): their ballots. A ballot
stays in its budget, without a name, when its voter leaves: a count already published must
add up again, and an open vote must not lose a ballot the person cast."""

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare

declare(
    Holding(
        model="budgets.Ballot",
        person="voter",
        kind="ballots",
        about=_("Your ballots in participatory budgets: the projects you chose, and when."),
        columns=("budget", "projects", "points", "cast_at"),
        leave=Leave.ANONYMISE,
        reason=_("A ballot counts in its budget's result; it stays, with no name."),
        # One ballot per voter key in a budget: each kept ballot gets a key of its own.
        scrub={"voter_key": Concat(Value("left-"), Cast("pk", output_field=CharField()))},
    ),
)
