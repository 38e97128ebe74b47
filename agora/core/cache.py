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
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 5.0
REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class CacheUnavailable(Exception):
    """The cache could not count: count somewhere else."""


class OneClientPerPool(RedisCacheClient):
    """Django's client for Redis, keeping one `redis.Redis` per connection pool. Django makes a
    new one for every cache call, and making one builds its table of some 170 reply handlers:
    a tenth of a millisecond of CPU, several times a request. A `redis.Redis` takes a
    connection from its pool for each command and gives it back, so threads share it."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients_by_pool", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class ResilientRedisCache(RedisCache):
    #: Until when (time.monotonic()) this process leaves Redis alone.
    paused_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = OneClientPerPool

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
