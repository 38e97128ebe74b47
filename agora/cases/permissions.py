"""Small named predicates: who may see a case, act on it, follow it, comment on it, or read an
office's inbox."""

from agora.accounts import kinds
from agora.accounts.permissions import is_moderator
from agora.cases.models import Case
from agora.directory.models import Office
from agora.directory.permissions import is_official_of


def is_submitter(user, case: Case) -> bool:
    return user.is_authenticated and case.submitted_by_id == user.pk


def reads_every_case(user) -> bool:
    """Moderators and administrators may read any case (they act on reports about them)."""
    return is_moderator(user)


def can_act_on_case(user, case: Case) -> bool:
    """Only officials of the accountable office work on a case, and never through a political
    account: what they do on a case is the authority's answer (`accounts.kinds.ANSWER`)."""
    return is_official_of(user, case.office) and kinds.may(user, kinds.ANSWER)


def can_view_case(user, case: Case) -> bool:
    """Public cases are for everyone; a private one for its submitter, the accountable office
    (whoever it is now: a transfer hands over everything) and moderators."""
    return (
        case.is_public
        or is_submitter(user, case)
        or reads_every_case(user)
        or can_act_on_case(user, case)
    )


def can_follow_up(user, case: Case) -> bool:
    """The submitter and the office may reopen or close a case."""
    return is_submitter(user, case) or can_act_on_case(user, case)


def can_view_inbox(user, office: Office) -> bool:
    return is_official_of(user, office) or reads_every_case(user)


def is_any_official(user) -> bool:
    """Officials of any office may record a case for a resident; routing picks the office."""
    return user.is_authenticated and user.is_active and user.office_memberships.exists()


def can_support_case(user, case: Case) -> bool:
    """Signed-in people other than the submitter may say “me too” about a public case that is
    not finished, except the officials who act on it: the office answers, it does not join."""
    return (
        user.is_authenticated
        and case.is_public
        and not case.is_finished
        and not is_submitter(user, case)
        and not can_act_on_case(user, case)
    )


def can_follow_case(user, case: Case) -> bool:
    """Anyone signed in who can see a public case may follow it; a private one only its
    resident and the officials of its office."""
    if not user.is_authenticated or not user.is_active:
        return False
    if case.is_public:
        return True
    return is_submitter(user, case) or can_act_on_case(user, case)


def can_comment_on_case(user, case: Case) -> bool:
    """Public cases take comments from anyone signed in, as social's posts do, except from
    people blocked either way by the resident who raised it. Private cases have none: what
    the resident and the office say to each other is the timeline."""
    from agora.social.permissions import is_blocked_between

    if not (user.is_authenticated and user.is_active and case.is_public):
        return False
    submitter = case.submitted_by
    return submitter is None or not is_blocked_between(user, submitter)
