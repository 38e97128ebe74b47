"""Pages for tests/core/test_replicas.py: each reads or writes a heartbeat row by name and says
which database answered, so a test sees where the router sent each query."""

import json

from django.db import transaction
from django.http import JsonResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from agora.core.models import WorkerHeartbeat
from agora.core.pagecache import PageCache

#: Called between the two reads of `read_twice` (a test stops the replica there).
between_reads = []


def _read(name: str) -> dict:
    rows = WorkerHeartbeat.objects.filter(name=name)
    database = rows.db  # the router's answer for this read
    return {"database": database, "found": rows.using(database).exists()}


@require_GET
def read(request, name):
    return JsonResponse(_read(name))


@require_GET
def read_twice(request, name):
    first = _read(name)
    for step in between_reads:
        step()
    return JsonResponse({"first": first, "second": _read(name)})


@require_GET
def write_then_read(request, name):
    """A GET that writes (as marking something seen does), then reads what it wrote."""
    before = _read(name)
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})
    return JsonResponse({"before": before, "after": _read(name)})


@require_POST
def write(request, name):
    before = _read(name)  # a form checking what exists before it writes
    row = WorkerHeartbeat.objects.create(name=name, seen_at=timezone.now())
    return JsonResponse({"before": before, "database": row._state.db}, status=201)


@require_GET
def read_in_transaction(request, name):
    before = _read(name)
    with transaction.atomic():
        inside = _read(name)
        locking = WorkerHeartbeat.objects.select_for_update().filter(name=name)
        locked = {"database": locking.db, "found": locking.using(locking.db).first() is not None}
    return JsonResponse({"before": before, "inside": inside, "locking": locked})


KEPT = PageCache("replica-test")


@require_GET
def kept(request, name):
    """A part kept for everyone (`core.pagecache`), beside a read of the page itself."""
    return JsonResponse(
        {
            "page": _read(name),
            "kept": json.loads(KEPT.fragment(lambda: json.dumps(_read(name)), name)),
        }
    )


urlpatterns = [
    path("kept/<str:name>", kept),
    path("read/<str:name>", read),
    path("read-twice/<str:name>", read_twice),
    path("write-then-read/<str:name>", write_then_read),
    path("write/<str:name>", write),
    path("read-in-transaction/<str:name>", read_in_transaction),
    path("", include("agora.core.urls")),
]
