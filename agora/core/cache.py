"""The shared cache in Redis, which the site can do without: while Redis does not answer, a
read is a miss and a write is dropped, so pages are built afresh, sessions are read from the
database (`cached_db`) and nothing answers 500. A counter (`incr`) raises `CacheUnavailable`
instead, so that `core.ratelimit` counts in the database meanwhile.

After a failure Redis is left alone for `PAUSE_SECONDS` in this process, so an outage costs a
request at most one refused (or timed-out) connection, not one per cache call.
"""

import logging
import time

import redis.exceptions
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 5.0
REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class CacheUnavailable(Exception):
    """The cache could not count: count somewhere else."""


class ResilientRedisCache(RedisCache):
    #: Until when (time.monotonic()) this process leaves Redis alone.
    paused_until = 0.0

    def _attempt(self, absent, method: str, *args):
        """RedisCache's `method`, or `absent` while Redis does not answer."""
        if time.monotonic() < ResilientRedisCache.paused_until:
            return absent
        try:
            return getattr(super(), method)(*args)
        except REDIS_DOWN as error:
            ResilientRedisCache.paused_until = time.monotonic() + PAUSE_SECONDS
            logger.warning("The cache (Redis) does not answer: %s; going on without it.", error)
            return absent

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(False, "add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._attempt(default, "get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(None, "set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(False, "touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._attempt(False, "delete", key, version)

    def get_many(self, keys, version=None):
        return self._attempt({}, "get_many", keys, version)

    def has_key(self, key, version=None):
        return self._attempt(False, "has_key", key, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(list(data), "set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._attempt(None, "delete_many", keys, version)

    def clear(self):
        return self._attempt(False, "clear")

    def incr(self, key, delta=1, version=None):
        missing = object()
        counted = self._attempt(missing, "incr", key, delta, version)
        if counted is missing:
            raise CacheUnavailable(key)
        return counted
