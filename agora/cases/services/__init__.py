"""The only code that changes cases. Each verb runs in a transaction, checks that the actor may
do it, moves the case through its declared lifecycle with a conditional update, adds the event
to the timeline, tells the case's followers and writes the audit log.

The verbs live by subject in the modules of this package, which import one another one way
(errors ← timeline, followers ← intake, workflow, comments) and never this module; it only
gathers their public names, so `services.submit_case(...)` reads the same everywhere."""

from agora.cases.services.comments import comment_on_case, delete_case_comment
from agora.cases.services.errors import (
    CaseError,
    InvalidClaimCode,
    InvalidPhoto,
    InvalidTransition,
    MissingText,
    NotAllowed,
    NotRoutable,
)
from agora.cases.services.followers import (
    follow_case,
    support_case,
    unfollow_case,
    withdraw_support,
)
from agora.cases.services.holidays import HolidayFileError, add_public_holiday, import_holidays
from agora.cases.services.intake import (
    AssistedEntry,
    claim_case,
    record_case_on_behalf,
    submit_case,
    submit_open311_request,
    where_it_goes,
)
from agora.cases.services.keys import create_open311_key
from agora.cases.services.timeline import followers_to_tell
from agora.cases.services.workflow import (
    acknowledge_case,
    answer_case,
    assign_case,
    close_case,
    provide_information,
    reopen_case,
    request_information,
    resolve_case,
    take_action,
    transfer_case,
)

__all__ = [
    "AssistedEntry",
    "CaseError",
    "HolidayFileError",
    "InvalidClaimCode",
    "InvalidPhoto",
    "InvalidTransition",
    "MissingText",
    "NotAllowed",
    "NotRoutable",
    "acknowledge_case",
    "add_public_holiday",
    "answer_case",
    "assign_case",
    "claim_case",
    "close_case",
    "comment_on_case",
    "create_open311_key",
    "delete_case_comment",
    "follow_case",
    "followers_to_tell",
    "import_holidays",
    "provide_information",
    "record_case_on_behalf",
    "reopen_case",
    "request_information",
    "resolve_case",
    "submit_case",
    "submit_open311_request",
    "where_it_goes",
    "support_case",
    "take_action",
    "transfer_case",
    "unfollow_case",
    "withdraw_support",
]
