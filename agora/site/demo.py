"""The demo city's identity: Villaverde's name, a crest drawn here, its colours and how to reach
its town hall, so that `make run` shows a branded site."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from agora.core import identity
from agora.core.images import reencode_image
from agora.core.models import SiteIdentity

DEMO_IDENTITY = {
    "authority_name_en": "Villaverde City Council",
    "authority_name_es": "Ayuntamiento de Villaverde",
    "main_colour": "#1d5c3f",
    "main_text_colour": "#ffffff",
    "email": "hello@villaverde.example",
    "phone": "+34 910 000 010",
    "postal_address": "Plaza Mayor 1\n28999 Villaverde",
    "opening_hours_en": "Monday to Friday, 9:00 to 14:00\nThursday also 16:00 to 19:00",
    "opening_hours_es": "De lunes a viernes, de 9:00 a 14:00\nLos jueves también de 16:00 a 19:00",
}


def demo_crest() -> bytes:
    """A shield in the city's green and gold, with a white tower: a PNG with transparency."""
    size = 192
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    shield = [(24, 12), (168, 12), (168, 100), (96, 180), (24, 100)]
    draw.polygon(shield, fill=(29, 92, 63, 255), outline=(214, 170, 40, 255), width=10)
    draw.rectangle((72, 60, 120, 140), fill=(255, 255, 255, 255))
    for left in (68, 88, 108):
        draw.rectangle((left, 44, left + 16, 62), fill=(255, 255, 255, 255))
    draw.rectangle((88, 108, 104, 140), fill=(29, 92, 63, 255))
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def load_demo_identity(*, force: bool = False) -> str:
    """Villaverde's identity, unless an administrator has set one already."""
    if SiteIdentity.objects.exists():
        return ""
    row = identity.identity_row()
    for name, value in DEMO_IDENTITY.items():
        setattr(row, name, value)
    upload = SimpleUploadedFile("crest.png", demo_crest(), content_type="image/png")
    crest = reencode_image(
        upload, max_bytes=identity.CREST_MAX_BYTES, max_side=identity.CREST_MAX_SIDE
    )
    identity.save_site_identity(row, by=None, crest=crest)
    return "Set the demo city's identity (Villaverde City Council)."
