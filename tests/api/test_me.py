"""GET and PATCH /api/v1/me: your own account."""

import pytest

from agora.accounts.models import Visibility
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_me_shows_the_account_with_its_email_to_its_owner(user_client, user):
    response = user_client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "handle": user.handle,
        "display_name": user.display_name,
        "bio": "",
        "home_area": "",
        "preferred_language": "",
        "profile_visibility": "public",
        "connections_visibility": "public",
        "role": "resident",
        "kind": "resident",
        "verification": "email_confirmed",
        "email": user.email,
    }


def test_me_is_401_for_an_anonymous_caller(client):
    assert_error(client.get("/api/v1/me"), 401, "not_authenticated")


def test_patching_me_changes_only_the_fields_sent(user_client, user):
    old_display_name = user.display_name

    response = user_client.patch(
        "/api/v1/me",
        data={
            "bio": "  I grow tomatoes.  ",
            "home_area": "Old Town",
            "preferred_language": "es",
            "profile_visibility": "members",
        },
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["bio"] == "I grow tomatoes."
    user.refresh_from_db()
    assert user.bio == "I grow tomatoes."
    assert user.home_area == "Old Town"
    assert user.preferred_language == "es"
    assert user.profile_visibility == Visibility.MEMBERS
    assert user.display_name == old_display_name


def test_patching_me_can_empty_a_field(user_client, user):
    response = user_client.patch(
        "/api/v1/me", data={"display_name": ""}, content_type="application/json"
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.display_name == ""


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"bio": "x" * 501}, "bio"),
        ({"bio": None}, "bio"),
        ({"home_area": 12}, "home_area"),
        ({"preferred_language": "klingon"}, "preferred_language"),
        ({"profile_visibility": "friends"}, "profile_visibility"),
        ({"role": "administrator"}, "role"),
        ({"email": "new@example.org"}, "email"),
    ],
    ids=["too-long", "null", "not-text", "language", "visibility", "role", "email"],
)
def test_a_bad_profile_change_is_422_names_the_field_and_changes_nothing(
    user_client, user, changes, field
):
    before = (user.display_name, user.bio, user.role, user.email)

    response = user_client.patch(
        "/api/v1/me",
        data={"display_name": "Someone New", **changes},
        content_type="application/json",
    )

    error = assert_error(response, 422, "invalid")
    assert field in error["message"]
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.role, user.email) == before
