"""Small named predicates about who may see or do what with an account."""

from agora.accounts.models import User, Visibility


def can_view_profile(viewer, owner: User) -> bool:
    if not owner.is_active:
        return False
    if viewer.is_authenticated and viewer.pk == owner.pk:
        return True
    if owner.profile_visibility == Visibility.PUBLIC:
        return True
    if owner.profile_visibility == Visibility.MEMBERS:
        return viewer.is_authenticated
    return False


def is_administrator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == "administrator")
