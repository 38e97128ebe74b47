"""A process's image: re-encoded without its metadata by `core.images`, described for people
who cannot see it, served as privately as the process; a file that is not an image, or an
image without a description, is refused keeping what was typed."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agora.processes.models import Process
from tests.helpers import main_part, signed_in
from tests.processes.test_pages import _form


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def png_with_metadata() -> SimpleUploadedFile:
    output = io.BytesIO()
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # the camera's maker
    image.save(output, format="JPEG", exif=exif)
    return SimpleUploadedFile("street.jpg", output.getvalue(), content_type="image/jpeg")


def test_an_image_with_its_description_is_reencoded_and_served_like_the_process(
    town, media, client
):
    data = _form(town, image_alt_en="A bike lane on a wide street", is_published="")
    data["image"] = png_with_metadata()
    response = signed_in(town.official).post(reverse("processes:create"), data)
    assert response.status_code == 302
    process = Process.objects.get()
    stored = process.image.read()
    assert b"SecretCam" not in stored
    url = reverse("processes:image", args=[process.slug])
    page = main_part(signed_in(town.official).get(process.get_absolute_url()))
    assert f'<img src="{url}" alt="A bike lane on a wide street">' in page
    assert signed_in(town.official).get(url).status_code == 200
    assert client.get(url).status_code == 404  # a draft's image is as private as the draft


@pytest.mark.parametrize(
    ("upload", "alt", "message"),
    [
        (png_with_metadata, "", "Describe what the image shows"),
        (
            lambda: SimpleUploadedFile("x.png", b"not an image", "image/png"),
            "Something",
            "Upload a valid image",
        ),
    ],
)
def test_a_bad_image_is_refused_keeping_what_was_typed(town, media, upload, alt, message):
    data = _form(town, image_alt_en=alt)
    data["image"] = upload()
    page = main_part(signed_in(town.official).post(reverse("processes:create"), data))
    assert message in page
    assert 'value="Trees for every street"' in page
    assert not Process.objects.exists()
