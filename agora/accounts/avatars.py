"""Avatars: re-encoded by `agora.core.images` (metadata dropped, anything that is not an image
refused) and bounded to a 512-pixel square."""

from django.conf import settings
from django.core.files.base import ContentFile

from agora.core.images import reencode_image

AVATAR_SIZE = 512


def reencode_avatar(upload) -> ContentFile:
    """Return the upload as a square-bounded, metadata-free image, or raise ValidationError."""
    return reencode_image(
        upload, max_bytes=settings.AGORA_AVATAR_MAX_BYTES, max_side=AVATAR_SIZE
    ).file
