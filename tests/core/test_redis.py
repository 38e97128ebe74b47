"""Redis for the cache, the rate counters and the task queue, on a real redis-server that each
test starts on a port of its own and kills in the middle: the site goes on without it (no
500), counts its limits in the database meanwhile, and keeps the tasks it could not hand to
Redis in the database queue, where `agora worker` runs them."""

import os
import subprocess
import sys
import time

import pytest
import redis
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django_tasks_db.models import DBTaskResult

from agora.core import cache as resilient_cache
from agora.core import taskqueue
from agora.core.env import env_redis_url
from agora.core.models import RateCount
from agora.core.tasks import send_email
from agora.social.models import Post
from tests.core.test_ratelimit import post_form
from tests.core.test_serve import free_port
from tests.factories import UserFactory
from tests.helpers import signed_in

REDIS_SERVER = "/usr/bin/redis-server"


@pytest.fixture
def redis_server():
    """A redis-server of the test's own on a free port, without persistence; its URL (database
    11). The test may kill it."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/11"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.02)
    server.url = url
    yield server
    server.kill()
    server.wait(timeout=10)
    resilient_cache.ResilientRedisCache.paused_until = 0.0
    taskqueue.RedisBackend.paused_until = 0.0


@pytest.fixture
def tasks_on_redis(redis_server, settings):
    """The site's tasks go to RQ on the test's own redis-server, with the database queue
    beside it, as `REDIS_URL` and `AGORA_TASK_QUEUE=redis` set them; the server."""
    queues = ["default", "email"]
    settings.TASKS = {
        "default": {"BACKEND": "agora.core.taskqueue.RedisBackend", "QUEUES": queues},
        "database": {"BACKEND": "agora.core.taskqueue.DatabaseBackend", "QUEUES": queues},
    }
    settings.RQ_QUEUES = {name: {"URL": redis_server.url} for name in queues}
    settings.AGORA_TASK_QUEUE = "redis"
    return redis_server


def stop(server) -> None:
    server.kill()  # SIGKILL: Redis goes away as a crashed machine's would
    server.wait(timeout=10)


@pytest.mark.django_db
def test_while_redis_is_away_pages_answer_and_limits_count_in_the_database(redis_server, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "agora.core.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
    settings.AGORA_RATE_COUNTERS = "cache"
    settings.AGORA_POST_RATE = "2/h"
    ada = UserFactory()
    client = signed_in(ada)
    assert client.post("/posts/new", post_form("With Redis")).status_code == 302
    assert redis.Redis.from_url(redis_server.url).keys("*rate:posts*")  # counted in Redis
    assert not RateCount.objects.exists()

    stop(redis_server)

    assert client.get("/").status_code == 200  # the session is read from the database
    assert Client().get("/").status_code == 200
    assert client.post("/posts/new", post_form("Without")).status_code == 302
    assert client.post("/posts/new", post_form("Again")).status_code == 302
    refused = client.post("/posts/new", post_form("One too many"))
    assert refused.status_code == 400 and "too often" in refused.content.decode()
    # The two written while Redis was away (the refused one rolls back with its post).
    assert RateCount.objects.filter(key__startswith="posts:").get().count == 2
    assert Post.objects.filter(author=ada).count() == 3


@pytest.mark.django_db
def test_the_cache_keeps_one_redis_client_for_its_calls(redis_server, settings):
    """Django makes a `redis.Redis` for every cache call; ours keeps one per connection pool
    (a `redis.Redis` takes a connection from the pool for each command)."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "agora.core.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
    cache = caches["default"]
    client = cache._cache.get_client()
    cache.set("kept", 1)
    assert cache.get("kept") == 1 and cache.incr("kept") == 2
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client  # one server: one pool
    assert redis.Redis.from_url(redis_server.url).exists(cache.make_key("kept"))


def scrape() -> str:
    response = Client().get("/metrics", headers={"Authorization": "Bearer scrape"})
    assert response.status_code == 200
    return response.content.decode()


def waiting_in(metrics: str, backend: str) -> float | None:
    """The email queue's depth in a backend, as /metrics says it, and that its oldest task's
    age is said beside it."""
    from prometheus_client.parser import text_string_to_metric_families

    figures = {
        (sample.name, sample.labels.get("backend")): sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
        if sample.labels.get("queue") == "email"
    }
    if ("agora_tasks_waiting", backend) in figures:
        assert 0 <= figures[("agora_tasks_oldest_waiting_seconds", backend)] < 60
    return figures.get(("agora_tasks_waiting", backend))


@pytest.mark.django_db
def test_tasks_go_to_redis_and_wait_in_the_database_while_it_is_away(
    tasks_on_redis, settings, run_worker
):
    redis_server = tasks_on_redis
    message = {"body": "Body", "to": ["x@example.org"], "from_email": "a@b.example"}
    message_keys = iter(["through-redis", "while-away", "third", "fourth"])

    sent_by_redis = send_email.enqueue(subject="Through Redis", **message, key=next(message_keys))
    assert sent_by_redis.backend == "default"
    assert redis.Redis.from_url(redis_server.url).llen("rq:queue:email") == 1
    settings.AGORA_METRICS_TOKEN = "scrape"
    assert waiting_in(scrape(), "redis") == 1.0
    assert [m.subject for m in run_worker()] == ["Through Redis"]  # RQ's worker, in burst

    stop(redis_server)
    started = time.monotonic()
    waiting = send_email.enqueue(subject="While Redis is away", **message, key=next(message_keys))
    assert time.monotonic() - started < 2
    assert waiting.backend == "database"
    assert DBTaskResult.objects.get(pk=waiting.id).status == "READY"
    queue_figures = scrape()  # Redis away: the scrape answers, with the database's figures
    assert waiting_in(queue_figures, "redis") is None
    assert waiting_in(queue_figures, "database") == 1.0

    assert [m.subject for m in run_worker()] == ["Through Redis", "While Redis is away"]
    assert DBTaskResult.objects.get(pk=waiting.id).status == "SUCCESSFUL"
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://cache.internal:6379/0", "must start with redis://"),
        ("redis://:secret@/0", "names no host"),
        ("redis://cache.internal:6379/zero", "must be a number"),
    ],
)
def test_a_redis_url_that_does_not_parse_is_refused_naming_the_variable(url, problem, monkeypatch):
    monkeypatch.setenv("REDIS_URL", url)
    with pytest.raises(ImproperlyConfigured, match=problem) as refused:
        env_redis_url("REDIS_URL")
    assert str(refused.value).startswith("REDIS_URL: ") and "secret" not in str(refused.value)


def test_agora_does_not_start_with_a_redis_url_that_does_not_parse():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "agora.cli", "check"],
        env={**os.environ, "AGORA_ENV": "test", "REDIS_URL": "redis://:secret@cache:six/0"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "REDIS_URL: not a usable Redis URL: its port is not a number" in result.stderr
    assert "secret" not in result.stderr  # a password in the URL is never repeated


# Starts server or worker processes of its own: run once, on PostgreSQL, as the browser tests are.
pytestmark = pytest.mark.servers
