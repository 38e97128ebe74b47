"""What social plugs into notifications: the kinds of notification it sends, and blocks and
mutes as who must not reach whom."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from agora.notifications.registry import register_barrier, register_kind, register_quieting
from agora.social.models import Mute
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


def muted_by(actor, field: str) -> Exists:
    """For a queryset's rows: whether the person in the row's `field` muted the actor."""
    return Exists(Mute.objects.filter(muter=OuterRef(field), muted=actor))


register_barrier(blocked_either_way)
register_quieting(muted_by)
