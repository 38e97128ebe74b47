"""What petitions plug into notifications: a petition you started was published or rejected;
the response or the debate's outcome of a petition you signed; and, for the office, a
petition that reached a threshold."""

from django.utils.translation import gettext_lazy as _

from agora.notifications.registry import register_kind
from agora.notifications.summary import notified_section, register_section

MODERATED = register_kind(
    "petition_moderated",
    label=_("Moderators published or rejected a petition you started"),
    template="petitions/notifications/petition_moderated.html",
)
THRESHOLD_REACHED = register_kind(
    "petition_threshold",
    label=_("A petition to your office reached a threshold"),
    template="petitions/notifications/petition_threshold.html",
)
RESPONDED = register_kind(
    "petition_responded",
    label=_("The response to a petition you signed or started"),
    template="petitions/notifications/petition_responded.html",
)
DEBATED = register_kind(
    "petition_debated",
    label=_("The outcome of the debate on a petition you signed or started"),
    template="petitions/notifications/petition_debated.html",
)

register_section(
    notified_section(
        _("Responses and debates on petitions you signed or started"), [RESPONDED, DEBATED]
    ),
    order=45,
)
