"""How long something took, written as people say it: minutes under an hour, hours under two
days, days beyond. One helper, so every page that shows such a time reads the same."""

from datetime import timedelta

from django.utils.translation import ngettext


def duration_text(value: timedelta) -> str:
    """ "45 minutes", "3 hours", "2 days", rounded to the nearest whole unit (at least one
    minute, so a case answered in seconds does not read "0 minutes")."""
    minutes = max(1, round(value.total_seconds() / 60))
    if minutes < 60:
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    hours = round(minutes / 60)
    if hours < 48:
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    days = round(hours / 24)
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
