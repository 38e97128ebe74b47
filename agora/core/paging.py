"""Keyset paging, the one way Agora pages a list: newest first, after a cursor, never an
offset, so the thousandth page costs what the first does (each list has the index its order
needs). Two keys: the time a row was made with its id as the tie-breaker, for lists ordered by
time (posts, notifications), and the id alone, for lists whose ids grow with time (cases); and,
earliest first, any moment with the id, for short lists ordered by a deadline."""

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

#: Ids are 64-bit in every database Agora runs on; a cursor past them is no cursor.
_ID_RANGE = range(-(2**63), 2**63)


@dataclass
class Page:
    items: list
    next_cursor: str | None


def encode_cursor(row) -> str:
    """The cursor after `row`, for a list ordered by its `created_at` and id."""
    return _encode(row.created_at, row.pk)


def _encode(moment: datetime, pk: int) -> str:
    raw = f"{moment.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    """A cursor from a link or a client; anything malformed reads as no cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, _sep, pk = raw.partition("|")
        created_at = parse_datetime(stamp)
        if created_at is None or created_at.tzinfo is None:  # ours always carry an offset
            return None
        # In UTC, as ours are: an offset in seconds, or a date that UTC puts out of range,
        # is nothing the database takes.
        created_at = created_at.astimezone(UTC)
        pk = int(pk)
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError):
        return None
    if pk not in _ID_RANGE:
        return None
    return created_at, pk


def after(position: tuple[datetime, int]) -> Q:
    """The rows that come after `position` in newest-first order."""
    created_at, pk = position
    return Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk)


def page_by_time(rows: QuerySet, cursor: str | None, *, size: int) -> Page:
    """One page, newest first by `created_at` and id, after the cursor; with the cursor of the
    next page, or None on the last."""
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        rows = rows.filter(after(position))
    items = list(rows.order_by("-created_at", "-id")[: size + 1])  # one over: there is more
    next_cursor = encode_cursor(items[size - 1]) if len(items) > size else None
    return Page(items=items[:size], next_cursor=next_cursor)


def id_cursor(value: str | None) -> int | None:
    """An id cursor from a link; anything malformed reads as no cursor."""
    try:
        before = int(value or "")
    except ValueError:
        return None
    return before if before in _ID_RANGE else None


def page_by_id(rows: QuerySet, cursor: str | None, *, size: int) -> Page:
    """One page, newest (highest id) first, below the id in the cursor; the next page's cursor
    is the last id shown, or None on the last page."""
    before = id_cursor(cursor)
    if before is not None:
        rows = rows.filter(pk__lt=before)
    items = list(rows.order_by("-pk")[: size + 1])
    next_cursor = str(items[size - 1].pk) if len(items) > size else None
    return Page(items=items[:size], next_cursor=next_cursor)


def page_by_moment(rows: QuerySet, cursor: str | None, *, key: str, size: int) -> Page:
    """One page, earliest first by the datetime `key` (a column or an annotation, never null,
    such as a deadline) and id, after the cursor; with the next page's cursor, or None on the
    last. The rows should be few enough to sort (an office's open cases, not its history)."""
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        moment, pk = position
        rows = rows.filter(Q(**{f"{key}__gt": moment}) | Q(**{key: moment, "pk__gt": pk}))
    items = list(rows.order_by(key, "pk")[: size + 1])
    next_cursor = None
    if len(items) > size:
        next_cursor = _encode(getattr(items[size - 1], key), items[size - 1].pk)
    return Page(items=items[:size], next_cursor=next_cursor)
