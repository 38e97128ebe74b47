"""Profiles: what others see, what the person can change, and what never leaks."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from agora.accounts.models import User, Visibility
from tests.factories import UserFactory
from tests.helpers import main_part

pytestmark = pytest.mark.django_db


def image_upload(name="me.jpg", image_format="JPEG", size=(800, 600), exif=True, mode="RGB"):
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None)
    buffer = io.BytesIO()
    kwargs = {}
    if exif:
        exif_data = Image.Exif()
        exif_data[0x010F] = "SpyCam Inc."  # Make
        exif_data[0x0132] = "2026:01:01 10:00:00"  # DateTime
        kwargs["exif"] = exif_data
    image.save(buffer, format=image_format, **kwargs)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}[image_format]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def profile_form(**overrides):
    return {
        "display_name": "Ada Resident",
        "bio": "I like parks.",
        "home_area": "Riverside",
        "preferred_language": "",
        "profile_visibility": Visibility.PUBLIC,
        **overrides,
    }


@pytest.mark.parametrize(
    ("visibility", "anonymous", "member", "owner"),
    [
        (Visibility.PUBLIC, 200, 200, 200),
        (Visibility.MEMBERS, 404, 200, 200),
        (Visibility.PRIVATE, 404, 404, 200),
    ],
)
def test_profile_visibility_decides_who_sees_the_page(visibility, anonymous, member, owner):
    person = UserFactory(profile_visibility=visibility, display_name="Visible Person")
    reader = UserFactory()
    as_member, as_owner = Client(), Client()
    as_member.force_login(reader)
    as_owner.force_login(person)
    url = f"/@{person.handle}/"

    assert Client().get(url).status_code == anonymous
    assert as_member.get(url).status_code == member
    response = as_owner.get(url)
    assert response.status_code == owner
    assert "Visible Person" in response.content.decode()


def test_a_hidden_profile_answers_exactly_like_a_missing_one(client):
    hidden = UserFactory(profile_visibility=Visibility.PRIVATE)
    hidden_page = client.get(f"/@{hidden.handle}/")
    missing_page = client.get("/@nobody_at_all/")
    assert hidden_page.status_code == missing_page.status_code == 404
    assert main_part(hidden_page, status=404) == main_part(missing_page, status=404)


def test_the_email_address_never_appears_on_a_profile(client):
    person = UserFactory(email="secret.address@example.org", bio="Hello")
    reader = UserFactory()
    client.force_login(reader)
    assert "secret.address" not in client.get(f"/@{person.handle}/").content.decode()
    client.force_login(person)
    assert "secret.address" not in client.get(f"/@{person.handle}/").content.decode()


def test_a_handle_in_another_case_leads_to_the_profile(client):
    UserFactory(handle="RiverWatcher")
    response = client.get("/@riverwatcher/")
    assert response.status_code == 301
    assert response["Location"] == "/@RiverWatcher/"


def test_the_handle_is_unique_without_regard_to_case_in_the_database():
    from django.db import IntegrityError, transaction

    UserFactory(handle="CaseTest")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("other@example.org", "casetest", "x")


def test_editing_the_profile_saves_every_field(user_client, user):
    response = user_client.post(
        "/settings/profile/",
        profile_form(preferred_language="es", profile_visibility=Visibility.MEMBERS),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Ada Resident"
    assert user.bio == "I like parks."
    assert user.home_area == "Riverside"
    assert user.preferred_language == "es"
    assert user.profile_visibility == Visibility.MEMBERS


def test_a_rejected_profile_form_keeps_what_was_typed_and_changes_nothing(user_client, user):
    before = user.display_name
    response = user_client.post(
        "/settings/profile/",
        profile_form(display_name="Typed Name", bio="x" * 501, home_area="Typed Area"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Typed Name"' in html
    assert 'value="Typed Area"' in html
    assert "at most 500 characters" in html
    assert 'aria-invalid="true"' in html
    user.refresh_from_db()
    assert user.display_name == before


def test_an_avatar_is_reencoded_without_its_metadata_and_resized(user_client, user):
    response = user_client.post(
        "/settings/profile/", {**profile_form(), "avatar": image_upload(size=(2000, 1000))}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    with user.avatar.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert max(image.size) == 512
        assert not image.getexif()
        assert "exif" not in image.info

    served = Client().get(f"/@{user.handle}/avatar")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert b"SpyCam" not in b"".join(served.streaming_content)


def test_a_transparent_png_avatar_stays_a_png(user_client, user):
    upload = image_upload(name="a.png", image_format="PNG", mode="RGBA", exif=False)
    user_client.post("/settings/profile/", {**profile_form(), "avatar": upload})
    user.refresh_from_db()
    assert user.avatar.name.endswith(".png")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile(
                "drawing.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                content_type="image/svg+xml",
            ),
            "not an image we can read",
        ),
        (
            SimpleUploadedFile("notes.jpg", b"just some text", content_type="image/jpeg"),
            "not an image we can read",
        ),
    ],
)
def test_an_avatar_that_is_not_a_raster_image_is_refused(user_client, user, upload, message):
    response = user_client.post("/settings/profile/", {**profile_form(), "avatar": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert not user.avatar


def test_an_avatar_over_the_size_limit_is_refused(user_client, user, settings):
    settings.AGORA_AVATAR_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.jpg", b"\xff" * (1024 * 1024 + 1), content_type="image/jpeg")
    response = user_client.post("/settings/profile/", {**profile_form(), "avatar": big})
    assert response.status_code == 200
    assert "too large" in response.content.decode()
    user.refresh_from_db()
    assert not user.avatar


def test_the_avatar_of_a_private_profile_is_not_served_to_others(user_client, user):
    user_client.post(
        "/settings/profile/",
        {**profile_form(profile_visibility=Visibility.PRIVATE), "avatar": image_upload()},
    )
    assert Client().get(f"/@{user.handle}/avatar").status_code == 404
    served = user_client.get(f"/@{user.handle}/avatar")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as image:
        assert image.format == "JPEG"


def test_removing_the_avatar_deletes_the_file(
    user_client, user, django_capture_on_commit_callbacks
):
    user_client.post("/settings/profile/", {**profile_form(), "avatar": image_upload()})
    user.refresh_from_db()
    storage, name = user.avatar.storage, user.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        user_client.post("/settings/profile/", {**profile_form(), "remove_avatar": "on"})
    user.refresh_from_db()
    assert not user.avatar
    assert not storage.exists(name)


def test_settings_pages_need_a_signed_in_person(client):
    for url in ("/settings/profile/", "/settings/tokens/", "/settings/verification/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_profile_page_takes_the_same_queries_for_any_profile(client, django_assert_num_queries):
    quiet = UserFactory(bio="")
    busy = UserFactory(bio="A long bio " * 20, home_area="Centro")
    with django_assert_num_queries(1):
        quiet_page = main_part(client.get(f"/@{quiet.handle}/"))
    with django_assert_num_queries(1):
        busy_page = main_part(client.get(f"/@{busy.handle}/"))
    assert f"@{quiet.handle}" in quiet_page and 'class="bio"' not in quiet_page
    assert f"@{busy.handle}" in busy_page and "A long bio" in busy_page
    assert "<dd>Centro</dd>" in busy_page


@pytest.mark.parametrize("handle", ["per%00son", "x" * 31, "semi;colon", "%E2%80%AE"])
def test_text_that_cannot_be_a_handle_is_simply_not_found(client, handle):
    response = client.get(f"/@{handle}/")
    assert response.status_code == 404


def test_another_account_cannot_see_or_revoke_my_tokens_by_url(client):
    from agora.accounts import services

    owner, intruder = UserFactory(), UserFactory()
    token, _secret = services.create_access_token(owner, name="Owner's phone")
    client.force_login(intruder)

    listing = client.get("/settings/tokens/")
    assert "Owner&#x27;s phone" not in listing.content.decode()
    assert "Owner's phone" not in listing.content.decode()

    response = client.post(f"/settings/tokens/{token.pk}/revoke")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_an_owner_creates_sees_once_and_revokes_a_token_on_the_settings_page(user_client, user):
    created = user_client.post("/settings/tokens/", {"name": "My script"})
    html = created.content.decode()
    secret = html.split('<code class="secret">', 1)[1].split("</code>", 1)[0]
    assert secret.startswith("agora_")
    assert secret not in user_client.get("/settings/tokens/").content.decode()

    token = user.access_tokens.get()
    user_client.post(f"/settings/tokens/{token.pk}/revoke")
    token.refresh_from_db()
    assert not token.is_active
