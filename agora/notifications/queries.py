"""Reading notifications: only those from people the recipient still has no block with."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from agora.notifications.models import Notification


def notifications_for(user) -> QuerySet:
    from agora.social.models import Block

    actor = OuterRef("actor")
    blocked = Exists(
        Block.objects.filter(Q(blocker=user, blocked=actor) | Q(blocker=actor, blocked=user))
    )
    return (
        Notification.objects.filter(recipient=user, actor__is_active=True)
        .exclude(blocked)
        .select_related("actor")
    )


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()
