"""What moderation plugs into notifications: a decision about something a person wrote (the
statement of reasons), the outcome of a report, and the answer to an appeal. The moderation
team speaks, not a moderator by name: nobody can block their way out of a statement."""

from django.utils.translation import gettext_lazy as _

from agora.notifications.registry import register_kind

DECISION = "moderation_decision"
REPORT_OUTCOME = "moderation_outcome"
REPORT_RECEIVED = "moderation_received"
MISUSE = "moderation_misuse"


def connect() -> None:
    register_kind(
        DECISION,
        label=_("A moderation decision about what you wrote"),
        template="moderation/notifications/moderation_decision.html",
    )
    register_kind(
        REPORT_RECEIVED,
        label=_("Your report was received"),
        template="moderation/notifications/moderation_received.html",
    )
    register_kind(
        MISUSE,
        label=_("A warning or a limit for repeated misuse"),
        template="moderation/notifications/moderation_misuse.html",
    )
    register_kind(
        REPORT_OUTCOME,
        label=_("The outcome of your report"),
        template="moderation/notifications/moderation_outcome.html",
    )
