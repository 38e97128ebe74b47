"""iCalendar (RFC 5545) for meetings, written by hand: a meeting's `.ics` and the feeds of a
process, an office and a person. Lines end in CRLF and fold at 75 octets; text escapes
backslashes, semicolons, commas and newlines. The online link is never in a calendar: it is
for registered people, on the page."""

from datetime import UTC

from django.conf import settings
from django.core import signing
from django.utils import timezone

PRODUCT = "-//Agora//Meetings//EN"
FEED_SALT = "agora.meetings.calendar"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for character in line:
        piece = character.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _stamp(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(meeting, now) -> list[str]:
    host = settings.SITE_URL.split("://", 1)[-1].split("/")[0] or "agora"
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{host}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(meeting.starts_at)}",
        f"DTEND:{_stamp(meeting.ends_at)}",
        f"SUMMARY:{_escape(meeting.title)}",
        f"URL:{settings.SITE_URL}{meeting.get_absolute_url()}",
    ]
    described = "\n".join(part for part in (meeting.description, *meeting.agenda) if part)
    if described:
        lines.append(f"DESCRIPTION:{_escape(described)}")
    if meeting.in_person and meeting.address:
        lines.append(f"LOCATION:{_escape(meeting.address)}")
        if meeting.latitude is not None and meeting.longitude is not None:
            lines.append(f"GEO:{meeting.latitude};{meeting.longitude}")
    lines.append("END:VEVENT")
    return lines


def calendar(meetings, *, name: str) -> str:
    now = timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT}", "CALSCALE:GREGORIAN"]
    lines.append(f"X-WR-CALNAME:{_escape(name)}")
    for meeting in meetings:
        lines += _event(meeting, now)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def feed_token(person) -> str:
    """The secret part of a person's feed address: calendar apps cannot sign in."""
    return signing.dumps(person.pk, salt=FEED_SALT)


def person_of_token(token: str) -> int | None:
    try:
        return signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
