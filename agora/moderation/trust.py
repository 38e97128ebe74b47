"""Trust levels, from what a person has done here, for weighing their reports (and, later, for
loosening the limits on new accounts):

- 0: a new account (less than a day old) or one whose email is not confirmed;
- 1: a confirmed account younger than 30 days;
- 2: a confirmed account of 30 days or more;
- 3: a verified resident;
- 4: an official, a moderator or an administrator.

Each restricting decision about the person's content in the last 180 days that still stands
lowers the level by one, down to 0."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from agora.accounts.models import Role, Verification

NEW_ACCOUNT = timedelta(days=1)
SETTLED_ACCOUNT = timedelta(days=30)
UPHELD_MEMORY = timedelta(days=180)

LABELS = {
    0: "new",
    1: "basic",
    2: "member",
    3: "verified resident",
    4: "staff",
}


def base_level(person, now=None) -> int:
    now = now or timezone.now()
    if person.role in (Role.OFFICIAL, Role.MODERATOR, Role.ADMINISTRATOR):
        return 4
    if person.verification == Verification.VERIFIED_RESIDENT:
        return 3
    if person.verification == Verification.UNVERIFIED or now - person.date_joined < NEW_ACCOUNT:
        return 0
    return 2 if now - person.date_joined >= SETTLED_ACCOUNT else 1


def trust_level(person, now=None) -> int:
    """One query at most: the person's items whose restriction still stands."""
    from agora.moderation.models import RESTRICTING, ModeratedItem

    now = now or timezone.now()
    level = base_level(person, now)
    if level in (0, 4):
        return level
    upheld = ModeratedItem.objects.filter(
        author=person, outcome__in=RESTRICTING, decided_at__gte=now - UPHELD_MEMORY
    ).count()
    return max(0, level - upheld)


def weight(level: int) -> float:
    return settings.AGORA_MODERATION_WEIGHTS[level]
