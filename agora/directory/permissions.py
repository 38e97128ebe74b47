"""Small named predicates about officials and their offices."""

from agora.directory.models import Office, OfficeMembership


def is_official_of(user, office: Office) -> bool:
    """Whether the person acts for the office: a member of it, or of an office it is part of
    (the head of a department answers for its units)."""
    if not user.is_authenticated or not user.is_active:
        return False
    chain, current, seen = [], office, set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        chain.append(current.pk)
        current = current.parent if current.parent_id else None
    return OfficeMembership.objects.filter(user=user, office_id__in=chain).exists()


def offices_of(user):
    """The offices the person is an official of, directly."""
    if not user.is_authenticated:
        return Office.objects.none()
    return Office.objects.filter(memberships__user=user).order_by("name_en")
