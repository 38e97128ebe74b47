"""Every change to notifications goes through these verbs. Other apps call `notify` inside
their own transaction; emails leave through the background worker after commit."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from agora.accounts.models import User
from agora.notifications import calm, registry
from agora.notifications.models import (
    Calm,
    Delivery,
    DigestOnly,
    EmailState,
    Notification,
    Preference,
)

DEFAULT_DELIVERY = Delivery.IN_APP

#: The calm settings read with each person told, in the same query (`models.Calm`).
CALM_FIELDS = tuple(
    f"notification_calm__{name}"
    for name in ("digest_only", "quiet_from", "quiet_until", "time_zone", "paused_until")
)


def notify(
    recipient,
    *,
    kind: str,
    actor,
    target: models.Model | None = None,
    url: str = "",
    excerpt: str = "",
) -> bool:
    """Tell one person that the actor did something, as their preference for the kind says:
    `notify_many` for one. Nobody is told about their own doing, nor about anything from
    someone kept apart from them (blocked either way). Returns whether they were told."""
    told = notify_many(
        User.objects.filter(pk=recipient.pk),
        kind=kind,
        actor=actor,
        target=target,
        url=url,
        excerpt=excerpt,
    )
    return told == 1


@transaction.atomic
def notify_many(
    recipients: QuerySet,
    *,
    kind: str,
    actor=None,
    office=None,
    event: str = "",
    subject: str = "",
    target: models.Model | None = None,
    url: str = "",
    excerpt: str = "",
    name_actor: bool = True,
    skip_muted: bool = False,
    at_once: bool = False,
) -> int:
    """Tell many people at once about one thing, in a fixed number of queries however many
    they are: one to read who is told and how (each one's preference for the kind, blocks with
    the actor, and mutes when `skip_muted`), one to write the notifications, and one background
    task for the emails to send at once. `actor` is the person who caused it (or None when
    nobody did): never told, and nobody kept apart from them (`registry.kept_apart`: blocks
    either way) is told; with `skip_muted`, nobody who quieted them either (mutes). With
    `name_actor` False the notifications do not record who it was (the resident who raised a
    case is not named to its followers). With `at_once` (urgent public information: a water
    outage, a road closure) the kind's digest and in-app-only choices are passed over: each
    person is told in the app and by email now, whatever their digest, quiet hours or pause
    (`models.Calm`); only "off" is still heeded. Otherwise each person's calm settings, read
    in the same query, may put the email into the digest, hold it until their quiet hours end
    (one background task, at the first end, sends what is due), or leave it out while they
    pause. Returns how many were told."""
    people = User.objects.filter(pk__in=recipients.values("pk"), is_active=True)
    if actor is not None:
        people = people.exclude(pk=actor.pk)
        for keep_out in (
            registry.kept_apart(actor, "pk"),
            registry.quieted(actor, "pk") if skip_muted else None,
        ):
            if keep_out is not None:
                people = people.exclude(keep_out)
    chosen = Preference.objects.filter(user=OuterRef("pk"), kind=kind).values("delivery")[:1]
    rows = people.annotate(delivery=Subquery(chosen)).values_list("pk", "delivery", *CALM_FIELDS)
    told = [
        (row[0], row[1] or DEFAULT_DELIVERY, dict(zip(CALM_FIELDS, row[2:], strict=True)))
        for row in rows
        if row[1] != Delivery.OFF
    ]
    if not told:
        return 0
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    email_states = {Delivery.EMAIL: EmailState.NOW, Delivery.DIGEST: EmailState.DIGEST}
    moment = timezone.now()
    routes = {}
    for person_id, delivery, person_calm in told:
        if at_once:
            # Urgent public information passes over digests, quiet hours and pauses.
            routes[person_id] = (EmailState.NOW, None)
        else:
            routes[person_id] = calm.email_route(
                email_states.get(delivery, EmailState.NONE),
                now=moment,
                **{field.split("__")[1]: value for field, value in person_calm.items()},
            )
    created = Notification.objects.bulk_create(
        Notification(
            recipient_id=person_id,
            kind=kind,
            actor=actor if name_actor else None,
            office=office,
            event=event,
            subject=subject[:200],
            target_type=target_type,
            target_id=target.pk if target is not None else None,
            url=url,
            excerpt=excerpt[:200],
            email_state=routes[person_id][0],
            email_after=routes[person_id][1],
        )
        for person_id, _delivery, _calm in told
    )
    now = [item.pk for item in created if item.email_state == EmailState.NOW]
    if now:
        from agora.notifications.tasks import email_notifications

        transaction.on_commit(lambda: email_notifications.enqueue(notification_ids=now))
    held = [item.email_after for item in created if item.email_state == EmailState.HELD]
    if held:
        from agora.notifications.tasks import send_held_emails

        first = min(held)
        transaction.on_commit(lambda: send_held_emails.using(run_after=first).enqueue())
    return len(created)


@transaction.atomic
def forget_targets(model: type[models.Model], ids: list[int]) -> int:
    """Remove the notifications about things that are gone (deleted comments), so nobody is
    sent to them or shown their words any more."""
    deleted, _detail = Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(model), target_id__in=ids
    ).delete()
    return deleted


@transaction.atomic
def set_preference(user, *, kind: str, delivery: str) -> Preference:
    if kind not in registry.kind_names() or delivery not in Delivery.values:
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


@transaction.atomic
def mark_one_read(user, notification_id: int) -> Notification | None:
    """Mark one of the user's notifications read; None when it is not theirs (or not there)."""
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def set_calm(
    user,
    *,
    digest_only: str = "",
    quiet_from=None,
    quiet_until=None,
    time_zone: str = "",
    pause_days: int | None = None,
    resume: bool = False,
    weekly_summary: bool = False,
) -> Calm:
    """Save a person's calm settings (`models.Calm`). Quiet hours need both ends and two
    different times; `pause_days` starts a pause of that many days from now; `resume` ends a
    pause at once; `weekly_summary` asks for the weekly summary email (`summary`). Raises
    ValueError on anything else."""
    if digest_only not in DigestOnly.values:
        raise ValueError(f"Unknown digest choice: {digest_only}")
    if (quiet_from is None) != (quiet_until is None) or (
        quiet_from is not None and quiet_from == quiet_until
    ):
        raise ValueError("Quiet hours need a start and a different end.")
    if time_zone and calm.zone_of(time_zone).key != time_zone:
        raise ValueError(f"Unknown time zone: {time_zone}")
    if pause_days is not None and not 1 <= pause_days <= 90:
        raise ValueError("A pause lasts from 1 to 90 days.")
    settings_row, _created = Calm.objects.get_or_create(user=user)
    settings_row.digest_only = digest_only
    settings_row.quiet_from = quiet_from
    settings_row.quiet_until = quiet_until
    settings_row.time_zone = time_zone
    settings_row.weekly_summary = weekly_summary
    if resume:
        settings_row.paused_until = None
    elif pause_days is not None:
        settings_row.paused_until = timezone.now() + timedelta(days=pause_days)
    settings_row.save()
    return settings_row


@transaction.atomic
def stop_weekly_summary(person_id: int) -> bool:
    """Stop a person's weekly summary (the link in it, which needs no sign-in); answers
    whether one was on."""
    return bool(
        Calm.objects.filter(user_id=person_id, weekly_summary=True).update(weekly_summary=False)
    )
