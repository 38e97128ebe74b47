"""Uploaded images, decoded and re-encoded by Pillow: what is stored and served is a fresh PNG
or JPEG without the uploader's metadata (camera, place, time) and without anything that is not
an image. Avatars and post images both come through here."""

import io
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CleanImage:
    file: ContentFile
    width: int
    height: int


def reencode_image(upload, *, max_bytes: int, max_side: int) -> CleanImage:
    """The upload as a metadata-free image no larger than max_side on either side, or a
    ValidationError saying what is wrong with it."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The image is too large. Choose a file under %(megabytes)d MB.")
            % {"megabytes": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    _("Use a JPEG, PNG, WebP or GIF image."), code="unsupported_format"
                )
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("The image has too many pixels. Use one under 40 megapixels."),
                    code="too_many_pixels",
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((max_side, max_side))
            has_alpha = image.mode in ("RGBA", "LA", "P") and (
                image.mode != "P" or "transparency" in image.info
            )
            output = io.BytesIO()
            if has_alpha:
                clean = Image.new("RGBA", image.size)
                clean.paste(image.convert("RGBA"))
                clean.save(output, format="PNG", optimize=True)
                extension = "png"
            else:
                clean = Image.new("RGB", image.size)
                clean.paste(image.convert("RGB"))
                clean.save(output, format="JPEG", quality=85, optimize=True)
                extension = "jpg"
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not an image we can read. Use a JPEG, PNG, WebP or GIF image."),
            code="not_an_image",
        ) from None
    upload.seek(0)
    return CleanImage(
        file=ContentFile(output.getvalue(), name=f"{secrets.token_hex(16)}.{extension}"),
        width=clean.width,
        height=clean.height,
    )


def image_response(stored, *, cache_control: str = "private, max-age=300") -> FileResponse:
    """Serve an image re-encoded by `reencode_image` (a model's file field, or anything with
    `name` and `open`), PNG or JPEG by its name; 404 when it is missing. The caller checks who
    may see it first: private by default, as an avatar or a private case's photo must be."""
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = "image/png" if stored.name.endswith(".png") else "image/jpeg"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = cache_control
    return response
