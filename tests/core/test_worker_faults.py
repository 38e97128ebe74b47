"""A worker killed in the middle of a task: the next worker gives the task back to the queue,
runs it again from its start, and no message goes out twice (the real `agora worker`, killed
with SIGKILL)."""

import json
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection
from django_tasks_db.models import DBTaskResult

from agora.core.logs import request_id
from tests.core.test_redis import redis_server, tasks_on_redis  # noqa: F401 (fixtures)
from tests.core.worker_tasks import send_two_messages

ROOT = Path(__file__).resolve().parents[2]


def database_for_a_process(tmp_path) -> str:
    """A DATABASE_URL another process can open with what this test wrote: the test database
    itself on PostgreSQL; on SQLite (an in-memory test database) a copy in a file."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        return (
            f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    connection.ensure_connection()
    copy = tmp_path / "worker.sqlite3"
    with sqlite3.connect(copy) as target:
        connection.connection.backup(target)
    return f"sqlite:///{copy}"


def worker_environment(tmp_path, database_url: str, **extra) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AGORA_", "DATABASE_URL", "EMAIL_", "PROMETHEUS_"))
    }
    environment.update(
        AGORA_ENV="test",
        DATABASE_URL=database_url,
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        AGORA_VAR_DIR=str(tmp_path),
        **extra,
    )
    return environment


def start_worker(environment, *options) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "agora.cli", "worker", "--interval", "0.1", *options],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def sent_subjects(tmp_path) -> list[str]:
    subjects = []
    for path in sorted((tmp_path / "mail").glob("*.eml")):
        for line in path.read_text().splitlines():
            if line.startswith("Subject: "):
                subjects.append(line.removeprefix("Subject: "))
    return sorted(subjects)


def task_status(database_url: str, task_id: str) -> str:
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as database:
            return database.execute(
                "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?",
                [uuid.UUID(task_id).hex],
            ).fetchone()[0]
    return DBTaskResult.objects.get(pk=task_id).status


@pytest.mark.slow  # two starts of the worker, about 3 s of CPU each
@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_is_killed_runs_again_and_sends_each_message_once(tmp_path):
    hold = tmp_path / "hold"
    hold.touch()
    token = request_id.set("the-request-that-asked")  # as if a request had enqueued it
    try:
        result = send_two_messages.enqueue(
            hold=str(hold), keys=[uuid.uuid4().hex, uuid.uuid4().hex], to="resident@example.org"
        )
    finally:
        request_id.reset(token)
    database_url = database_for_a_process(tmp_path)
    environment = worker_environment(tmp_path, database_url, AGORA_LOG_FORMAT="json")

    first = start_worker(environment)
    deadline = time.monotonic() + 30
    waiting = tmp_path / "hold.waiting"  # the first message is sent; the task goes on
    while not waiting.exists() and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.05)
    assert sent_subjects(tmp_path) == ["Message 1"], first.communicate(timeout=5)[0].decode()
    first.kill()  # SIGKILL in the middle of the task: nothing of the worker runs after it
    first.wait(timeout=10)
    assert task_status(database_url, str(result.id)) == "RUNNING"

    hold.unlink()
    second = start_worker(environment, "--batch")
    output = second.communicate(timeout=60)[0].decode()

    assert second.returncode == 0, output
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert any("queued again" in line["message"] for line in lines), output
    started = [line for line in lines if line["message"].startswith(f"Task {result.id} (")]
    assert started and started[0]["request_id"] == "the-request-that-asked"
    assert sent_subjects(tmp_path) == ["Message 1", "Message 2"]
    assert task_status(database_url, str(result.id)) == "SUCCESSFUL"


@pytest.mark.django_db
def test_a_message_with_a_key_goes_out_once_however_often_its_task_runs(run_worker):
    from django.core import mail

    from agora.core.tasks import send_email

    for _run in range(2):
        send_email.enqueue(
            subject="Once", body="Body", to=["x@example.org"], from_email="a@b.example", key="k1"
        )
        run_worker()
    assert [message.subject for message in mail.outbox] == ["Once"]
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<k1@")


# Starts server or worker processes of its own: run once, on PostgreSQL, as the browser tests are.
pytestmark = pytest.mark.servers


@pytest.mark.servers  # a redis-server and two starts of the worker
@pytest.mark.django_db(transaction=True)
def test_an_rq_task_whose_worker_is_killed_runs_again_and_sends_each_message_once(
    tmp_path,
    tasks_on_redis,  # noqa: F811 (the fixture)
):
    hold = tmp_path / "hold"
    hold.touch()
    result = send_two_messages.enqueue(
        hold=str(hold), keys=[uuid.uuid4().hex, uuid.uuid4().hex], to="resident@example.org"
    )
    assert result.backend == "default", "in Redis, not the database queue"
    database_url = database_for_a_process(tmp_path)
    environment = worker_environment(
        tmp_path, database_url, REDIS_URL=tasks_on_redis.url, AGORA_TASK_QUEUE="redis"
    )

    first = start_worker(environment)
    deadline = time.monotonic() + 30
    waiting = tmp_path / "hold.waiting"
    while not waiting.exists() and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.05)
    assert sent_subjects(tmp_path) == ["Message 1"], first.communicate(timeout=5)[0].decode()
    first.kill()  # SIGKILL in the middle of the job
    first.wait(timeout=10)
    client = redis.Redis.from_url(tasks_on_redis.url)
    assert client.zcard("rq:wip:email") == 1, "left started by the dead worker"

    hold.unlink()
    second = start_worker(environment, "--batch")
    output = second.communicate(timeout=60)[0].decode()

    assert second.returncode == 0, output
    assert "queued again" in output, output
    assert sent_subjects(tmp_path) == ["Message 1", "Message 2"]
    assert client.zcard("rq:wip:email") == 0 and client.llen("rq:queue:email") == 0
