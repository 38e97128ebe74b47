"""`agora serve`: gunicorn with Agora's own settings starts, answers and stops cleanly on
SIGTERM, and each worker takes what it loaded out of the garbage collector's reach."""

import argparse
import gc
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from agora import gunicorn_hooks


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(tmp_path, *options) -> tuple[subprocess.Popen, int]:
    """`agora serve` on a free port, once it answers /healthz."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "agora.cli", "serve", "--port", str(port), *options],
        env=environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    answer, deadline = None, time.monotonic() + 30
    while answer is None and time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:  # noqa: S310
                answer = json.loads(reply.read())
        except OSError:
            time.sleep(0.2)
    if answer != {"status": "ok"}:
        server.kill()
        raise AssertionError(server.communicate()[0].decode())
    return server, port


def environment(tmp_path) -> dict:
    return {
        **os.environ,
        "AGORA_ENV": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}",
    }


def test_agora_serve_starts_gunicorn_with_its_settings_and_answers(tmp_path):
    server, _port = serve(tmp_path, "--workers", "1")
    server.terminate()  # as a service manager stops it: gunicorn itself gets the signal
    output = server.communicate(timeout=30)[0].decode()
    assert "Booting worker" in output
    assert "Shutting down: Master" in output and server.returncode == 0


@pytest.mark.slow
def test_with_a_worker_beside_it_a_stop_reaches_gunicorn_and_the_worker(tmp_path, migrated_sqlite):
    migrated_sqlite.rename(tmp_path / "served.sqlite3")
    server, port = serve(tmp_path, "--workers", "1", "--with-worker")
    children = subprocess.run(  # noqa: S603
        ["ps", "-o", "pid=", "--ppid", str(server.pid)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert len(children) == 2  # gunicorn's master and the worker
    server.terminate()
    output = server.communicate(timeout=60)[0].decode()
    assert server.returncode == 0, output
    assert "Shutting down: Master" in output
    for pid in children:
        assert not Path(f"/proc/{pid}").exists(), f"{pid} outlived agora serve"


def test_a_worker_freezes_what_it_loaded():
    gc.unfreeze()
    try:
        gunicorn_hooks.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()


def test_agora_serve_hands_its_port_to_the_site_for_its_own_links(monkeypatch):
    """With `SITE_URL` unset, a developer's site links to the port it serves on (see
    test_settings for how PORT becomes SITE_URL): `agora serve --port` sets PORT for gunicorn,
    its workers and the background worker before it starts them."""
    from agora import cli

    monkeypatch.delenv("PORT", raising=False)
    options = argparse.Namespace(host="127.0.0.1", port=8821, workers=1, threads=1)
    command = cli._gunicorn_command(options)
    assert os.environ["PORT"] == "8821" and "127.0.0.1:8821" in command


@pytest.mark.slow
def test_metrics_add_up_the_requests_of_every_gunicorn_worker(tmp_path, migrated_sqlite):
    """Two workers count in files of one fresh directory; /metrics adds them up."""
    from prometheus_client.parser import text_string_to_metric_families

    migrated_sqlite.rename(tmp_path / "served.sqlite3")
    os.environ["AGORA_METRICS_TOKEN"] = "scrape-me"
    try:
        server, port = serve(tmp_path, "--workers", "2")
    finally:
        del os.environ["AGORA_METRICS_TOKEN"]
    try:
        for _time in range(20):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as reply:  # noqa: S310
                assert json.loads(reply.read())["status"] == "ok"
        scrape = urllib.request.Request(  # noqa: S310
            f"http://127.0.0.1:{port}/metrics", headers={"Authorization": "Bearer scrape-me"}
        )
        with urllib.request.urlopen(scrape, timeout=5) as reply:  # noqa: S310
            text = reply.read().decode()
    finally:
        server.terminate()
        server.communicate(timeout=30)
    counted = {
        (sample.labels["route"], sample.labels["status"]): sample.value
        for family in text_string_to_metric_families(text)
        if family.name == "agora_http_requests"
        for sample in family.samples
        if sample.name == "agora_http_requests_total"
    }
    assert counted[("/readyz", "200")] == 20


# Starts server or worker processes of its own: run once, on PostgreSQL, as the browser tests are.
pytestmark = pytest.mark.servers
