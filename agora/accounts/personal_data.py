"""What accounts hold about a person (see `agora.accounts.holdings`): the account and
profile, tokens, addresses and second factors, and, for Django's, allauth's and core's
tables that link to an account, the same."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare

EMPTIED_ACCOUNT = {
    "email": Concat(Value("left-"), Cast("id", CharField()), Value("@invalid")),
    "handle": Concat(Value("left_"), Cast("id", CharField())),
    "display_name": "",
    "bio": "",
    "avatar": "",
    "home_area": "",
    "preferred_language": "",
    "profile_visibility": "public",
    "connections_visibility": "nobody",
    "hide_counts": "",
    "role": "resident",
    "verification": "unverified",
    "verified_at": None,
    "verification_method": "",
    "is_active": False,
    "is_staff": False,
    "is_superuser": False,
    "password": "!",
    "last_login": None,
    "kind": "resident",
    "kind_detail": "",
    "kind_set_by": None,
    "kind_set_at": None,
}


def _entries_about(person):
    from django.contrib.admin.models import LogEntry

    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(person)), object_id=str(person.pk)
    )


declare(
    Holding(
        model="accounts.User",
        person="id",
        kind="profile",
        about=_("Your account and profile: the names, bio, area, language and choices you set."),
        columns=(
            "email",
            "handle",
            "display_name",
            "bio",
            "home_area",
            "preferred_language",
            "profile_visibility",
            "connections_visibility",
            "hide_counts",
            "role",
            "verification",
            "verified_at",
            "date_joined",
            "last_login",
        ),
        leave=Leave.ANONYMISE,
        reason=_(
            "The account's row stays, emptied of everything that says who you were, so that "
            "what you chose to keep shows as written by a former member."
        ),
        scrub=EMPTIED_ACCOUNT,
    ),
    Holding(
        model="accounts.User",
        person="verified_by",
        kind="residents_you_verified",
        about=_("Accounts you verified as residents, as an administrator."),
        export=False,
        leave=Leave.ANONYMISE,
        reason=_("The resident stays verified; who verified them is forgotten."),
    ),
    Holding(
        model="accounts.User",
        person="kind_set_by",
        kind="account_kinds_you_set",
        about=_("Accounts whose kind (institutional, political) you set, as an administrator."),
        export=False,
        leave=Leave.ANONYMISE,
        reason=_("The account keeps its kind; who set it is forgotten."),
    ),
    Holding(
        model="accounts.PersonalAccessToken",
        person="user",
        kind="api_tokens",
        about=_("Your API tokens: their names and when they were used (never the secret)."),
        columns=("name", "hint", "created_at", "last_used_at", "revoked_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="accounts.VerificationCode",
        person="used_by",
        kind="verification_codes",
        about=_("The verification code you redeemed, and when."),
        columns=("used_at",),
        leave=Leave.ANONYMISE,
        reason=_("The code stays used, so it cannot be used again; who used it is forgotten."),
    ),
    Holding(
        model="accounts.VerificationCode",
        person="created_by",
        kind="verification_codes_issued",
        about=_("Verification codes you issued, as an administrator."),
        columns=("note", "created_at", "expires_at", "used_at"),
        leave=Leave.KEEP,
        reason=_("The record of issued codes is the authority's; it stays."),
    ),
    Holding(
        model="account.EmailAddress",
        person="user",
        kind="email_addresses",
        about=_("Your email addresses and whether each is confirmed."),
        columns=("email", "verified", "primary"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="mfa.Authenticator",
        person="user",
        kind="second_factors",
        about=_("Your second factors for signing in: their kind and use (never their secret)."),
        columns=("type", "created_at", "last_used_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="admin.LogEntry",
        person="user",
        kind="admin_changes",
        about=_("Changes you made in the administration site."),
        columns=("action_time", "object_repr", "action_flag"),
        leave=Leave.KEEP,
        reason=_("The administration's history of changes is the authority's record; it stays."),
    ),
    Holding(
        model="admin.LogEntry",
        person="object_id",
        select=_entries_about,
        kind="admin_changes_to_you",
        about=_("Changes administrators made to your account."),
        export=False,
        leave=Leave.ANONYMISE,
        reason=_("The history stays; its description, which repeats your handle, goes."),
        scrub={"object_repr": "", "change_message": ""},
    ),
    Holding(
        model="core.AuditEntry",
        person="actor",
        kind="audit_log",
        about=_("Changes you made that the audit log records."),
        columns=("created_at", "action"),
        leave=Leave.KEEP,
        reason=_(
            "The audit log records who changed what for the authority; it stays, pointing at "
            "the emptied account."
        ),
    ),
)
