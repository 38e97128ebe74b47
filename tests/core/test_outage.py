"""While the database cannot be reached, every part of the site answers 503 with Retry-After in
its own shape (a page, the API's error, Open311's error list) instead of a 500; an over-long
address is a 414 in the same shapes; and a create is answered from what was written, so no read
after the write can turn a committed post into an error."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.core.test_serve import free_port
from tests.factories import UserFactory
from tests.social.helpers import api_client, send


def fetch(url, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def server_without_its_database(tmp_path):
    """`agora serve` whose PostgreSQL is away: nothing listens on the port it names."""
    port, dead = free_port(), free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AGORA_", "DATABASE_URL", "REDIS_URL", "SITE_URL", "PORT"))
    }
    environment.update(
        AGORA_ENV="development",
        DEBUG="0",  # as in production: errors go to the site's handlers, not the debug page
        SECURE_SSL_REDIRECT="0",
        AGORA_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{dead}/agora",
    )
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "agora.cli", "serve", "--port", str(port), "--workers", "1"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if fetch(f"http://127.0.0.1:{port}/readyz")[0] == 503:
                break
        except (urllib.error.URLError, TimeoutError):  # not up yet, or too busy to answer
            pass
        time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=30)


@pytest.mark.slow
def test_every_part_of_the_site_answers_503_in_its_shape_while_the_database_is_away(
    server_without_its_database,
):
    site = server_without_its_database
    status, headers, body = fetch(f"{site}/")
    assert (status, headers["Retry-After"]) == (503, "10")
    assert "Briefly unavailable" in body and "No disponible por un momento" in body

    status, headers, body = fetch(f"{site}/api/v1/me", Authorization="Bearer agora_x")
    assert (status, headers["Retry-After"]) == (503, "10")
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == "service_unavailable"

    status, headers, body = fetch(f"{site}/open311/v2/requests.json")
    assert (status, headers["Retry-After"]) == (503, "10")
    assert json.loads(body)[0]["code"] == 503

    status, headers, body = fetch(f"{site}/open311/v2/requests.xml")
    assert status == 503 and "<errors>" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "check"),
    [
        ("/api/v1/me", lambda response: response.json()["error"]["code"] == "uri_too_long"),
        (
            "/open311/v2/requests.json",
            lambda response: response.json()[0]["code"] == 414,
        ),
        ("/open311/v2/requests.xml", lambda response: b"<errors>" in response.content),
        ("/directory/", lambda response: b"This address is too long" in response.content),
    ],
)
def test_an_over_long_address_is_a_414_in_the_shape_of_the_part_asked(client, path, check):
    response = client.get(f"{path}?q={'a' * 5000}")
    assert response.status_code == 414 and check(response)
    assert client.get(f"{path}?q={'a' * 3000}").status_code != 414


@pytest.mark.django_db
def test_a_new_post_is_answered_from_what_was_written_with_no_read_after_it():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ada = UserFactory()
    client = api_client(ada)
    with CaptureQueriesContext(connection) as queries:
        response = send(client, "post", "/posts", {"body": "Hello #parks"})
    assert response.status_code == 201 and response.json()["body"] == "Hello #parks"
    statements = [query["sql"].split()[0].upper() for query in queries.captured_queries]
    last_write = max(i for i, verb in enumerate(statements) if verb in ("INSERT", "UPDATE"))
    assert "SELECT" not in statements[last_write + 1 :], statements


# Starts server or worker processes of its own: run once, on PostgreSQL, as the browser tests are.
pytestmark = pytest.mark.servers
