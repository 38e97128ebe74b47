"""Each caller has a request budget, AGORA_API_RATE: per account, or per address when anonymous."""

import pytest

from tests.api.conftest import assert_error, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_budget(settings):
    settings.AGORA_API_RATE = "3/m"


def test_an_anonymous_caller_past_the_budget_gets_429_with_a_retry_after(client, user):
    url = f"/api/v1/profiles/{user.handle}"
    for _ in range(3):
        assert client.get(url).status_code == 200

    response = client.get(url)

    assert_error(response, 429, "throttled")
    assert 1 <= int(response["Retry-After"]) <= 60


def test_a_signed_in_caller_past_the_budget_gets_429(user_client):
    for _ in range(3):
        assert user_client.get("/api/v1/me").status_code == 200

    assert_error(user_client.get("/api/v1/me"), 429, "throttled")


def test_an_account_has_one_budget_for_its_session_and_its_tokens(
    user_client, token_client, client
):
    user_client.get("/api/v1/me")
    token_client.get("/api/v1/me")
    user_client.get("/api/v1/me")

    assert_error(token_client.get("/api/v1/me"), 429, "throttled")


def test_one_account_past_its_budget_does_not_slow_down_another(user_client, client, other_user):
    for _ in range(3):
        user_client.get("/api/v1/me")
    assert_error(user_client.get("/api/v1/me"), 429, "throttled")
    client.force_login(other_user)

    response = client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["handle"] == other_user.handle


def test_anonymous_callers_at_different_addresses_have_their_own_budgets(client, user):
    url = f"/api/v1/profiles/{user.handle}"
    for _ in range(3):
        client.get(url, REMOTE_ADDR="192.0.2.1")
    assert_error(client.get(url, REMOTE_ADDR="192.0.2.1"), 429, "throttled")

    response = client.get(url, REMOTE_ADDR="192.0.2.2")

    assert response.status_code == 200
    assert response.json()["handle"] == user.handle


def test_a_forwarded_for_header_does_not_buy_a_fresh_budget(client, user):
    url = f"/api/v1/profiles/{user.handle}"
    for _ in range(3):
        client.get(url)

    response = client.get(url, headers={"X-Forwarded-For": "198.51.100.7"})

    assert_error(response, 429, "throttled")


def test_signing_in_gives_an_own_budget_apart_from_the_address(client, user, token_secret):
    url = f"/api/v1/profiles/{user.handle}"
    for _ in range(3):
        client.get(url)
    assert_error(client.get(url), 429, "throttled")

    response = client.get(url, headers=bearer(token_secret))

    assert response.status_code == 200
    assert response.json()["handle"] == user.handle


def test_the_rate_comes_from_the_setting(client, user, settings):
    settings.AGORA_API_RATE = "5/m"
    url = f"/api/v1/profiles/{user.handle}"

    statuses = [client.get(url).status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]
