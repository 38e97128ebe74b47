"""The settings navigation's links that other apps add (`accounts.pages.SETTINGS_LINKS`)."""

from django import template
from django.urls import reverse

from agora.accounts.pages import SETTINGS_LINKS

register = template.Library()


@register.simple_tag
def settings_links() -> list[tuple[str, str, str]]:
    """(URL name, URL, label) of each added link."""
    return [(name, reverse(name), label) for name, label in SETTINGS_LINKS]
