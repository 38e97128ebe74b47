"""The authentication backends: Django's and allauth's, reading the signed-in person of every
request with a statement compiled once (`agora.core.prepared`) rather than a queryset built
and compiled on each request, which cost about as much as the rest of a trivial request."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoBackend

from agora.accounts.models import User
from agora.core.prepared import load


def user_by_id(user_id) -> User | None:
    """The account with this id as the ORM would load it, or None."""
    found = load(
        ("signed-in user",),
        {"user": "int"},
        lambda stand_ins: User.objects.filter(pk=stand_ins["user"]),
        user=int(user_id),
    )
    return found[0][0] if found else None


class FastUserMixin:
    def get_user(self, user_id):
        user = user_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(FastUserMixin, DjangoBackend):
    """Django's backend (the admin's password sign-in, `force_login` in tests)."""


class AuthenticationBackend(FastUserMixin, AllauthBackend):
    """allauth's backend (sign-in by handle or email)."""
