"""`{% map_tiles %}`: the data attributes that name the administrator's tile server to the map
scripts (AGORA_MAP_TILES_URL and its attribution), or nothing when none is set."""

from django import template
from django.conf import settings
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def map_tiles() -> str:
    if not settings.AGORA_MAP_TILES_URL:
        return ""
    return format_html(
        ' data-tiles="{}" data-attribution="{}"',
        settings.AGORA_MAP_TILES_URL,
        settings.AGORA_MAP_TILES_ATTRIBUTION,
    )
