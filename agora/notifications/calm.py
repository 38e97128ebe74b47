"""The calm settings' rules, without the database: whether a moment falls in a person's quiet
hours and when they end, and how one notification reaches a person given their calm settings."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

from agora.notifications.models import DigestOnly, EmailState


def zone_of(name: str):
    """The person's time zone, or the site's when they chose none (or one no longer known)."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.get_default_timezone()


def quiet_end(now: datetime, start: time | None, end: time | None, zone_name: str = ""):
    """When the quiet hours that `now` falls in end, or None when it falls in none. Hours that
    pass midnight (22:00 to 07:00) are one stretch."""
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(zone_of(zone_name))
    moment = local.time().replace(tzinfo=None)
    inside = start <= moment < end if start < end else moment >= start or moment < end
    if not inside:
        return None
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if ends <= local:
        ends = (local + timedelta(days=1)).replace(
            hour=end.hour, minute=end.minute, second=0, microsecond=0
        )
    return ends


def email_route(
    state: str,
    *,
    now: datetime,
    digest_only: str | None = "",
    quiet_from: time | None = None,
    quiet_until: time | None = None,
    time_zone: str | None = "",
    paused_until: datetime | None = None,
) -> tuple[str, datetime | None]:
    """How the email of one notification goes, from the state the kind's choice gave it (`NOW`,
    `DIGEST` or none): paused, no email; digest only, into the digest; in quiet hours, held
    until they end. Returns the state and, when held, when it may go."""
    if state == EmailState.NONE:
        return state, None
    if paused_until is not None and paused_until > now:
        return EmailState.NONE, None
    if digest_only in (DigestOnly.DAILY, DigestOnly.WEEKLY):
        return EmailState.DIGEST, None
    if state == EmailState.NOW:
        ends = quiet_end(now, quiet_from, quiet_until, time_zone or "")
        if ends is not None:
            return EmailState.HELD, ends
    return state, None
