"""Fixtures for the JSON API: clients that call it with a session or with a bearer token."""

import json

import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from agora.accounts import services


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def assert_error(response, status: int, code: str) -> dict:
    """The API's one error shape, with this status and code; returns the error for more."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


@pytest.fixture
def token_secret(user):
    """The secret of a fresh personal access token of `user`."""
    _token, secret = services.create_access_token(user, name="laptop")
    return secret


@pytest.fixture
def token_client(token_secret):
    """A client that sends `user`'s token on every request and has no session."""
    return Client(headers=bearer(token_secret))


@pytest.fixture
def csrf_client(user):
    """A signed-in browser whose CSRF checks are enforced, as a real browser's are."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.fixture
def csrf_token(csrf_client):
    """A CSRF token `csrf_client` holds in its cookie, to send back as X-CSRFToken."""
    token = get_random_string(32)
    csrf_client.cookies["csrftoken"] = token
    return token
