"""Dates, written one way per language (the formats in `agora/core/formats/`):

- `{% moment value %}`: a moment, as `<time datetime="…">4 Dec 2026, 15:13</time>` in the
  reader's time zone; `{% moment value "day" %}` the day alone;
- `{{ value|day }}`: the day as text, for a sentence ("answer by 8 Dec 2026").
"""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

register = template.Library()

FORMATS = {"minute": "DATETIME_FORMAT", "day": "DATE_FORMAT", "time": "TIME_FORMAT"}


def _local(value):
    """A moment in the site's time zone; a plain date (a closing day) stays as it is."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.simple_tag
def moment(value, precision: str = "minute"):
    if not value:
        return ""
    local = _local(value)
    return format_html(
        '<time datetime="{}">{}</time>',
        local.isoformat(),
        date_format(local, FORMATS[precision]),
    )


@register.filter
def day(value) -> str:
    return date_format(_local(value), "DATE_FORMAT") if value else ""
