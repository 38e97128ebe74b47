"""Rate limits that hold across processes (`core.ratelimit`): the API's request budget and the
ceilings on writing posts and comments, by page and API alike, and sign-ups per address. The
last tests start real servers side by side on one database and one cache folder."""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.exceptions import ImproperlyConfigured

from agora.core.ratelimit import Rate
from agora.social import services as social_services
from agora.social.models import Post
from tests.api.conftest import assert_error
from tests.core.test_serve import free_port
from tests.factories import UserFactory
from tests.helpers import signed_in
from tests.social.helpers import api_client, send


def test_a_rate_reads_like_a_budget_and_a_bad_one_is_refused():
    assert Rate.parse("30/h") == Rate(30, 3600)
    assert Rate.parse("5/10m") == Rate(5, 600)
    assert Rate.parse("0") is None and Rate.parse("") is None
    for bad in ("30", "x/h", "30/w", "0/h"):
        with pytest.raises(ImproperlyConfigured):
            Rate.parse(bad)


@pytest.mark.django_db
def test_a_budget_counts_per_caller_and_says_how_long_to_wait():
    rate = Rate(2, 60)
    assert rate.hit("test", "ada") is None and rate.hit("test", "ada") is None
    wait = rate.hit("test", "ada")
    assert wait is not None and 59 <= wait <= 60
    assert rate.hit("test", "bob") is None  # another caller has their own
    assert Rate(2, 3600).hit("test", "ada") is None  # another rate, another count


@pytest.mark.django_db
def test_old_counters_are_swept_now_and_then(monkeypatch, settings):
    from django.db import connection

    from agora.core import ratelimit

    settings.AGORA_RATE_COUNTERS = "database"
    now_ms = int(time.time() * 1000)
    with connection.cursor() as cursor:
        for key, age_ms in (("old", 3 * 86_400_000), ("recent", 3_600_000)):
            cursor.execute(
                "INSERT INTO core_ratecount (key, started_ms, count) VALUES (%s, %s, 1)",
                [key, now_ms - age_ms],
            )

    def keys():
        with connection.cursor() as cursor:
            cursor.execute("SELECT key FROM core_ratecount ORDER BY key")
            return [row[0] for row in cursor.fetchall()]

    monkeypatch.setattr(ratelimit, "SWEEP_ONE_IN", 0)  # never: nothing goes
    Rate(5, 60).hit("test", "ada")
    assert "old" in keys()
    monkeypatch.setattr(ratelimit, "SWEEP_ONE_IN", 1)  # every hit sweeps
    Rate(5, 60).hit("test", "ada")
    keys = keys()
    assert "old" not in keys and "recent" in keys
    assert any(key.startswith("test:") for key in keys)


def post_form(body: str) -> dict:
    return {"body": body, "visibility": "public", "reply_policy": "everyone"}


@pytest.mark.django_db
def test_posting_past_the_ceiling_is_refused_on_the_page_keeping_what_was_typed(settings):
    settings.AGORA_POST_RATE = "2/h"
    ada = UserFactory()
    client = signed_in(ada)
    for number in range(2):
        assert client.post("/posts/new", post_form(f"Post {number}")).status_code == 302
    response = client.post("/posts/new", post_form("One too many"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "You are doing this too often. Try again in 60 minutes." in html
    assert "One too many</textarea>" in html
    assert Post.objects.filter(author=ada).count() == 2


@pytest.mark.django_db
def test_the_api_shares_the_pages_ceilings_and_answers_429_with_retry_after(settings):
    settings.AGORA_POST_RATE = "2/h"
    settings.AGORA_COMMENT_RATE = "1/h"
    ada = UserFactory()
    post = social_services.create_post(by=ada, body="First, by the page's verb")
    client = api_client(ada)
    assert send(client, "post", "/posts", {"body": "Second"}).status_code == 201
    response = send(client, "post", "/posts", {"body": "Third"})
    error = assert_error(response, 429, "rate_limited")
    assert "too often" in error["message"] and 3500 <= int(response["Retry-After"]) <= 3600
    assert send(client, "post", f"/posts/{post.pk}/comments", {"body": "Yes"}).status_code == 201
    response = send(client, "post", f"/posts/{post.pk}/comments", {"body": "Again"})
    assert_error(response, 429, "rate_limited")
    other = api_client(UserFactory())  # another account has its own
    assert send(other, "post", "/posts", {"body": "Mine"}).status_code == 201


def run_agora(arguments, environment, **options):
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "agora.cli", *arguments],
        env=environment,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
        **options,
    )


@pytest.fixture
def two_servers(tmp_path, migrated_sqlite):
    """Two `agora serve` processes (one worker each) on one SQLite database and one cache
    folder, as two workers of one site are; a development site, so no Redis."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AGORA_", "DATABASE_URL", "REDIS_URL", "SITE_URL", "PORT"))
    }
    environment.update(
        AGORA_ENV="development",
        DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        AGORA_VAR_DIR=str(tmp_path),
        AGORA_API_RATE="10/m",
        AGORA_POST_RATE="4/h",
        AGORA_TRUST_LIMITS="0",  # the site's ceiling, not a new account's (tests/moderation)
        AGORA_SIGNUP_RATE="3/h",
        AGORA_CHALLENGE="0",  # the sign-up challenge has its own tests (tests/core)
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    migrated_sqlite.rename(tmp_path / "shared.sqlite3")
    script = (
        "from agora.accounts.services import create_access_token;"
        "from tests.factories import UserFactory;"
        "print(create_access_token(UserFactory(handle='writer'), name='t')[1])"
    )
    token = run_agora(["shell", "-c", script], environment).stdout.strip().splitlines()[-1]
    servers, ports = [], []
    for _ in range(2):
        port = free_port()
        servers.append(
            subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "agora.cli", "serve", "--port", str(port), "--workers", "1"],
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        ports.append(port)
    for port in ports:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
    yield ports, token
    for server in servers:
        server.terminate()
        server.wait(timeout=30)


def call(port, path, *, method="GET", body=None, token=None) -> int:
    request = urllib.request.Request(  # noqa: S310
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
@pytest.mark.servers
def test_the_limits_hold_across_two_server_processes(two_servers):
    ports, token = two_servers
    statuses = [call(ports[n % 2], "/api/v1/profiles/nobody") for n in range(16)]
    assert statuses.count(404) == 10 and statuses.count(429) == 6, statuses

    posts = [
        call(ports[n % 2], "/api/v1/posts", method="POST", body={"body": f"Post {n}"}, token=token)
        for n in range(6)
    ]
    assert posts == [201, 201, 201, 201, 429, 429], posts

    def sign_up(port, number) -> bool:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"http://127.0.0.1:{port}/accounts/signup/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "email": f"new{number}@example.org",
                "username": f"new_{number}",
                "password1": "lantern-orchard-velvet-93",
                "password2": "lantern-orchard-velvet-93",
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310
            f"http://127.0.0.1:{port}/accounts/signup/",
            data=form,
            headers={"Referer": f"http://127.0.0.1:{port}/accounts/signup/"},
        )
        try:
            answer = opener.open(request)
        except urllib.error.HTTPError as error:
            return error.code != 429 and "too many" not in error.read().decode().lower()
        return "/accounts/confirm-email/" in answer.url

    made = [sign_up(ports[n % 2], n) for n in range(5)]
    assert made == [True, True, True, False, False], made
