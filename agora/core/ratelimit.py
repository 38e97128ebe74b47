"""Rate limits that hold across every process of a site: "at most N of this per caller per
period". One counter per caller and thing, raised atomically.

With Redis (`REDIS_URL`) the counters live there (`cache.incr` is atomic in Redis); without it,
and while Redis does not answer (`core.cache`), in the database (`RateCount`), raised by one
`INSERT … ON CONFLICT DO UPDATE … RETURNING`, which PostgreSQL and SQLite both run atomically.
Either way two gunicorn workers, or two machines sharing the database, count together; a
per-process cache would let each worker allow the whole budget.

A caller's window begins with their first hit and lasts the period; the next hit after it
begins a new one. So a caller can at worst spend a budget at the end of one window and again at
once: twice the rate over a short stretch, never more. A refusal says how long until the window
ends (`Retry-After`).

    limit = Rate.parse("30/h")
    wait = limit.hit("posts", f"account:{user.pk}")   # None, or seconds to wait
"""

import ipaddress
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection
from django.utils.translation import ngettext

from agora.core.cache import CacheUnavailable

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
#: One hit in this many also deletes the counters of windows that began over two days ago
#: (0: never; the tests turn it off so that a pinned query count does not meet it by chance).
SWEEP_ONE_IN = 200


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate | None":
        """`"30/h"`, `"120/m"`, `"5/10m"`; `"0"` or empty for no limit (None)."""
        text = text.strip()
        if text in ("", "0"):
            return None
        try:
            count, period = text.split("/")
            number = period[:-1] or "1"
            seconds = int(number) * PERIODS[period[-1]]
            rate = cls(int(count), seconds)
        except (ValueError, KeyError) as error:
            raise ImproperlyConfigured(
                f"{text!r} is not a rate: use a count per period, like 30/h or 120/m."
            ) from error
        if rate.limit < 1 or rate.seconds < 1:
            raise ImproperlyConfigured(f"{text!r} is not a rate: the count must be at least 1.")
        return rate

    def hit(self, scope: str, ident: str) -> float | None:
        """Count one more for this caller; None when within the limit, else the seconds until
        their window ends."""
        key = f"{scope}:{self.limit}/{self.seconds}:{ident}"[:200]
        count, ends_in = _raise_counter(key, self.seconds)
        return None if count <= self.limit else max(ends_in, 0.001)


def _raise_counter(key: str, seconds: int) -> tuple[int, float]:
    """The caller's count including this hit, and the seconds left in their window."""
    if settings.AGORA_RATE_COUNTERS == "cache":
        name = f"rate:{key}"
        try:
            cache.add(name, 0, seconds)
            try:
                return cache.incr(name), seconds
            except ValueError:  # expired between add and incr
                cache.add(name, 1, seconds)
                return 1, seconds
        except CacheUnavailable:  # Redis is away: the database counts meanwhile
            pass
    now_ms = int(time.time() * 1000)
    period_ms = seconds * 1000
    table = connection.ops.quote_name("core_ratecount")
    expired = f"{table}.started_ms <= %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, started_ms, count) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (key) DO UPDATE SET "
            f"count = CASE WHEN {expired} THEN 1 ELSE {table}.count + 1 END, "
            f"started_ms = CASE WHEN {expired} THEN %s ELSE {table}.started_ms END "
            "RETURNING count, started_ms",
            [key, now_ms, now_ms - period_ms, now_ms - period_ms, now_ms],
        )
        count, started_ms = cursor.fetchone()
        if SWEEP_ONE_IN and random.randrange(SWEEP_ONE_IN) == 0:  # noqa: S311 - not a secret
            cursor.execute(
                f"DELETE FROM {table} WHERE started_ms < %s",  # noqa: S608
                [now_ms - 2 * 86_400_000],
            )
    return count, (started_ms + period_ms - now_ms) / 1000


class RateLimited(ValidationError):
    """Too many of one thing too fast. A ValidationError, so a page's form shows it beside
    what was typed (and keeps it); the API answers 429 with `Retry-After`."""

    def __init__(self, wait: float):
        self.wait = max(1, round(wait))
        minutes = -(-self.wait // 60)
        if self.wait < 120:
            message = ngettext(
                "You are doing this too often. Try again in %(count)d second.",
                "You are doing this too often. Try again in %(count)d seconds.",
                self.wait,
            ) % {"count": self.wait}
        else:
            message = ngettext(
                "You are doing this too often. Try again in %(count)d minute.",
                "You are doing this too often. Try again in %(count)d minutes.",
                minutes,
            ) % {"count": minutes}
        super().__init__(message, code="rate_limited")


def network_of(address: str | None) -> str:
    """The range an address belongs to (IPv4 /24, IPv6 /48), never the address itself: what
    limits per address range count, and all a signature keeps. "" for no address."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    prefix = 24 if parsed.version == 4 else 48
    return str(ipaddress.ip_network(f"{parsed}/{prefix}", strict=False))


def check(rate_setting: str, scope: str, person) -> None:
    """Raise RateLimited when `person` (an account) has used up the rate named by the setting
    (a string like "30/h", read at each call so a test may change it)."""
    rate = Rate.parse(getattr(settings, rate_setting))
    if rate is None:
        return
    wait = rate.hit(scope, f"account:{person.pk}")
    if wait is not None:
        raise RateLimited(wait)
