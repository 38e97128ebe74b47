"""The task queue's two backends: the database (the default, `django_tasks_db`) and Redis
through RQ (`django_tasks_rq`, when `REDIS_URL` is set), both carrying the request's id to the
worker (`core.logs`).

With Redis, a task that cannot be handed to Redis (Redis stopped, restarting, out of reach) is
written to the database queue instead (the backend named `FALLBACK`), and `agora worker`
serves both queues, so nothing is lost and the request that enqueued it answers as usual.
After a failure Redis is not tried again for `PAUSE_SECONDS`, so an outage costs each request
one refused connection at most, not one per task.
"""

import logging
import time

import redis.exceptions
from django_tasks_db.backend import DatabaseBackend as BaseDatabaseBackend

from agora.core.logs import carry_into

logger = logging.getLogger(__name__)

#: The alias of the database backend that takes what Redis cannot.
FALLBACK = "database"
PAUSE_SECONDS = 5.0
REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class DatabaseBackend(BaseDatabaseBackend):
    def enqueue(self, task, args, kwargs):
        return super().enqueue(task, args, carry_into(kwargs))


try:
    from django_tasks_rq import RQBackend
except ImportError:  # pragma: no cover - the lock installs it; only a partial install lacks it
    RQBackend = None


if RQBackend is not None:

    class RedisBackend(RQBackend):
        """RQ, falling back to the database queue while Redis does not answer."""

        #: Until when (time.monotonic()) this process sends tasks to the database queue.
        paused_until = 0.0

        def enqueue(self, task, args, kwargs):
            kwargs = carry_into(kwargs)
            if time.monotonic() >= RedisBackend.paused_until:
                try:
                    return super().enqueue(task, args, kwargs)
                except REDIS_DOWN as error:
                    RedisBackend.paused_until = time.monotonic() + PAUSE_SECONDS
                    logger.warning(
                        "Redis did not take task %s (%s); it waits in the database queue.",
                        task.module_path,
                        error,
                    )
            return task.using(backend=FALLBACK).enqueue(*args, **kwargs)
