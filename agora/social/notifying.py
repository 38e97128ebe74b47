"""What social plugs into notifications: the kinds of notification it sends, and blocks, mutes
and limited accounts as who must not reach whom."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from agora.moderation.restrictions import limited_authors
from agora.notifications.registry import register_barrier, register_kind, register_quieting
from agora.social.models import Follow, Mute
from agora.social.permissions import blocked_either_way

NEW_FOLLOWER = register_kind(
    "new_follower", label=_("New follower"), template="social/notifications/new_follower.html"
)
CONNECTION_REQUEST = register_kind(
    "connection_request",
    label=_("Connection request"),
    template="social/notifications/connection_request.html",
)
REPLY = register_kind("reply", label=_("Reply"), template="social/notifications/reply.html")
MENTION = register_kind("mention", label=_("Mention"), template="social/notifications/mention.html")
LIKE = register_kind("like", label=_("Like"), template="social/notifications/like.html")
SHARE = register_kind("share", label=_("Share"), template="social/notifications/share.html")
URGENT_ANNOUNCEMENT = register_kind(
    "urgent_announcement",
    label=_("Urgent announcement"),
    template="social/notifications/urgent_announcement.html",
)


def muted_by(actor, field: str) -> Exists:
    """For a queryset's rows: whether the person in the row's `field` muted the actor."""
    return Exists(Mute.objects.filter(muter=OuterRef(field), muted=actor))


def limited_reach(person, field: str) -> Q:
    """A limited account reaches only its followers, as what it writes does: notifications of
    what it did are neither sent to nor listed for anyone else. The one who acts is the row's
    `actor` when notifications are listed for `person`, and `person` when the rows are the
    people to tell. (What others do still reaches the limited person.)"""
    if field == "actor":
        followed = Follow.objects.filter(follower=person).values("followee")
        return Q(actor__in=limited_authors()) & ~Q(actor__in=followed)
    limited = Exists(limited_authors().filter(person=person.pk))
    follows = Exists(Follow.objects.filter(follower=OuterRef(field), followee=person.pk))
    return Q(limited) & ~Q(follows)


register_barrier(blocked_either_way)
register_barrier(limited_reach)
register_quieting(muted_by)
