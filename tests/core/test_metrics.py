"""/metrics (`core.metrics`): only for the operator's token or addresses; requests counted by
route pattern, status and queries; the task queue and the workers' heartbeats read at each
scrape. /healthz is liveness, /readyz readiness."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from agora.core import views
from agora.core.models import WorkerHeartbeat
from agora.core.tasks import send_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "a-long-scrape-token"


@pytest.fixture
def scraping(settings):
    settings.AGORA_METRICS_TOKEN = TOKEN

    def scrape() -> dict:
        response = Client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
        samples = {}
        for family in text_string_to_metric_families(response.content.decode()):
            for sample in family.samples:
                samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        return samples

    return scrape


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_answer_only_the_operators_token_or_addresses(settings):
    assert Client().get("/metrics").status_code == 404  # neither set: as if not there
    settings.AGORA_METRICS_TOKEN = TOKEN
    assert Client().get("/metrics").status_code == 404
    wrong = Client().get("/metrics", headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 404
    right = Client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert right.status_code == 200
    settings.AGORA_METRICS_TOKEN = ""
    import ipaddress

    settings.AGORA_METRICS_ALLOW = [ipaddress.ip_network("10.1.0.0/16")]
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.2.0.1").get("/metrics").status_code == 404


def test_requests_are_counted_by_route_pattern_status_and_queries(scraping, client):
    from agora.social import services

    post = services.create_post(by=UserFactory(), body="Counted.")
    before = scraping()
    route = "/posts/<int:post_id>/"
    for _time in range(3):
        assert client.get(f"/posts/{post.pk}/").status_code == 200
    assert client.get("/posts/999999/").status_code == 404
    after = scraping()
    counted = value(after, "agora_http_requests_total", route=route, method="GET", status="200")
    assert (
        counted
        - value(before, "agora_http_requests_total", route=route, method="GET", status="200")
        == 3
    )
    assert value(after, "agora_http_requests_total", route=route, method="GET", status="404") >= 1
    assert not any(f"/posts/{post.pk}/" in str(key) for key in after), "never the address asked"
    queries = value(after, "agora_db_queries_per_request_sum", route=route) - value(
        before, "agora_db_queries_per_request_sum", route=route
    )
    assert queries >= 4, "each of the four requests read the post"
    timed = value(after, "agora_http_request_duration_seconds_count", route=route)
    assert timed - value(before, "agora_http_request_duration_seconds_count", route=route) == 4


def test_the_queue_and_the_workers_are_read_at_each_scrape(
    scraping, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_email.enqueue(
            subject="s", body="b", to=["a@example.org"], from_email="f@example.org", key="s-1"
        )
    WorkerHeartbeat.objects.create(name="host:1", seen_at=timezone.now() - timedelta(seconds=40))
    samples = scraping()
    assert value(samples, "agora_tasks_waiting", queue="email", backend="database") == 1
    assert (
        value(samples, "agora_tasks_oldest_waiting_seconds", queue="email", backend="database") >= 0
    )
    assert 40 <= value(samples, "agora_worker_last_seen_seconds", worker="host:1") < 100


def test_the_worker_beats_until_it_is_stopped(transactional_db):
    from agora.site.management.commands.worker import beat

    stop = threading.Event()
    stop.set()  # one beat, then stop
    beat("host:2", stop)
    assert WorkerHeartbeat.objects.get(name="host:2").seen_at > timezone.now() - timedelta(
        seconds=5
    )


def test_liveness_does_not_ask_the_database_and_readiness_does(client, settings):
    settings.REDIS_URL = ""  # Redis is asked only when set (the next test)
    assert client.get("/readyz").json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
    }
    with mock.patch("agora.core.views.connection.cursor", side_effect=OperationalError("down")):
        assert client.get("/healthz").json() == {"status": "ok"}
        away = client.get("/readyz")
    assert away.status_code == 503
    assert away.json() == {"status": "unavailable", "database": "error", "migrations": "unknown"}


def test_readiness_waits_for_the_migrations_and_is_degraded_without_redis(
    client, monkeypatch, settings
):
    monkeypatch.setattr(views, "_migrations_applied", False)
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=[("x", 0)]
    ):
        pending = client.get("/readyz")
    assert pending.status_code == 503 and pending.json()["migrations"] == "error"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    degraded = client.get("/readyz")  # the site goes on without Redis: still in rotation
    assert degraded.status_code == 200
    assert degraded.json() == {
        "status": "degraded",
        "database": "ok",
        "redis": "error",
        "migrations": "ok",
    }
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert client.get("/readyz").json()["redis"] == "ok"
