"""Who may call the API: a signed-in browser (with CSRF on changes) or a personal access token."""

import pytest
from django.test import Client

from agora.accounts import services
from agora.accounts.models import PersonalAccessToken, Role
from tests.api.conftest import assert_error, bearer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_bearer_token_authenticates_its_owner(token_client, user):
    response = token_client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["handle"] == user.handle


def test_using_a_token_records_when_it_was_last_used(token_client, user):
    token_client.get("/api/v1/me")

    assert PersonalAccessToken.objects.get(user=user).last_used_at is not None


def test_revoked_token_no_longer_authenticates(user, token_secret, token_client):
    token = PersonalAccessToken.objects.get(user=user)
    assert token_client.get("/api/v1/me").status_code == 200

    services.revoke_access_token(token, by=user)

    assert_error(token_client.get("/api/v1/me"), 401, "invalid_token")


@pytest.mark.parametrize(
    "secret",
    ["agora_not-a-real-token", "ghp_someone-elses-token", "", "agora_\u00e9\u00e8"],
    ids=["guessed", "other-prefix", "empty", "non-ascii"],
)
def test_a_garbage_token_gets_401(client, user, secret):
    response = client.get("/api/v1/me", headers=bearer(secret))

    assert_error(response, 401, "invalid_token")


def test_a_bad_token_is_refused_even_where_anonymous_callers_are_welcome(client, user):
    response = client.get(f"/api/v1/profiles/{user.handle}", headers=bearer("agora_wrong"))

    assert_error(response, 401, "invalid_token")


def test_a_bad_token_is_refused_even_next_to_a_valid_session(user_client):
    response = user_client.get("/api/v1/me", headers=bearer("agora_wrong"))

    assert_error(response, 401, "invalid_token")


def test_the_token_of_a_deactivated_account_stops_working(user, token_client):
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert_error(token_client.get("/api/v1/me"), 401, "invalid_token")


def test_a_moderator_without_two_factor_login_cannot_use_a_token(client):
    moderator = UserFactory(role=Role.MODERATOR)
    _token, secret = services.create_access_token(moderator, name="script")

    response = client.get("/api/v1/me", headers=bearer(secret))

    assert_error(response, 403, "two_factor_required")


def test_a_session_reads_without_a_csrf_token(csrf_client, user):
    response = csrf_client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["handle"] == user.handle


def test_session_change_without_csrf_token_is_refused(csrf_client, csrf_token, user):
    response = csrf_client.patch(
        "/api/v1/me", data={"bio": "Changed"}, content_type="application/json"
    )

    assert_error(response, 403, "csrf_failed")
    user.refresh_from_db()
    assert user.bio == ""


def test_session_change_with_the_csrf_token_goes_through(csrf_client, csrf_token, user):
    response = csrf_client.patch(
        "/api/v1/me",
        data={"bio": "Changed"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf_token},
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.bio == "Changed"


def test_session_revocation_without_csrf_token_is_refused(csrf_client, csrf_token, user):
    token, _secret = services.create_access_token(user, name="phone")

    response = csrf_client.delete(f"/api/v1/me/tokens/{token.pk}")

    assert_error(response, 403, "csrf_failed")
    token.refresh_from_db()
    assert token.is_active


def test_a_token_needs_no_csrf_token_to_change_things(user, token_secret):
    client = Client(enforce_csrf_checks=True, headers=bearer(token_secret))

    response = client.patch("/api/v1/me", data={"bio": "Hi"}, content_type="application/json")

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.bio == "Hi"


def test_an_anonymous_change_is_asked_to_sign_in_not_told_about_csrf(db):
    client = Client(enforce_csrf_checks=True)

    response = client.patch("/api/v1/me", data={"bio": "x"}, content_type="application/json")

    assert_error(response, 401, "not_authenticated")
