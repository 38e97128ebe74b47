"""`agora worker`: run background tasks from the database queue.

A thin name over django-tasks-db's worker, so administrators have one command to remember. It
stops cleanly on SIGTERM (the task in hand finishes) and `--batch` runs what is waiting, then
exits, which is what tests and cron jobs use. A long-running worker first runs the periodic jobs
the apps declare (`periodic_jobs` on their AppConfig), such as queueing the next daily
notification digest (`AGORA_DIGEST_HOUR`), and says it is alive every
`AGORA_WORKER_HEARTBEAT_SECONDS` (`core.WorkerHeartbeat`, read by /metrics).

With the task queue in Redis (`AGORA_TASK_QUEUE=redis`) it serves RQ's queues in the main
thread and, in a second thread, the database queue where tasks wait while Redis is away
(`core.taskqueue`). `--batch` then runs what waits in both and exits.

A worker killed in the middle of a task (`kill -9`, a lost machine) leaves the task running in
the database queue with nobody at it. Each worker, when it starts and at each heartbeat, gives
such tasks back to the queue: those of a worker of this machine whose process is gone, and
those of any worker not heard from for `ABANDONED_AFTER_BEATS` heartbeats. The task runs again
from its start, so a task must be safe to run twice: emails are sent once per message
(`core.tasks.send_email`, by an idempotency record)."""

import logging
import os
import socket
import threading
import uuid
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
#: A worker silent for this many heartbeats is taken for dead: its running tasks go back.
ABANDONED_AFTER_BEATS = 4


#: This process's worker id: host, process and a token of this start, so that a worker that
#: comes back with the same process number (a restarted container's) is told from the one
#: that died. At most 64 characters, as django-tasks-db asks.
WORKER_ID = f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def heartbeat_name() -> str:
    """The worker's line in `WorkerHeartbeat` (and /metrics): host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _gone_on_this_machine(pid: int, token: str) -> bool:
    if pid == os.getpid():
        return not WORKER_ID.endswith(f":{token}")  # an earlier life of this process number
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another user
        return False
    return False


def _alive_workers() -> set[str]:
    silent_since = timezone.now() - timedelta(
        seconds=ABANDONED_AFTER_BEATS * settings.AGORA_WORKER_HEARTBEAT_SECONDS
    )
    return set(
        WorkerHeartbeat.objects.filter(seen_at__gte=silent_since).values_list("name", flat=True)
    )


def _worker_gone(worker_id: str, alive: set[str]) -> bool:
    """A worker of this machine is gone when its process is; one of another machine when its
    heartbeat is ABANDONED_AFTER_BEATS late."""
    host, pid, token = ([*worker_id.rsplit(":", 2), "", ""])[:3]
    if host == socket.gethostname()[:40] and pid.isdigit():
        return _gone_on_this_machine(int(pid), token)
    return not any(name.startswith(host) and name.endswith(f":{pid}") for name in alive)


def give_back_abandoned_jobs(names: list[str]) -> int:
    """RQ's counterpart of `give_back_abandoned_tasks`: the jobs that workers now gone left
    started go back to their queue, to run again from their start; how many. RQ alone would
    only fail them, once their time ran out (an hour). A claim in Redis per job start lets
    two workers doing this at once give each back once."""
    import django_rq
    from django_tasks_rq import Job
    from rq.exceptions import NoSuchJobError
    from rq.job import JobStatus

    given_back = 0
    alive = None
    for name in names:
        queue = django_rq.get_queue(name, job_class=Job)
        registry = queue.started_job_registry
        for job_id, execution_id in registry.get_job_and_execution_ids(cleanup=False)[:1000]:
            try:
                job = Job.fetch(job_id, connection=queue.connection)
            except NoSuchJobError:
                continue
            if job.get_status() != JobStatus.STARTED or not job.worker_name:
                continue
            alive = _alive_workers() if alive is None else alive
            if not _worker_gone(job.worker_name, alive):
                continue
            claim = f"agora:given-back:{job_id}:{execution_id}"
            if not queue.connection.set(claim, 1, nx=True, ex=24 * 3600):
                continue
            registry.remove_executions(job)
            queue.enqueue_job(job, at_front=True)
            given_back += 1
    if given_back:
        logger.warning("%d job(s) left started by stopped workers are queued again.", given_back)
    return given_back


def give_back_abandoned_tasks() -> int:
    """Put back in the queue the tasks left running by workers that are gone; how many. A
    worker of this machine is gone when its process is; one of another machine when its
    heartbeat is ABANDONED_AFTER_BEATS late. A conditional update, so two workers doing this
    at once give each task back once."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    running = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
            "pk", "worker_ids"
        )[:1000]
    )
    if not running:
        return 0
    alive = _alive_workers()
    gone = {worker_id for _pk, ids in running if ids for worker_id in ids[-1:]}
    gone = {worker_id for worker_id in gone if _worker_gone(worker_id, alive)}
    given_back = 0
    for pk, ids in running:
        if ids and ids[-1] in gone:
            given_back += DBTaskResult.objects.filter(
                pk=pk, status=TaskResultStatus.RUNNING, worker_ids=ids
            ).update(status=TaskResultStatus.READY, started_at=None)
    if given_back:
        logger.warning("%d task(s) left running by stopped workers are queued again.", given_back)
    return given_back


