"""Small named predicates about officials and their offices."""

from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User
from agora.core.prepared import compiled, prepared, server_prepared_cursor
from agora.directory.models import Office, OfficeMembership


def is_official_of(user, office: Office) -> bool:
    """Whether the person acts for the office: a member of it, or of an office it is part of
    (the head of a department answers for its units)."""
    if not user.is_authenticated or not user.is_active:
        return False
    # A page asks this many times (each action offered, "me too", comments): the answer is
    # kept on the person's object, which lives for one request; `forget_offices` drops it
    # when their memberships change.
    chain = tuple(answering_for(office))
    known = user.__dict__.setdefault(_KNOWN, {})
    if chain not in known:
        known[chain] = _member_of_any(user.pk, chain)
    return known[chain]


def _member_of_any(user_id: int, chain: tuple) -> bool:
    """In a statement compiled once per length of the chain (`core.prepared`): every action
    checked for an official, and every signature (officials do not sign), asks it."""
    slots = {f"office{number}": "int" for number in range(len(chain))}
    statement = prepared(
        ("member of any", len(chain)),
        {"user": "int", **slots},
        lambda stand_ins: compiled(
            OfficeMembership.objects.filter(
                user_id=stand_ins["user"], office_id__in=[stand_ins[name] for name in slots]
            )
            .order_by()
            .values("pk")[:1]
        ),
    )
    values = dict(zip(slots, chain, strict=True))
    with server_prepared_cursor() as cursor:
        cursor.execute(*statement.bind(user=user_id, **values))
        return cursor.fetchone() is not None


_KNOWN = "_agora_acts_for"


def forget_offices(user) -> None:
    """Forget what `is_official_of` found for this person's object (their memberships
    changed)."""
    user.__dict__.pop(_KNOWN, None)


def answering_for(office: Office) -> list[int]:
    """The ids of the office and of every office it is part of, nearest first: whose officials
    act for it."""
    chain, current, seen = [], office, set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        chain.append(current.pk)
        current = current.parent if current.parent_id else None
    return chain


def officials_acting_for(office: Office):
    """The active people who act for the office (`is_official_of` is true for them)."""
    memberships = OfficeMembership.objects.filter(office_id__in=answering_for(office))
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def offices_of(user):
    """The offices the person is an official of, directly."""
    if not user.is_authenticated:
        return Office.objects.none()
    return Office.objects.filter(memberships__user=user).order_by("name_en")


def office_required_for_institutional(user) -> str:
    """An institutional account speaks for an office, so it must be an official of one first
    (`accounts.kinds.register_requirement`): the reason it cannot be made institutional, or
    ""."""
    if OfficeMembership.objects.filter(user=user).exists():
        return ""
    return str(
        _(
            "An institutional account speaks for an office: make the account an official of "
            "an office first."
        )
    )
