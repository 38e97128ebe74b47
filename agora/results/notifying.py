"""What results plug into notifications: an update of a result you follow, or of the result
of something you wrote or supported."""

from django.utils.translation import gettext_lazy as _

from agora.notifications.registry import register_kind
from agora.notifications.summary import notified_section, register_section

UPDATED = register_kind(
    "result_updated",
    label=_("An update of a result you follow, or of what came of your proposal or petition"),
    template="results/notifications/result_updated.html",
)

register_section(notified_section(_("Results that were updated"), [UPDATED]), order=50)
