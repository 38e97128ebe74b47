"""Reading notifications: only those from people the recipient still has no block with, and
those nobody in particular caused (a case's news spoken by its office)."""

from django.db import connection
from django.db.models import Q, QuerySet

from agora.accounts.models import User
from agora.core.prepared import compiled, prepared
from agora.notifications.models import Notification


def notifications_for(user) -> QuerySet:
    from agora.social.permissions import blocked_either_way

    return (
        Notification.objects.filter(recipient=user)
        .filter(Q(actor__isnull=True) | Q(actor__is_active=True))
        .exclude(blocked_either_way(user, "actor"))
        .select_related("actor", "office")
    )


def unread_count(user) -> int:
    """For the header of every page a signed-in person sees: compiled once, bound to them."""
    statement = prepared(
        ("unread notifications",),
        {"user": "int"},
        lambda stand_ins: _count_of(
            notifications_for(User(pk=stand_ins["user"])).filter(read_at__isnull=True)
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute(*statement.bind(user=user.pk))
        return cursor.fetchone()[0]


def _count_of(queryset: QuerySet) -> tuple[str, list]:
    sql, params = compiled(queryset.order_by().values("pk"))
    return f"SELECT count(*) FROM ({sql}) AS counted", params  # noqa: S608
