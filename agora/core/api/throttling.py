"""One request budget per caller, at `AGORA_API_RATE`: per account when signed in, per address
otherwise, counted by `core.ratelimit` so that every process of the site counts together."""

import threading

from django.conf import settings
from ninja.conf import settings as ninja_settings
from ninja.throttling import SimpleRateThrottle

from agora.core.ratelimit import Rate


class ApiRateThrottle(SimpleRateThrottle):
    """ninja's own throttles keep the request being checked on the instance, which all
    requests share, so callers get mixed up when a server runs threads. This one keeps only
    the wait of a refusal, per thread. It reads AGORA_API_RATE on every request, so a changed
    setting (in a test, say) applies at once."""

    scope = "api"

    def __init__(self) -> None:
        self._refusal = threading.local()
        super().__init__(rate=settings.AGORA_API_RATE)  # a malformed rate fails at start-up

    def get_ident(self, request) -> str | None:
        """The caller's address. `X-Forwarded-For` is trusted only as far as NINJA_NUM_PROXIES
        says there are proxies in front; unset, anyone could claim any address with it."""
        if ninja_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR")
        return super().get_ident(request)

    def get_cache_key(self, request) -> str:
        caller = getattr(request, "auth", None)
        if caller is not None and caller.is_authenticated:
            ident = f"account:{caller.pk}"
        else:
            ident = f"address:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request) -> bool:
        rate = Rate.parse(settings.AGORA_API_RATE)
        if rate is None:
            return True
        wait = rate.hit("api", self.get_cache_key(request))
        self._refusal.wait = wait
        return wait is None

    def wait(self) -> float | None:
        return getattr(self._refusal, "wait", None)
