"""Helpers for the social tests: image uploads and signed-in clients."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image


def image_upload(name="photo.png", size=(120, 80), color=(20, 120, 200)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client
