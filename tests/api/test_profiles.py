"""GET /api/v1/profiles/{handle}: public profiles, and the ones their owners keep hidden."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agora.accounts import services
from agora.accounts.models import Verification, Visibility
from tests.api.conftest import assert_error
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def profile_url(person) -> str:
    return f"/api/v1/profiles/{person.handle}"


def test_a_public_profile_is_open_to_anonymous_callers(client):
    person = UserFactory(bio="Cyclist", home_area="Riverside")

    response = client.get(profile_url(person))

    assert response.status_code == 200
    assert response.json() == {
        "handle": person.handle,
        "display_name": person.display_name,
        "bio": "Cyclist",
        "home_area": "Riverside",
        "role": "resident",
        "kind": "resident",
        "kind_detail": "",
        "verified": False,
        "verified_at": None,
        "verified_how": None,
        "avatar_url": None,
        "joined": response.json()["joined"],
    }
    assert response.json()["joined"].startswith(str(person.date_joined.year))


def test_a_profile_never_shows_the_email_address(client, user_client, user):
    for caller in (client, user_client):
        response = caller.get(profile_url(user))
        assert response.status_code == 200
        assert "email" not in response.json()
        assert user.email not in response.content.decode()


def test_a_verified_resident_is_marked_verified(client):
    person = UserFactory(verification=Verification.VERIFIED_RESIDENT)

    assert client.get(profile_url(person)).json()["verified"] is True


def test_a_profile_with_an_avatar_links_to_it(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = UserFactory()
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(png, format="PNG")
    services.update_profile(
        person, avatar=SimpleUploadedFile("me.png", png.getvalue(), content_type="image/png")
    )

    avatar_url = client.get(profile_url(person)).json()["avatar_url"]

    assert avatar_url == f"{settings.SITE_URL}/@{person.handle}/avatar"


def test_the_handle_is_matched_without_regard_to_case(client):
    UserFactory(handle="RiverWatcher")

    response = client.get("/api/v1/profiles/riverwatcher")

    assert response.status_code == 200
    assert response.json()["handle"] == "RiverWatcher"


def test_a_missing_profile_is_404(client, db):
    assert_error(client.get("/api/v1/profiles/nobody_here"), 404, "not_found")


def test_a_members_only_profile_is_404_to_anonymous_callers_exactly_like_a_missing_one(client):
    hidden = UserFactory(profile_visibility=Visibility.MEMBERS)

    hidden_response = client.get(profile_url(hidden))
    missing_response = client.get("/api/v1/profiles/nobody_here")

    assert_error(hidden_response, 404, "not_found")
    assert hidden_response.content == missing_response.content


def test_a_members_only_profile_is_open_to_signed_in_members(user_client, token_client):
    member_profile = UserFactory(profile_visibility=Visibility.MEMBERS)

    for caller in (user_client, token_client):
        response = caller.get(profile_url(member_profile))
        assert response.status_code == 200
        assert response.json()["handle"] == member_profile.handle


def test_a_private_profile_is_404_to_other_members(user_client, token_client):
    private = UserFactory(profile_visibility=Visibility.PRIVATE)

    assert_error(user_client.get(profile_url(private)), 404, "not_found")
    assert_error(token_client.get(profile_url(private)), 404, "not_found")


def test_a_private_profile_is_visible_to_its_owner(user, user_client, token_client):
    services.update_profile(user, profile_visibility=Visibility.PRIVATE)

    for caller in (user_client, token_client):
        response = caller.get(profile_url(user))
        assert response.status_code == 200
        assert response.json()["handle"] == user.handle


def test_a_deactivated_account_has_no_profile(client):
    gone = UserFactory(is_active=False)

    assert_error(client.get(profile_url(gone)), 404, "not_found")


def test_reading_a_profile_takes_two_queries_anonymously(client, django_assert_num_queries):
    person = UserFactory()

    # The caller's request budget (core.ratelimit, one atomic statement), the profile.
    with django_assert_num_queries(2):
        response = client.get(profile_url(person))
    assert response.status_code == 200
    assert response.json()["display_name"] == person.display_name


def test_reading_a_profile_takes_three_queries_with_a_session(
    user_client, django_assert_num_queries
):
    person = UserFactory(profile_visibility=Visibility.MEMBERS)

    # Its account, its request budget, the profile (the session comes from the cache).
    with django_assert_num_queries(3):
        response = user_client.get(profile_url(person))
    assert response.status_code == 200
    assert response.json()["display_name"] == person.display_name
