"""What moderation holds about a person (see `agora.accounts.holdings`): decisions about
what they wrote, their reports and appeals, limits on their account. Decisions and their
statements of reasons are kept, without the person, for the public log and for appeals."""

from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare

RECORD = _(
    "Moderation decisions and their statements of reasons are kept for the public log and for "
    "appeals, as the law on online platforms requires; they stay with the emptied account."
)

declare(
    Holding(
        model="moderation.ModeratedItem",
        person="author",
        kind="moderation_of_your_writing",
        about=_("What you wrote that was reported or screened, and the outcome."),
        columns=("kind", "url", "state", "outcome", "first_reported_at", "decided_at"),
        leave=Leave.ANONYMISE,
        reason=RECORD,
        scrub={"excerpt": ""},
    ),
    Holding(
        model="moderation.Report",
        person="reporter",
        kind="reports",
        about=_("What you reported, why, and whether it was upheld."),
        columns=("item__url", "reason", "law", "explanation", "upheld", "created_at"),
        leave=Leave.ANONYMISE,
        reason=RECORD,
        scrub={"reporter_name": "", "reporter_email": "", "explanation": ""},
    ),
    Holding(
        model="moderation.Decision",
        person="moderator",
        kind="moderation_decisions_taken",
        about=_("Decisions you took as a moderator."),
        columns=("item__url", "action", "law", "facts", "created_at"),
        leave=Leave.ANONYMISE,
        reason=RECORD,
    ),
    Holding(
        model="moderation.Decision",
        person="item__author",
        kind="moderation_decisions_about_you",
        about=_("Decisions moderators took about what you wrote, with their reasons."),
        columns=("item__url", "action", "rule__number", "law", "facts", "until", "created_at"),
        leave=Leave.KEEP,
        reason=RECORD,
    ),
    Holding(
        model="moderation.Appeal",
        person="appellant",
        kind="appeals",
        about=_("Your appeals against decisions, and their grounds."),
        columns=("decision__action", "grounds", "created_at"),
        leave=Leave.KEEP,
        reason=RECORD,
    ),
    Holding(
        model="moderation.Suspension",
        person="person",
        kind="suspensions",
        about=_("Suspensions of your account."),
        columns=("until", "lifted_at", "created_at"),
        leave=Leave.KEEP,
        reason=RECORD,
    ),
    Holding(
        model="moderation.AccountLimit",
        person="person",
        kind="account_limits",
        about=_("Limits put on your account."),
        columns=("until", "lifted_at", "created_at"),
        leave=Leave.KEEP,
        reason=RECORD,
    ),
    Holding(
        model="moderation.Misuse",
        person="person",
        kind="misuse",
        about=_("Times the site saw misuse of its reporting or appeals from your account."),
        columns=("kind", "count", "until", "created_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="moderation.ModeratorScope",
        person="person",
        kind="moderator_scopes",
        about=_("Where you moderate."),
        columns=("scope_type__model", "scope_id", "created_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="moderation.TextFingerprint",
        person="author",
        kind="text_fingerprints",
        about=_("Fingerprints of your recent texts, kept to spot copies sent in waves."),
        export=False,
        leave=Leave.ERASE,
    ),
)
