"""`agora worker`: run background tasks from the database queue.

A thin name over django-tasks-db's worker, so administrators have one command to remember. It
stops cleanly on SIGTERM (the task in hand finishes) and `--batch` runs what is waiting, then
exits, which is what tests and cron jobs use. A long-running worker first runs the periodic jobs
the apps declare (`periodic_jobs` on their AppConfig), such as queueing the next daily
notification digest (`AGORA_DIGEST_HOUR`), and says it is alive every
`AGORA_WORKER_HEARTBEAT_SECONDS` (`core.WorkerHeartbeat`, read by /metrics)."""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from agora.core.models import WorkerHeartbeat
from agora.site.registry import declared

logger = logging.getLogger(__name__)
#: A worker not seen for this long is forgotten when another starts.
FORGOTTEN_AFTER = timedelta(days=1)


def beat(name: str, stop: threading.Event) -> None:
    """Write this worker's heartbeat until told to stop, on the thread's own connection; a
    failed write (the database away a moment) is logged and tried again next time."""
    try:
        while True:
            try:
                WorkerHeartbeat.objects.update_or_create(
                    name=name, defaults={"seen_at": timezone.now()}
                )
            except Exception:  # noqa: BLE001 - the next beat tries again
                logger.warning("The worker's heartbeat could not be written.", exc_info=True)
            if stop.wait(settings.AGORA_WORKER_HEARTBEAT_SECONDS):
                return
    finally:
        connection.close()


class Command(BaseCommand):
    help = "Run background tasks (emails, notifications) from the database queue."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run waiting tasks, then exit")
        parser.add_argument(
            "--queue", action="append", dest="queues", help="queue to take tasks from (repeatable)"
        )
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")

    def handle(self, *args, batch=False, queues=None, interval=1.0, **options):
        queue_names = ",".join(queues) if queues else "*"
        arguments = ["--queue-name", queue_names, "--interval", str(interval), "--no-reload"]
        if batch:
            arguments += ["--batch", "--no-startup-delay"]
            call_command("db_worker", *arguments, verbosity=options.get("verbosity", 1))
            return
        for job in declared.periodic_jobs():
            message = job()
            if message:
                self.stdout.write(message)
        name = f"{socket.gethostname()}:{os.getpid()}"
        WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - FORGOTTEN_AFTER).delete()
        stop = threading.Event()
        heart = threading.Thread(target=beat, args=(name, stop), name="heartbeat", daemon=True)
        heart.start()
        try:
            call_command("db_worker", *arguments, verbosity=options.get("verbosity", 1))
        finally:
            stop.set()
            heart.join(timeout=5)
            WorkerHeartbeat.objects.filter(name=name).delete()
