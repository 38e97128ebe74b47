"""Helpers for the social tests: image uploads and API calls."""

import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from agora.accounts import services as account_services
from tests.api.conftest import bearer


def image_upload(name="photo.png", size=(120, 80), color=(20, 120, 200)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def api_client(person) -> Client:
    """A client that calls the API with a personal access token of the person."""
    _token, secret = account_services.create_access_token(person, name="test")
    return Client(headers=bearer(secret))


def send(client, method, path, body=None):
    """Call the API at `path` (under /api/v1) with a JSON body, except for GET."""
    if method == "get":
        return client.get(f"/api/v1{path}")
    return getattr(client, method)(
        f"/api/v1{path}", data=json.dumps(body or {}), content_type="application/json"
    )
