"""What cases plug into notifications: news on a case and comments on it, for its followers,
and a new case for the officials of the office it arrives at."""

from django.utils.translation import gettext_lazy as _

from agora.notifications.registry import register_kind
from agora.notifications.summary import notified_section, register_section

CASE_UPDATE = register_kind(
    "case_update",
    label=_("News on a case you follow"),
    template="cases/notifications/case_update.html",
)
CASE_COMMENT = register_kind(
    "case_comment",
    label=_("Comment on a case you follow"),
    template="cases/notifications/case_comment.html",
)
CASE_ARRIVED = register_kind(
    "case_arrived",
    label=_("A new case for your office"),
    template="cases/notifications/case_arrived.html",
)

register_section(
    notified_section(_("News on your cases and the cases you follow"), [CASE_UPDATE]), order=30
)
