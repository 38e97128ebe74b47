"""Small named predicates about who may see or do what with an account."""

from allauth.mfa.models import Authenticator
from django.db.models import Q

from agora.accounts.models import Role, User, Visibility


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


def writing_shown(author: str = "author") -> Q:
    """Whose writing is shown: an active account's, and what a former member kept when they
    deleted their account (shown as "Former member", `naming.shown`). A suspended or
    deactivated account's writing is not."""
    return Q(**{f"{author}__is_active": True}) | Q(**{f"{author}__left_at__isnull": False})


def is_administrator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.ADMINISTRATOR)


def is_moderator(user) -> bool:
    """A moderator, or an administrator, who may do whatever a moderator does."""
    return is_administrator(user) or (user.is_authenticated and user.role == Role.MODERATOR)


def find_visible_profile(viewer, handle: str) -> User | None:
    """The profile with this handle if the viewer may see it. None both when it does not exist
    and when it is hidden, so callers answer the two cases alike."""
    try:
        owner = User.objects.get_by_handle(handle)
    except User.DoesNotExist:
        return None
    return owner if can_view_profile(viewer, owner) else None


def must_turn_on_two_factor(user) -> bool:
    """Moderators, administrators and staff must have TOTP before they do anything else."""
    return (
        user.is_authenticated
        and user.requires_two_factor
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )
