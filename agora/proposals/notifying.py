"""What proposals plug into notifications: an answer to a proposal you wrote, support or
follow the process of; and, for the office, a proposal that reached its threshold."""

from django.utils.translation import gettext_lazy as _

from agora.notifications.registry import register_kind
from agora.notifications.summary import notified_section, register_section

ANSWERED = register_kind(
    "proposal_answered",
    label=_("The official answer to a proposal you wrote, support or follow"),
    template="proposals/notifications/proposal_answered.html",
)
THRESHOLD_REACHED = register_kind(
    "proposal_threshold",
    label=_("A proposal your office must answer reached its threshold"),
    template="proposals/notifications/proposal_threshold.html",
)
MERGED = register_kind(
    "proposal_merged",
    label=_("A proposal you wrote was merged with another"),
    template="proposals/notifications/proposal_merged.html",
)

register_section(
    notified_section(_("Answers to proposals you wrote, support or follow"), [ANSWERED]), order=40
)
