"""The unread count in the header, counted only on pages that show it."""

from django import template

from agora.notifications.queries import unread_count_for

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    return unread_count_for(context["request"])
