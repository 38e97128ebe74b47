"""What results hold about a person (see `agora.accounts.holdings`)."""

from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare

OFFICE = _("A result and its updates are the office's account of its work; they stay.")

declare(
    Holding(
        model="results.Result",
        person="created_by",
        kind="results_created",
        about=_("Results you created, as an official."),
        export=False,
        leave=Leave.ANONYMISE,
        reason=OFFICE,
    ),
    Holding(
        model="results.ResultUpdate",
        person="author",
        kind="result_updates",
        about=_("Updates you wrote on results, as an official."),
        columns=("result__slug", "body", "status", "created_at"),
        leave=Leave.ANONYMISE,
        reason=OFFICE,
    ),
    Holding(
        model="results.ResultFollow",
        person="follower",
        kind="results_followed",
        about=_("The results you follow."),
        columns=("result__slug", "created_at"),
        leave=Leave.ERASE,
    ),
)
