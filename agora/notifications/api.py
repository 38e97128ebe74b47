"""The notifications part of the JSON API: your notifications, marking them read (all, some or
one), and your preferences per kind."""

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.http import Http404
from django.template.loader import render_to_string
from ninja import Field, Router, Schema

from agora.accounts.schemas import Author, shown_author
from agora.core.api.errors import error_responses
from agora.core.api.schemas import Id, Input
from agora.core.paging import page_by_time
from agora.notifications import registry, services
from agora.notifications.models import Delivery, Notification, Preference
from agora.notifications.queries import PAGE_SIZE, notifications_for, unread_count

router = Router(tags=["notifications"])

KindChoice = Literal[tuple(registry.kind_names())]
DeliveryChoice = Literal[tuple(Delivery.values)]


class Office(Schema):
    slug: str
    name: str


class NotificationOut(Schema):
    id: int
    kind: str
    text: str = Field(description="What happened, in a sentence in your language.")
    actor: Author | None = Field(
        description="Who did it; null when nobody did (a case routed to its office) or the "
        "person is not named (the resident who raised a case)."
    )
    office: Office | None = Field(description="The office that speaks, when one does.")
    event: str = Field(
        description="For `case_update`: `routed`, `acknowledged`, `transferred`, "
        "`info_requested`, `info_provided`, `answered`, `resolved`, `reopened` or `closed`."
    )
    subject: str = Field(description="What it is about, such as the case's title.")
    url: str = Field(description="Where it happened, as a full address; empty when nowhere.")
    excerpt: str
    created_at: datetime
    read: bool

    @staticmethod
    def resolve_text(notification: Notification, context) -> str:
        # Plain text, as in the emails: names are not escaped for HTML.
        return render_to_string(
            "notifications/_text.txt",
            {"notification": notification, "viewer": context["request"].auth},
        )

    @staticmethod
    def resolve_actor(notification: Notification, context) -> dict | None:
        return shown_author(notification.actor, context)

    @staticmethod
    def resolve_url(notification: Notification) -> str:
        return settings.SITE_URL + notification.url if notification.url else ""

    @staticmethod
    def resolve_read(notification: Notification) -> bool:
        return notification.is_read


class NotificationPage(Schema):
    items: list[NotificationOut]
    unread: int
    next_cursor: str | None


class MarkRead(Input):
    ids: list[Id] | None = Field(
        None, max_length=1000, description="Leave out to mark all read; at most 1,000 at once."
    )


class Marked(Schema):
    marked: int


class PreferenceOut(Schema):
    kind: KindChoice
    delivery: DeliveryChoice


class PreferenceChanges(Input):
    preferences: list[PreferenceOut] = Field(max_length=len(registry.kind_names()))


@router.get(
    "",
    response={200: NotificationPage, **error_responses(422)},
    summary="Your notifications",
    description="Newest first, paged by cursor: send `next_cursor` back as `before`.",
)
def list_notifications(request, before: str | None = None):
    page = page_by_time(notifications_for(request.auth), before, size=PAGE_SIZE)
    return {
        "items": page.items,
        "unread": unread_count(request.auth),
        "next_cursor": page.next_cursor,
    }


@router.post(
    "/read",
    response={200: Marked, **error_responses(400, 422)},
    summary="Mark notifications read",
)
def mark_read(request, body: MarkRead):
    return {"marked": services.mark_read(request.auth, notification_ids=body.ids)}


@router.post(
    "/{int:notification_id}/read",
    response={200: NotificationOut, **error_responses(404, 422)},
    summary="Mark one notification read",
    description="Answers the notification. Another person's notification answers 404.",
)
def mark_one_read(request, notification_id: int):
    if services.mark_one_read(request.auth, notification_id) is None:
        raise Http404
    return notifications_for(request.auth).get(pk=notification_id)


def _preferences(user) -> list[dict]:
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return [
        {"kind": kind, "delivery": chosen.get(kind, services.DEFAULT_DELIVERY)}
        for kind in registry.kind_names()
    ]


@router.get(
    "/preferences",
    response={200: list[PreferenceOut], **error_responses()},
    summary="How each kind of notification reaches you",
)
def read_preferences(request):
    return _preferences(request.auth)


@router.put(
    "/preferences",
    response={200: list[PreferenceOut], **error_responses(400, 422)},
    summary="Change how kinds of notification reach you",
    description="Kinds left out keep their setting.",
)
def update_preferences(request, changes: PreferenceChanges):
    for preference in changes.preferences:
        services.set_preference(request.auth, kind=preference.kind, delivery=preference.delivery)
    return _preferences(request.auth)
