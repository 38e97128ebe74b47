"""A task for tests/core/test_worker_faults.py: it sends one message, says so in a file
beside `hold`, waits while `hold` exists (the test kills the worker then), and sends a
second."""

import time
from pathlib import Path

from django_tasks import task

from agora.core.tasks import send_email


@task(queue_name="email")
def send_two_messages(*, hold: str, keys: list[str], to: str) -> int:
    sent = 0
    for number, key in enumerate(keys, start=1):
        sent += send_email.call(
            subject=f"Message {number}", body="Body", to=[to], from_email="a@b.example", key=key
        )
        if number == 1:
            Path(f"{hold}.waiting").touch()
        while number == 1 and Path(hold).exists():
            time.sleep(0.05)
    return sent
