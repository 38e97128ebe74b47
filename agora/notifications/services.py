"""Every change to notifications goes through these verbs. Other apps call `notify` inside
their own transaction; emails leave through the background worker after commit."""

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from agora.notifications.models import Delivery, EmailState, Kind, Notification, Preference

DEFAULT_DELIVERY = Delivery.IN_APP


def delivery_for(user, kind: str) -> str:
    preference = Preference.objects.filter(user=user, kind=kind).first()
    return preference.delivery if preference else DEFAULT_DELIVERY


def _blocked_between(person, other) -> bool:
    # Imported here: social depends on notifications, not the other way round at import time.
    from agora.social.models import Block

    return Block.objects.filter(
        Q(blocker=person, blocked=other) | Q(blocker=other, blocked=person)
    ).exists()


@transaction.atomic
def notify(
    recipient,
    *,
    kind: str,
    actor,
    target: models.Model | None = None,
    url: str = "",
    excerpt: str = "",
) -> Notification | None:
    """Tell the recipient that the actor did something, as their preference for the kind says.
    Nobody is told about their own doing, nor about anything from someone blocked either way."""
    if recipient.pk == actor.pk or not recipient.is_active:
        return None
    delivery = delivery_for(recipient, kind)
    if delivery == Delivery.OFF or _blocked_between(recipient, actor):
        return None
    email_state = {Delivery.EMAIL: EmailState.NOW, Delivery.DIGEST: EmailState.DIGEST}.get(
        delivery, EmailState.NONE
    )
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        actor=actor,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        url=url,
        excerpt=excerpt[:200],
        email_state=email_state,
    )
    if email_state == EmailState.NOW:
        from agora.notifications.tasks import email_notification

        transaction.on_commit(lambda: email_notification.enqueue(notification_id=notification.pk))
    return notification


@transaction.atomic
def set_preference(user, *, kind: str, delivery: str) -> Preference:
    if kind not in Kind.values or delivery not in Delivery.values:
        raise ValueError(f"Unknown notification kind or delivery: {kind}, {delivery}")
    preference, _created = Preference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )
    return preference


@transaction.atomic
def mark_read(user, *, notification_ids: list[int] | None = None) -> int:
    """Mark some of the user's notifications read, or all of them when no ids are given."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
