"""What cases hold about a person (see `agora.accounts.holdings`): the questions and reports
they sent, their timelines, follows and supports. A case is the authority's record: when its
author leaves it stays, without them, as the law of record-keeping requires."""

from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare

RECORD = _("A case is a record the authority must keep; it stays, without the link to you.")

declare(
    Holding(
        model="cases.Case",
        person="submitted_by",
        kind="cases",
        about=_("The questions and reports you sent: what you wrote, where, and their state."),
        columns=(
            "reference",
            "kind",
            "title",
            "description",
            "topic__name_en",
            "address",
            "latitude",
            "longitude",
            "is_public",
            "channel",
            "state",
            "office__name_en",
            "created_at",
            "answered_at",
            "finished_at",
        ),
        leave=Leave.ANONYMISE,
        reason=RECORD,
        scrub={"claim_code_hash": ""},
    ),
    Holding(
        model="cases.CaseEvent",
        person="case__submitted_by",
        kind="case_timelines",
        about=_("The timelines of your cases: each step, answer and transfer."),
        columns=(
            "case__reference",
            "kind",
            "from_office__name_en",
            "to_office__name_en",
            "text",
            "created_at",
        ),
        leave=Leave.KEEP,
        reason=RECORD,
    ),
    Holding(
        model="cases.Case",
        person="assigned_to",
        kind="cases_assigned",
        about=_("Cases assigned to you, as an official."),
        export=False,
        leave=Leave.ANONYMISE,
        reason=RECORD,
    ),
    Holding(
        model="cases.CaseEvent",
        person="actor",
        kind="case_steps",
        about=_("Steps you took on cases."),
        export=False,
        leave=Leave.ANONYMISE,
        reason=RECORD,
    ),
    Holding(
        model="cases.CaseEvent",
        person="assignee",
        kind="case_assignments",
        about=_("Steps that assigned a case to you."),
        export=False,
        leave=Leave.ANONYMISE,
        reason=RECORD,
    ),
    Holding(
        model="cases.CaseDraft",
        person="user",
        kind="case_draft",
        about=_("What you wrote in the ask-or-report form and did not send yet."),
        columns=("fields", "saved_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="cases.CaseFollow",
        person="user",
        kind="cases_followed",
        about=_("The cases you follow."),
        columns=("case__reference", "created_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="cases.CaseSupport",
        person="user",
        kind="cases_supported",
        about=_("The cases you supported ('me too')."),
        columns=("case__reference", "created_at"),
        leave=Leave.KEEP,
        reason=_("A support stays counted; nobody can see whose it was."),
    ),
    Holding(
        model="cases.Open311ApiKey",
        person="created_by",
        kind="open311_keys",
        about=_("Open311 keys you created, as an administrator."),
        export=False,
        leave=Leave.ANONYMISE,
        reason=_("The key stays for the service that uses it."),
    ),
)