def beat(name: str, stop: threading.Event) -> None:
    """Write this worker's heartbeat until told to stop, on the thread's own connection, and
    give back what dead workers left running; a failed write (the database away a moment) is
    logged and tried again next time."""
    try:
        while True:
            try:
                WorkerHeartbeat.objects.update_or_create(
                    name=name, defaults={"seen_at": timezone.now()}
                )
                give_back_abandoned_tasks()
                if settings.AGORA_TASK_QUEUE == "redis":
                    give_back_abandoned_jobs(settings.TASK_QUEUES)
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
        verbosity = options.get("verbosity", 1)
        give_back_abandoned_tasks()
        if batch:
            self.serve(queues, interval, verbosity, batch=True)
            return
        for job in declared.periodic_jobs():
            message = job()
            if message:
                self.stdout.write(message)
        name = heartbeat_name()
        WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - FORGOTTEN_AFTER).delete()
        stop = threading.Event()
        heart = threading.Thread(target=beat, args=(name, stop), name="heartbeat", daemon=True)
        heart.start()
        try:
            self.serve(queues, interval, verbosity, batch=False)
        finally:
            stop.set()
            heart.join(timeout=5)
            WorkerHeartbeat.objects.filter(name=name).delete()

    def serve(self, queues, interval, verbosity, *, batch):
        arguments = ["--queue-name", ",".join(queues) if queues else "*"]
        arguments += ["--interval", str(interval), "--no-reload", "--worker-id", WORKER_ID]
        if batch:
            arguments += ["--batch", "--no-startup-delay"]
        if settings.AGORA_TASK_QUEUE != "redis":
            call_command("db_worker", *arguments, verbosity=verbosity)
            return
        # Redis: RQ in this thread; the database queue (what waited while Redis was away)
        # beside it, on its own connection.
        from agora.core.taskqueue import FALLBACK

        if batch:
            call_command("db_worker", *arguments, "--backend", FALLBACK, verbosity=verbosity)
            serve_redis(queues, batch=True)
            return
        database = DatabaseQueue(queues, interval)
        beside = threading.Thread(target=database.run, name="database-queue", daemon=True)
        beside.start()
        try:
            serve_redis(queues, batch=False)
        finally:
            database.stop()
            beside.join(timeout=60)


class DatabaseQueue:
    """django-tasks-db's worker over the fallback queue, in a thread: it takes no signals (the
    main thread's RQ worker does) and stops after its task in hand when told."""

    def __init__(self, queues, interval):
        from django_tasks_db.management.commands.db_worker import Worker

        from agora.core.taskqueue import FALLBACK

        self.worker = Worker(
            queue_names=queues or ["*"],
            interval=interval,
            batch=False,
            backend_name=FALLBACK,
            startup_delay=False,
            max_tasks=None,
            worker_id=WORKER_ID,
            excluded_queue_names=[],
        )

    def run(self) -> None:
        try:
            self.worker.run()
        finally:
            connection.close()

    def stop(self) -> None:
        self.worker.running = False


def serve_redis(queues: list[str] | None, *, batch: bool) -> None:
    """RQ's worker over the task queues, in this process (one task at a time, as the database
    queue's). While Redis does not answer it waits and tries again, as RQ does."""
    import time

    import redis.exceptions
    from django_rq.workers import get_worker
    from django_tasks_rq import Job
    from rq.worker import SimpleWorker

    names = queues or settings.TASK_QUEUES
    wait = 1.0
    while True:
        try:
            give_back_abandoned_jobs(names)
            worker = get_worker(
                *names,
                job_class=Job,
                worker_class=SimpleWorker,
                name=WORKER_ID,
                log_job_description=False,  # its arguments: addresses, messages
            )
            worker.work(burst=batch, with_scheduler=not batch, logging_level="INFO")
            return
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
            if batch:
                logger.warning("Redis does not answer (%s); its tasks wait.", error)
                return
            logger.warning("Redis does not answer (%s); trying again in %.0f s.", error, wait)
            time.sleep(wait)
            wait = min(wait * 2, 30)
