"""What notifications hold about a person (see `agora.accounts.holdings`): what they were
told, what others were told of what they did, and their choices of delivery."""

from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare

declare(
    Holding(
        model="notifications.Notification",
        person="recipient",
        kind="notifications",
        about=_(
            "The notifications you received: their kind, who they were about (by the name they "
            "show you), their subject, and when you read them."
        ),
        columns=("kind", "actor", "subject", "created_at", "read_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="notifications.Notification",
        person="actor",
        kind="notifications_about_you",
        about=_("What others were told of what you did: in their files, not yours."),
        export=False,
        leave=Leave.ERASE,
    ),
    Holding(
        model="notifications.Preference",
        person="user",
        kind="notification_preferences",
        about=_("How you chose to receive each kind of notification."),
        columns=("kind", "delivery"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="notifications.Calm",
        person="user",
        kind="calm_settings",
        about=_(
            "Your calm settings: one summary, quiet hours, your time zone, any pause, and "
            "whether and when you were sent a weekly summary."
        ),
        columns=(
            "digest_only",
            "quiet_from",
            "quiet_until",
            "time_zone",
            "paused_until",
            "weekly_summary",
            "summary_sent_at",
        ),
        leave=Leave.ERASE,
    ),
)
