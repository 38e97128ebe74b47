"""Photos through the API and Open311: a multipart case with a described photo, re-encoded and
as private as its case; Open311 gives `media_url` for a case's photo and keeps an
application's `media_url` as a link it never fetches."""

import io
import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agora.cases import services
from agora.cases.models import Case
from tests.api.conftest import assert_error
from tests.cases.test_open311 import assert_valid
from tests.helpers import main_part, signed_in

pytestmark = pytest.mark.django_db

FIELDS = {
    "kind": "report",
    "title": "Broken lamp",
    "description": "The glass is shattered.",
    "topic": "street-lighting",
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def png(name="lamp.png", size=(64, 48), noise=False) -> SimpleUploadedFile:
    output = io.BytesIO()
    if noise:  # does not compress: a large file
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 180, 20))
    image.save(output, format="PNG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/png")


def test_a_case_with_a_photo_through_the_api(client, town, media):
    signed_in(town.resident, client)
    response = client.post(
        "/api/v1/cases",
        {**FIELDS, "is_public": "false", "photo": png(), "photo_alt": "A shattered lamp"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert body["photo_url"] == f"{settings.SITE_URL}/cases/{case.pk}/photo/"
    assert body["photo_alt"] == "A shattered lamp" and body["is_public"] is False
    assert case.photo.name.startswith("cases/") and case.photo.name != "cases/lamp.png"
    with Image.open(case.photo.path) as stored:
        assert stored.size == (64, 48)
    assert client.get(f"/cases/{case.pk}/photo/").status_code == 200
    signed_in(town.other_resident, client)
    assert client.get(f"/cases/{case.pk}/photo/").status_code == 404
    client.logout()
    assert client.get(f"/cases/{case.pk}/photo/").status_code == 404


def test_json_still_creates_a_case_without_a_photo(client, town):
    body = (
        signed_in(town.resident, client)
        .post("/api/v1/cases", FIELDS, content_type="application/json")
        .json()
    )
    assert body["photo_url"] is None and body["media_url"] is None


@pytest.mark.parametrize(
    ("extra", "status", "code"),
    [
        ({"photo": "png"}, 422, "missing_text"),
        ({"photo": "text", "photo_alt": "A lamp"}, 422, "invalid_photo"),
        ({"photo": "big", "photo_alt": "A lamp"}, 422, "invalid_photo"),
        ({"photo": "png", "photo_alt": "x" * 301}, 422, "invalid"),
        ({"photo": "png", "photo_alt": "A lamp", "extra": "1"}, 422, "invalid"),
        ({"photo": "png", "photo_alt": "A lamp", "topic": "no-such-topic"}, 422, "unknown_topic"),
        ({"title": ""}, 422, "invalid"),
        ({"other_file": "png"}, 422, "invalid"),
    ],
)
def test_bad_photos_and_forms_get_the_error_shape_and_create_nothing(
    client, town, media, settings, extra, status, code
):
    settings.AGORA_AVATAR_MAX_BYTES = 50_000
    data = dict(FIELDS)
    for name, value in extra.items():
        if value == "png":
            data[name] = png()
        elif value == "text":
            data[name] = SimpleUploadedFile("lamp.png", b"not an image", "image/png")
        elif value == "big":
            data[name] = png(size=(200, 200), noise=True)
        else:
            data[name] = value
    response = signed_in(town.resident, client).post("/api/v1/cases", data)
    error = assert_error(response, status, code)
    if code == "missing_text":
        assert "Describe what the photo shows" in error["message"]
    assert not Case.objects.exists()
    assert not list(media.rglob("*.*"))


def test_a_body_that_is_not_json_is_refused(client, town):
    response = signed_in(town.resident, client).post(
        "/api/v1/cases", "{not json", content_type="application/json"
    )
    assert_error(response, 400, "malformed_json")
    response = client.post("/api/v1/cases", "[1, 2]", content_type="application/json")
    assert_error(response, 422, "invalid")
    assert not Case.objects.exists()


def test_open311_gives_the_photo_of_a_case_as_an_absolute_media_url(client, town, media):
    case = services.submit_case(
        by=town.resident,
        kind="report",
        title="Lamp",
        description="Dark.",
        topic=town.lighting,
        photo=png(),
        photo_alt="A dark lamp",
    )
    documents = client.get(f"/open311/v2/requests/{case.pk}.json").json()
    assert_valid(documents, "requests.json")
    assert documents[0]["media_url"] == f"{settings.SITE_URL}/cases/{case.pk}/photo/"
    xml = client.get(f"/open311/v2/requests/{case.pk}.xml").content.decode()
    assert f"<media_url>{settings.SITE_URL}/cases/{case.pk}/photo/</media_url>" in xml


def test_open311_keeps_a_media_url_as_a_link_and_never_fetches_it(client, town, monkeypatch):
    import socket
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("Agora must not fetch media_url")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    key = services.create_open311_key("Reporter")
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "street-lighting",
            "address_string": "Calle Mayor 12",
            "description": "Dark",
            "media_url": "https://photos.example/lamp.jpg",
        },
    )
    assert response.status_code == 200, response.content
    case = Case.objects.get()
    assert case.media_url == "https://photos.example/lamp.jpg" and not case.photo
    documents = client.get("/open311/v2/requests.json").json()
    assert_valid(documents, "requests.json")
    assert documents[0]["media_url"] == "https://photos.example/lamp.jpg"
    html = main_part(client.get(case.get_absolute_url()))
    assert 'href="https://photos.example/lamp.jpg" rel="nofollow noopener noreferrer ugc"' in html
    assert "<img" not in html  # a link, not an embedded image


@pytest.mark.parametrize(
    "media_url",
    [
        "javascript:alert(1)",
        "ftp://photos.example/lamp.jpg",
        "file:///etc/passwd",
        "not a url",
        "https://photos.example/" + "a" * 500,
    ],
)
def test_open311_refuses_a_media_url_that_is_not_a_web_address(client, town, media_url):
    key = services.create_open311_key("Reporter")
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "street-lighting",
            "address_string": "Calle Mayor 12",
            "media_url": media_url,
        },
    )
    assert response.status_code == 400
    assert response.json() == [
        {
            "code": 400,
            "description": "media_url must be an http or https URL of at most 500 characters.",
        }
    ]
    assert not Case.objects.exists()
