"""Where uploaded files live: folders on this machine by default, or a bucket of S3-compatible
object storage (AWS S3, MinIO, Ceph, Garage, ...) named by `AGORA_STORAGE_URL`.

Either way every file is private: nothing is published at a public address. Avatars, post
images, case photos, attachments and data exports are read back by the views that check who
may see them (`core.images.image_response`, the attachment and export downloads), which stream
them from whichever storage holds them. The settings module calls `storages_for` only; the rest
of Agora reaches files through model fields and `django.core.files.storage.storages`.

    s3://bucket[/prefix]?endpoint=https://s3.example.org&region=eu-west-1

`endpoint` is left out for AWS itself. Credentials are not part of the URL: they come from
`AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (or their `_FILE` forms), or else from what
boto3 finds by itself (an instance role, ~/.aws).
"""

from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage

VARIABLE = "AGORA_STORAGE_URL"
S3_BACKEND = "storages.backends.s3.S3Storage"
FILE_BACKEND = "django.core.files.storage.FileSystemStorage"
EXPORTS_FOLDER = "exports"
KNOWN_OPTIONS = {"endpoint", "region", "addressing"}


class ExportsFileStorage(FileSystemStorage):
    """Data exports on this machine, under `AGORA_EXPORT_DIR` (outside MEDIA_ROOT), read when
    used so that a test's own folder is followed."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.AGORA_EXPORT_DIR)

    @property
    def location(self):
        return str(self.base_location)


def storages_for(url: str, *, access_key: str = "", secret_key: str = "") -> dict:
    """The `default` (uploads) and `exports` (data exports) entries of Django's STORAGES for
    the storage URL; files on disk (MEDIA_ROOT and AGORA_EXPORT_DIR) when it is empty."""
    if not url:
        return {
            "default": {"BACKEND": FILE_BACKEND},
            "exports": {"BACKEND": "agora.core.storage.ExportsFileStorage"},
        }
    options = _s3_options(url)
    if access_key or secret_key:
        if not (access_key and secret_key):
            raise ImproperlyConfigured(
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set both, or neither to let "
                "boto3 find the credentials (an instance role, ~/.aws)."
            )
        options |= {"access_key": access_key, "secret_key": secret_key}
    prefix = options.pop("location")
    return {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": options | {"location": prefix}},
        "exports": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": options | {"location": f"{prefix}/{EXPORTS_FOLDER}".lstrip("/")},
        },
    }


def _s3_options(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(
            f"{VARIABLE}: {parts.scheme or url!r} is not supported; use "
            "s3://bucket?endpoint=https://s3.example.org&region=..., or leave it unset for "
            "files on this machine."
        )
    if parts.username or parts.password:
        raise ImproperlyConfigured(
            f"{VARIABLE}: keep credentials out of the URL; set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY (or their _FILE forms)."
        )
    bucket = parts.hostname or ""
    if not bucket:
        raise ImproperlyConfigured(
            f"{VARIABLE}: {url!r} names no bucket; write s3://bucket?endpoint=...&region=..."
        )
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = sorted(set(query) - KNOWN_OPTIONS)
    if unknown:
        raise ImproperlyConfigured(
            f"{VARIABLE}: unknown option {', '.join(unknown)}; known: "
            f"{', '.join(sorted(KNOWN_OPTIONS))}."
        )
    endpoint = query.get("endpoint", "")
    if endpoint and (
        urlsplit(endpoint).scheme not in {"http", "https"} or not urlsplit(endpoint).hostname
    ):
        raise ImproperlyConfigured(
            f"{VARIABLE}: endpoint {endpoint!r} is not an http:// or https:// address."
        )
    addressing = query.get("addressing", "path" if endpoint else "virtual")
    if addressing not in {"path", "virtual"}:
        raise ImproperlyConfigured(
            f"{VARIABLE}: addressing is path or virtual, not {addressing!r}."
        )
    return {
        "bucket_name": bucket,
        "location": parts.path.strip("/"),
        "endpoint_url": endpoint or None,
        "region_name": query.get("region") or None,
        "addressing_style": addressing,
        "signature_version": "s3v4",
        # Private objects: no ACL that could publish one, and never a public address.
        "default_acl": None,
        "querystring_auth": True,
        # Two uploads of one name keep both, as on disk (names are random anyway).
        "file_overwrite": False,
        # An object read back is held in memory up to this size, then in a temporary file.
        "max_memory_size": 8 * 1024 * 1024,
    }
