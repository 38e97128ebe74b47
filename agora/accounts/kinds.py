"""Account kinds and what each may not do, declared once.

Every account is of one kind, set by an administrator (`services.set_kind`): a **resident**
(the default), an **institutional** account (an office or service: it speaks for the
authority and stays neutral) or a **political** account (an elected representative, a party
group, a candidate). Readers always see which kind speaks (`{% person_link %}` adds the
badge; the API's people carry `kind`).

The limits of each kind live in `LIMITS` below and nowhere else. An app asks
`refusal(person, action)` from its own permission check, so its pages and its API refuse
alike and say why:

- processes' `features.can_act` asks for every action it is asked about, so a proposal's
  support, a petition's signature inside a process, and a later app's `vote` (budgets) are
  refused by the same rule without anything written here for them;
- petitions ask for `SIGN` outside processes and `ANSWER` for a response; cases ask
  `ANSWER` before an official works on a case; social asks `SHARE_POLITICAL` before a share;
- social's `permissions.can_post_as` (an office's announcements, urgent ones and corrections,
  and a process's news, which are posts of the office) and processes' `can_act` (an official
  let in "as the office" where residents take part too, such as commenting) ask
  `SPEAK_FOR_OFFICE`: a political account that is also an official of an office takes part
  as itself, never in the office's name.

A later app whose action a kind may not take adds a line to `LIMITS` here; the matrix test
(`tests/accounts/test_kind_matrix.py`) lists every cell and fails until it is written out.

Institutional accounts are tied to an office: the directory registers a requirement
(`register_requirement`) that an administrator cannot make an account institutional unless it
is an official of an office."""

from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    INSTITUTIONAL = "institutional", _("Institutional")
    POLITICAL = "political", _("Political")


#: What a badge's text says to a reader who asks what it means.
DESCRIPTIONS = {
    AccountKind.RESIDENT: _("A person taking part for themselves."),
    AccountKind.INSTITUTIONAL: _(
        "An office or service of the authority. It speaks for the authority and stays "
        "neutral: it does not campaign, sign, support or vote."
    ),
    AccountKind.POLITICAL: _(
        "An elected representative, a party group or a candidate. It speaks for itself or "
        "its party, never in the authority’s name."
    ),
}

# The actions some kind may not take. The names of processes' actions (`sign`, `support`,
# `vote`) are the same words, so `features.can_act` asks with the name it was given.
SIGN = "sign"  # sign a petition
SUPPORT = "support"  # support a proposal
VOTE = "vote"  # vote in a participatory budget (the budgets app declares the action)
SHARE_POLITICAL = "share_political"  # share a political account's post
ANSWER = "answer"  # answer a case, a proposal or a petition in an official capacity
# Speak in an office's own voice: its announcements (urgent ones too) and corrections, its
# news about a process, and taking part "as the office" where a process lets the office in.
SPEAK_FOR_OFFICE = "speak_for_office"

LIMITED_ACTIONS = (SIGN, SUPPORT, VOTE, SHARE_POLITICAL, ANSWER, SPEAK_FOR_OFFICE)

LIMITS: dict[str, dict[str, str]] = {
    SIGN: {
        AccountKind.INSTITUTIONAL: _(
            "Institutional accounts speak for the authority and stay neutral: they do not "
            "sign petitions."
        ),
    },
    SUPPORT: {
        AccountKind.INSTITUTIONAL: _(
            "Institutional accounts speak for the authority and stay neutral: they do not "
            "support proposals."
        ),
    },
    VOTE: {
        AccountKind.INSTITUTIONAL: _(
            "Institutional accounts speak for the authority and stay neutral: they do not "
            "vote in participatory budgets."
        ),
    },
    SHARE_POLITICAL: {
        AccountKind.INSTITUTIONAL: _(
            "Institutional accounts stay apart from politics: they do not share the posts of "
            "political accounts."
        ),
    },
    ANSWER: {
        AccountKind.POLITICAL: _(
            "Political accounts do not answer in the authority’s name: cases, proposals and "
            "petitions are answered by the responsible office’s staff."
        ),
    },
    SPEAK_FOR_OFFICE: {
        AccountKind.POLITICAL: _(
            "Political accounts do not speak in an office’s official voice: its "
            "announcements and news are published by its staff who hold no political account."
        ),
    },
}


def kind_of(person) -> str:
    """The kind of an account; a visitor who is not signed in counts as a resident."""
    return getattr(person, "kind", "") or AccountKind.RESIDENT


def refusal(person, action: str) -> str:
    """Why this person's kind may not take the action, or "" when it may. An action no kind
    is limited in (`comment`, `propose`) is allowed to every kind."""
    reason = LIMITS.get(action, {}).get(kind_of(person))
    return str(reason) if reason else ""


def may(person, action: str) -> bool:
    return not refusal(person, action)


def may_share(person, author) -> bool:
    """Whether the person may share a post by `author` (`SHARE_POLITICAL` for a political
    author)."""
    return kind_of(author) != AccountKind.POLITICAL or may(person, SHARE_POLITICAL)


# Requirements of a kind, filled by apps above (the directory: institutional accounts are
# officials of an office). Each answers the reason the account cannot be of the kind, or "".
_requirements: dict[str, list[Callable[[object], str]]] = {}


def register_requirement(kind: str, check: Callable[[object], str]) -> None:
    checks = _requirements.setdefault(kind, [])
    if check not in checks:
        checks.append(check)


def unmet_requirement(person, kind: str) -> str:
    for check in _requirements.get(kind, []):
        reason = check(person)
        if reason:
            return str(reason)
    return ""
