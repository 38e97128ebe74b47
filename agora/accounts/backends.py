"""The authentication backends: Django's and allauth's, reading the signed-in person of every
request with a statement compiled once (`agora.core.prepared`) rather than a queryset built
and compiled on each request, which cost about as much as the rest of a trivial request."""

import threading

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoBackend
from django.db import connection

from agora.accounts.models import User
from agora.core.prepared import compiled, prepared, server_prepared_cursor

# The database's converters for each selected column (SQLite's dates come back as text), by
# database, found once: the ORM would find them again on every request.
_converters: dict[tuple[str, str], list[tuple[int, list, object]]] = {}
_lock = threading.Lock()


def _columns_and_converters() -> list[tuple[int, list, object]]:
    key = (connection.vendor, connection.alias)
    found = _converters.get(key)
    if found is None:
        compiler = User.objects.all().query.get_compiler(connection=connection)
        compiler.setup_query()
        columns = [column for column, _sql, _alias in compiler.select]
        found = [
            (index, converters, expression)
            for index, (converters, expression) in compiler.get_converters(columns).items()
        ]
        with _lock:
            found = _converters.setdefault(key, found)
    return found


#: The model's fields in the order the statement selects them.
_FIELDS = [field.attname for field in User._meta.concrete_fields]


def user_by_id(user_id) -> User | None:
    """The account with this id as the ORM would load it, or None."""
    statement = prepared(
        ("signed-in user",),
        {"user": "int"},
        lambda stand_ins: compiled(User.objects.filter(pk=stand_ins["user"])),
    )
    with server_prepared_cursor() as cursor:
        cursor.execute(*statement.bind(user=int(user_id)))
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, converters, expression in _columns_and_converters():
        for converter in converters:
            values[index] = converter(values[index], expression, connection)
    return User.from_db(connection.alias, _FIELDS, values)


class FastUserMixin:
    def get_user(self, user_id):
        user = user_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(FastUserMixin, DjangoBackend):
    """Django's backend (the admin's password sign-in, `force_login` in tests)."""


class AuthenticationBackend(FastUserMixin, AllauthBackend):
    """allauth's backend (sign-in by handle or email)."""
