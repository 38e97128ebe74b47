"""Reading notifications: only those from people the recipient still has no block with, and
those nobody in particular caused (a case's news spoken by its office)."""

from django.db.models import Q, QuerySet

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
    return notifications_for(user).filter(read_at__isnull=True).count()
