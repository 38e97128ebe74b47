"""Reading notifications: only those from people the recipient is not kept apart from (no block
either way), and those nobody in particular caused (a case's news spoken by its office)."""

from django.db.models import Q, QuerySet

from agora.accounts.models import User
from agora.core.prepared import compiled, prepared, server_prepared_cursor
from agora.notifications import registry
from agora.notifications.models import Notification

#: Notifications a page (and an API page) shows at a time.
PAGE_SIZE = 30


def notifications_for(user) -> QuerySet:
    notifications = Notification.objects.filter(recipient=user).filter(
        Q(actor__isnull=True) | Q(actor__is_active=True)
    )
    keep_out = registry.kept_apart(user, "actor")
    if keep_out is not None:
        notifications = notifications.exclude(keep_out)
    return notifications.select_related("actor", "office")


def unread_count(user) -> int:
    """For the header of every page a signed-in person sees: compiled once, bound to them."""
    statement = prepared(
        ("unread notifications",),
        {"user": "int"},
        lambda stand_ins: _count_of(
            notifications_for(User(pk=stand_ins["user"])).filter(read_at__isnull=True)
        ),
    )
    with server_prepared_cursor() as cursor:
        cursor.execute(*statement.bind(user=user.pk))
        return cursor.fetchone()[0]


def unread_count_for(request) -> int:
    """The signed-in person's unread count, counted once per request however many parts of
    the page ask (0 for anonymous visitors)."""
    if not request.user.is_authenticated:
        return 0
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = unread_count(request.user)
    return request._unread_notifications


def _count_of(queryset: QuerySet) -> tuple[str, list]:
    sql, params = compiled(queryset.order_by().values("pk"))
    return f"SELECT count(*) FROM ({sql}) AS counted", params  # noqa: S608
