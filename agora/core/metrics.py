"""What an operator's Prometheus reads at `/metrics`: requests by route and status, how long
they took, how many database queries each made, the task queue's depth and age, and when each
background worker was last seen.

- Counted by `MetricsMiddleware`, first in the chain so that it times everything. The route is
  the URL pattern that matched (`/posts/<int:post_id>/`), never the address asked, so the
  number of series stays bounded; what matched no pattern is `unmatched`.
- Under gunicorn each worker process counts its own; `agora serve` points
  `PROMETHEUS_MULTIPROC_DIR` at a fresh directory so that a scrape adds them up
  (prometheus_client's multiprocess mode), and gunicorn's `child_exit` hook retires a dead
  worker's files. A process without it (the development server, the tests) counts alone.
- The queue's figures and the workers' heartbeats are read at each scrape, labelled by the
  backend that holds the tasks: from the database, one query each (on the index of waiting
  tasks); from Redis when the queue is RQ, per queue a list's length (LLEN), its first job's
  id and that job's enqueue time, whatever the queue holds. With read replicas, their health
  and lag as this process last checked them (`core.replicas`).
- `/metrics` answers only a caller with `Authorization: Bearer <AGORA_METRICS_TOKEN>` or from
  an address in `AGORA_METRICS_ALLOW` (addresses or networks); anyone else, and everyone when
  neither is set, gets a 404 as if it were not there.
"""

import contextlib
import hmac
import ipaddress
import os
import time
from datetime import UTC, datetime

from django.conf import settings
from django.db import connections
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter(
    "agora_http_requests_total",
    "Requests answered, by route, method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "agora_http_request_duration_seconds",
    "Time to answer a request, by route.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUERIES = Histogram(
    "agora_db_queries_per_request",
    "Database queries made by one request, by route.",
    ["route"],
    buckets=(0, 1, 2, 4, 8, 12, 16, 24, 32, 64, 128),
)


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def route_of(request) -> str:
    if getattr(request, "metrics_route", None):  # answered from a hot copy (core.pagecache)
        return request.metrics_route
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return "/" + match.route if match.route else (match.view_name or "unmatched")


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _QueryCounter()
        started = time.perf_counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        route = route_of(request)
        REQUESTS.labels(route, request.method, str(response.status_code)).inc()
        LATENCY.labels(route).observe(time.perf_counter() - started)
        QUERIES.labels(route).observe(counter.count)
        return response


ASAP = datetime(9999, 1, 1, tzinfo=UTC)


class QueueCollector:
    """The task queue and the workers, read from the database at each scrape."""

    def collect(self):
        from django.db.models import Count, Min, Q
        from django_tasks import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        from agora.core.models import WorkerHeartbeat

        now = timezone.now()
        depth = GaugeMetricFamily(
            "agora_tasks_waiting",
            "Tasks waiting to run, by queue and backend.",
            labels=["queue", "backend"],
        )
        age = GaugeMetricFamily(
            "agora_tasks_oldest_waiting_seconds",
            "How long the oldest waiting task has waited, by queue and backend.",
            labels=["queue", "backend"],
        )
        waiting = (
            DBTaskResult.objects.filter(status=TaskResultStatus.READY)
            # django-tasks-db writes "as soon as possible" as the year 9999
            .filter(Q(run_after__lte=now) | Q(run_after__gte=ASAP))
            .values("queue_name")
            .annotate(count=Count("pk"), oldest=Min("enqueued_at"))
        )
        for row in waiting:
            depth.add_metric([row["queue_name"], "database"], row["count"])
            age.add_metric([row["queue_name"], "database"], (now - row["oldest"]).total_seconds())
        if settings.AGORA_TASK_QUEUE == "redis":
            for name, count, oldest in rq_waiting():
                depth.add_metric([name, "redis"], count)
                if oldest is not None:
                    age.add_metric([name, "redis"], max(0.0, (now - oldest).total_seconds()))
        yield depth
        yield age
        seen = GaugeMetricFamily(
            "agora_worker_last_seen_seconds",
            "Seconds since each background worker last said it was alive.",
            labels=["worker"],
        )
        for heartbeat in WorkerHeartbeat.objects.all():
            seen.add_metric([heartbeat.name], (now - heartbeat.seen_at).total_seconds())
        yield seen


def rq_waiting():
    """(queue, how many wait, when the first waiting was enqueued) for each of RQ's queues, in
    three Redis commands a queue; none while Redis does not answer (the scrape still answers,
    and what cannot reach Redis waits in the database queue, counted above)."""
    import django_rq
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    from agora.core.taskqueue import REDIS_DOWN

    rows = []
    try:
        for name in settings.RQ_QUEUES:
            queue = django_rq.get_queue(name)
            oldest = None
            for job_id in queue.get_job_ids(0, 1):
                # A job taken by a worker in between has no age this time.
                with contextlib.suppress(NoSuchJobError):
                    oldest = Job.fetch(job_id, connection=queue.connection).enqueued_at
            if oldest is not None and oldest.tzinfo is None:
                oldest = oldest.replace(tzinfo=UTC)  # RQ writes UTC without saying so
            rows.append((name, queue.count, oldest))
    except REDIS_DOWN:
        return []
    return rows


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUESTS, LATENCY, QUERIES):
            registry.register(collector)
    registry.register(QueueCollector())
    if settings.AGORA_REPLICA_ALIASES:
        from agora.core.replicas import ReplicaCollector

        registry.register(ReplicaCollector())
    return registry


def allowed(request) -> bool:
    token = settings.AGORA_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.AGORA_METRICS_ALLOW)


@require_GET
@never_cache
def metrics(request):
    if not allowed(request):
        raise Http404
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
