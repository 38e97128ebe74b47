"""`agora serve`: gunicorn with Agora's own settings starts, answers and stops cleanly on
SIGTERM, and each worker takes what it loaded out of the garbage collector's reach."""

import gc
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from agora import gunicorn_hooks


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_agora_serve_starts_gunicorn_with_its_settings_and_answers(tmp_path):
    port = free_port()
    environment = {
        **os.environ,
        "AGORA_ENV": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}",
    }
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "agora.cli", "serve", "--port", str(port), "--workers", "1"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        answer, deadline = None, time.monotonic() + 30
        while answer is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:  # noqa: S310
                    answer = json.loads(reply.read())
            except OSError:
                time.sleep(0.2)
        assert answer == {"status": "ok", "database": "ok"}, server.poll()
    finally:
        server.terminate()  # as a service manager stops it: gunicorn itself gets the signal
        output = server.communicate(timeout=30)[0].decode()
    assert "Booting worker" in output
    assert "Shutting down: Master" in output and server.returncode == 0


def test_a_worker_freezes_what_it_loaded():
    gc.unfreeze()
    try:
        gunicorn_hooks.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
