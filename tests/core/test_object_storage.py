"""Uploads in S3-compatible object storage (`AGORA_STORAGE_URL`, `core.storage`), against a
real S3 server on this machine: moto in server mode, started in its own process on its own
port. Files go up through the real pages, come back only through the views that check who may
see them, and nothing lands on the local disk."""

import io
import socket
import subprocess
import sys
import time
import zipfile
from datetime import timedelta

import boto3
import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage, storages
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from agora.accounts.models import Visibility
from agora.core.storage import storages_for
from agora.privacy import services
from agora.privacy.models import Export
from agora.social.models import PostImage
from tests.core.test_settings import load_settings
from tests.factories import UserFactory
from tests.helpers import signed_in
from tests.social.helpers import image_upload

BUCKET = "agora-uploads"
KEYS = {"access_key": "agora-test-key", "secret_key": "agora-test-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """A moto S3 server for this module, in its own process, with an empty bucket."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the moto S3 server did not start") from None
                time.sleep(0.05)
        client(endpoint).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


def client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )


def keys_in_bucket(endpoint) -> list[str]:
    listed = client(endpoint).list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listed.get("Contents", []))


@pytest.fixture
def in_bucket(s3_endpoint, settings, tmp_path):
    """The site's uploads and exports in the bucket under a prefix of this test's own, the
    local folders pointed at empty ones that must stay empty."""
    prefix = f"site-{time.monotonic_ns()}"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.AGORA_EXPORT_DIR = tmp_path / "exports"
    settings.STORAGES = {
        **settings.STORAGES,
        **storages_for(f"s3://{BUCKET}/{prefix}?endpoint={s3_endpoint}&region=eu-west-1", **KEYS),
    }
    yield prefix
    assert not (tmp_path / "media").exists() and not (tmp_path / "exports").exists()


def stored_keys(endpoint, prefix) -> list[str]:
    return [key.removeprefix(f"{prefix}/") for key in keys_in_bucket(endpoint) if prefix in key]


@pytest.mark.django_db
def test_a_post_image_goes_to_the_bucket_and_only_its_readers_get_it_back(s3_endpoint, in_bucket):
    ada, bob = UserFactory(), UserFactory()
    response = signed_in(ada).post(
        "/posts/new",
        {
            "body": "Only for my connections",
            "visibility": "connections",
            "reply_policy": "everyone",
            "image_1": image_upload(size=(90, 60)),
            "alt_1": "The new bench",
        },
    )
    assert response.status_code == 302
    image = PostImage.objects.get()
    assert default_storage.__class__.__name__ == "S3Storage"
    assert stored_keys(s3_endpoint, in_bucket) == [image.image.name]
    assert image.image.name.startswith("posts/")

    path = reverse("social:post_image", args=[image.post_id, image.pk])
    served = signed_in(ada).get(path)
    assert served.status_code == 200
    assert served["Cache-Control"] == "private, max-age=300"
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as read_back:
        assert read_back.size == (90, 60)
    # Another account and a visitor get the same 404 as for a file that does not exist.
    assert signed_in(bob).get(path).status_code == 404
    assert Client().get(path).status_code == 404
    # Nothing points at the bucket: the page links Agora's own checked address only.
    page = signed_in(ada).get(f"/posts/{image.post_id}/").content.decode()
    assert path in page and s3_endpoint not in page and in_bucket not in page


@pytest.mark.django_db
def test_an_avatar_goes_to_the_bucket_and_follows_the_profiles_visibility(
    s3_endpoint, in_bucket, django_capture_on_commit_callbacks
):
    ada, bob = UserFactory(), UserFactory()
    response = signed_in(ada).post(
        "/settings/profile/",
        {
            "display_name": "Ada Resident",
            "bio": "",
            "home_area": "",
            "preferred_language": "",
            "profile_visibility": Visibility.PRIVATE,
            "avatar": image_upload(name="me.png", size=(300, 200)),
        },
    )
    assert response.status_code == 302
    ada.refresh_from_db()
    assert stored_keys(s3_endpoint, in_bucket) == [ada.avatar.name]
    path = f"/@{ada.handle}/avatar"
    assert signed_in(ada).get(path).status_code == 200
    assert signed_in(bob).get(path).status_code == 404

    # A new avatar replaces the old object once the change commits.
    first = ada.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(ada).post(
            "/settings/profile/",
            {
                "display_name": "Ada Resident",
                "bio": "",
                "home_area": "",
                "preferred_language": "",
                "profile_visibility": Visibility.PRIVATE,
                "avatar": image_upload(name="me2.png", size=(100, 100)),
            },
        )
    ada.refresh_from_db()
    assert ada.avatar.name != first
    assert stored_keys(s3_endpoint, in_bucket) == [ada.avatar.name]


