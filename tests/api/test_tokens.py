"""/api/v1/me/tokens: listing, creating and revoking your own personal access tokens."""

import pytest

from agora.accounts import services
from agora.accounts.models import PersonalAccessToken
from tests.api.conftest import assert_error, bearer
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db


def make_tokens(user, count: int) -> list[PersonalAccessToken]:
    return [services.create_access_token(user, name=f"client {n}")[0] for n in range(count)]


def test_the_list_shows_my_tokens_newest_first_without_secrets(user_client, user):
    old, new = make_tokens(user, 2)
    services.revoke_access_token(old, by=user)

    response = user_client.get("/api/v1/me/tokens")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [new.pk, old.pk]
    assert body["items"][0] == {
        "id": new.pk,
        "name": "client 1",
        "hint": new.hint,
        "created_at": body["items"][0]["created_at"],
        "last_used_at": None,
        "revoked": False,
    }
    assert body["items"][1]["revoked"] is True
    assert new.token_hash not in response.content.decode()


def test_the_list_is_paged(user_client, user):
    make_tokens(user, 3)

    body = user_client.get("/api/v1/me/tokens?limit=2&offset=2").json()

    assert body["count"] == 3
    assert [item["name"] for item in body["items"]] == ["client 0"]


def test_a_second_account_cannot_see_my_tokens(client, user, other_user):
    make_tokens(user, 2)
    client.force_login(other_user)

    body = client.get("/api/v1/me/tokens").json()

    assert body == {"items": [], "count": 0}


def test_creating_a_token_shows_its_secret_once_and_the_secret_works(user_client, client, user):
    response = user_client.post(
        "/api/v1/me/tokens", data={"name": "  backup script "}, content_type="application/json"
    )

    assert response.status_code == 201
    created = response.json()
    assert created["name"] == "backup script"
    assert created["secret"].startswith("agora_")
    assert created["secret"].startswith(created["hint"])
    token = PersonalAccessToken.objects.get(user=user)
    assert token.pk == created["id"]
    assert token.token_hash == PersonalAccessToken.hash(created["secret"])
    assert created["secret"] not in user_client.get("/api/v1/me/tokens").content.decode()
    assert client.get("/api/v1/me", headers=bearer(created["secret"])).json()["id"] == user.pk


def test_a_token_cannot_mint_another_token(token_client, user):
    response = token_client.post(
        "/api/v1/me/tokens", data={"name": "copy"}, content_type="application/json"
    )

    assert_error(response, 403, "session_required")
    assert PersonalAccessToken.objects.filter(user=user).count() == 1


def test_an_anonymous_caller_cannot_create_a_token(client, db):
    response = client.post(
        "/api/v1/me/tokens", data={"name": "mine"}, content_type="application/json"
    )

    assert_error(response, 401, "not_authenticated")
    assert not PersonalAccessToken.objects.exists()


def test_a_token_needs_a_name(user_client, user):
    response = user_client.post(
        "/api/v1/me/tokens", data={"name": "   "}, content_type="application/json"
    )

    error = assert_error(response, 422, "invalid")
    assert "name" in error["message"]
    assert not PersonalAccessToken.objects.exists()


def test_revoking_my_token_stops_it_working(user_client, client, user, token_secret):
    token = PersonalAccessToken.objects.get(user=user)

    response = user_client.delete(f"/api/v1/me/tokens/{token.pk}")

    assert response.status_code == 204
    assert response.content == b""
    token.refresh_from_db()
    assert not token.is_active
    assert_error(client.get("/api/v1/me", headers=bearer(token_secret)), 401, "invalid_token")


def test_revoking_a_revoked_token_changes_nothing(user_client, user):
    (token,) = make_tokens(user, 1)
    services.revoke_access_token(token, by=user)
    revoked_at = PersonalAccessToken.objects.get(pk=token.pk).revoked_at

    assert user_client.delete(f"/api/v1/me/tokens/{token.pk}").status_code == 204
    assert PersonalAccessToken.objects.get(pk=token.pk).revoked_at == revoked_at


def test_a_token_can_revoke_itself(token_client, user):
    token = PersonalAccessToken.objects.get(user=user)

    assert token_client.delete(f"/api/v1/me/tokens/{token.pk}").status_code == 204
    assert_error(token_client.get("/api/v1/me"), 401, "invalid_token")


def test_a_second_account_cannot_revoke_my_token_and_learns_nothing(client, user, other_user):
    (token,) = make_tokens(user, 1)
    client.force_login(other_user)

    response = client.delete(f"/api/v1/me/tokens/{token.pk}")
    missing = client.delete(f"/api/v1/me/tokens/{token.pk + 1000}")

    assert_error(response, 404, "not_found")
    assert response.content == missing.content
    token.refresh_from_db()
    assert token.is_active


def test_listing_tokens_takes_the_same_queries_for_few_and_many(user_client, user):
    make_tokens(user, 2)

    few, many = assert_constant_queries(
        lambda: user_client.get("/api/v1/me/tokens"),
        lambda: make_tokens(user, 18),
        expected=4,  # the account (the session is cached), its budget, the tokens, their count
    )

    assert len(few.json()["items"]) == 2
    assert len(many.json()["items"]) == 20


def test_listing_tokens_with_a_token_takes_the_same_queries_for_few_and_many(client, user):
    secret = services.create_access_token(user, name="reader")[1]
    make_tokens(user, 1)
    client.get("/api/v1/me", headers=bearer(secret))  # marks it used for a minute

    few, many = assert_constant_queries(
        lambda: client.get("/api/v1/me/tokens", headers=bearer(secret)),
        lambda: make_tokens(user, 18),
        expected=4,  # the token with its account, its budget, the page of tokens, their count
    )

    assert len(few.json()["items"]) == 2
    assert len(many.json()["items"]) == 20