@pytest.mark.django_db
def test_a_data_export_is_built_into_the_bucket_and_downloaded_only_by_its_owner(
    s3_endpoint, in_bucket, run_worker, django_capture_on_commit_callbacks
):
    vera, omar = UserFactory(), UserFactory()
    owner = signed_in(vera)
    with django_capture_on_commit_callbacks(execute=True):
        assert owner.post(reverse("privacy:request_export")).status_code == 302
    run_worker()
    export = Export.objects.get(person=vera)
    assert stored_keys(s3_endpoint, in_bucket) == [f"exports/{export.file_name}"]
    assert storages["exports"].size(export.file_name) == export.size

    link = reverse("privacy:download", args=[export.token])
    download = owner.get(link)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        assert "README.txt" in archive.namelist()
    assert signed_in(omar).get(link).status_code == 404

    # When it expires, the worker's retention removes the row and then the object.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_exports(timezone.now() + timedelta(days=8)) == 1
    assert stored_keys(s3_endpoint, in_bucket) == []
    assert owner.get(link).status_code == 404


def test_a_missing_object_is_not_found_as_a_missing_file_is(s3_endpoint, in_bucket):
    """The views turn FileNotFoundError into a 404 (`core.images.image_response`, the
    attachment and export downloads); the bucket must raise the same as the disk."""
    with pytest.raises(FileNotFoundError):
        default_storage.open("posts/never-uploaded.png", "rb")


# Reading the storage URL.


def test_a_storage_url_without_a_bucket_stops_start_up_naming_the_variable():
    result = load_settings(show="s.STORAGES", AGORA_ENV="test", AGORA_STORAGE_URL="s3://")
    assert result.returncode != 0
    assert "ImproperlyConfigured: AGORA_STORAGE_URL: 's3://' names no bucket" in result.stderr
    result = load_settings(
        show="s.STORAGES['default']['BACKEND']",
        AGORA_ENV="test",
        AGORA_STORAGE_URL="s3://agora?endpoint=http://127.0.0.1:9000&region=eu-west-1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "storages.backends.s3.S3Storage"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("s3:///prefix?endpoint=http://127.0.0.1:9000", "names no bucket"),
        ("s3://?region=eu-west-1", "names no bucket"),
        ("gs://agora", "'gs' is not supported"),
        ("s3://key:secret@agora", "keep credentials out of the URL"),
        ("s3://agora?endpoint=127.0.0.1:9000", "is not an http:// or https:// address"),
        ("s3://agora?bucket=other", "unknown option bucket"),
        ("s3://agora?addressing=dns", "addressing is path or virtual"),
    ],
)
def test_a_bad_storage_url_is_refused_naming_the_variable(url, message):
    with pytest.raises(ImproperlyConfigured, match=message) as refused:
        storages_for(url)
    assert str(refused.value).startswith("AGORA_STORAGE_URL: ")


def test_half_a_pair_of_credentials_is_refused():
    with pytest.raises(ImproperlyConfigured, match="AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"):
        storages_for("s3://agora", access_key="only-the-key")


def test_what_a_storage_url_configures():
    chosen = storages_for(
        "s3://agora/city?endpoint=https://s3.example.org&region=eu-west-1", **KEYS
    )
    uploads, exports = chosen["default"]["OPTIONS"], chosen["exports"]["OPTIONS"]
    assert uploads["bucket_name"] == exports["bucket_name"] == "agora"
    assert (uploads["location"], exports["location"]) == ("city", "city/exports")
    assert uploads["endpoint_url"] == "https://s3.example.org"
    assert uploads["addressing_style"] == "path" and uploads["default_acl"] is None
    assert uploads["access_key"] == KEYS["access_key"]
    on_aws = storages_for("s3://agora?region=eu-west-1")["default"]["OPTIONS"]
    assert on_aws["endpoint_url"] is None and on_aws["addressing_style"] == "virtual"
    assert "access_key" not in on_aws
    assert storages_for("")["default"]["BACKEND"].endswith("FileSystemStorage")


def test_every_uploaded_file_goes_through_the_configured_storage():
    """A field given its own storage would keep its files on one machine whatever
    AGORA_STORAGE_URL says."""
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.fields
        if isinstance(field, models.FileField)
    ]
    assert len(fields) >= 7  # avatars, post images, case photos, attachments, ...
    assert all(field.storage is default_storage for field in fields), [
        str(field) for field in fields if field.storage is not default_storage
    ]


# Starts server or worker processes of its own: run once, on PostgreSQL, as the browser tests are.
pytestmark = pytest.mark.servers
