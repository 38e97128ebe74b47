"""`{% csrf_token %}`, as every page form already writes it, also writes a one-time token for
the form (`core.formonce`): loaded as a template builtin (settings.TEMPLATES), so no template
changes to take part. Without a CSRF token in the context (a form that is not posted, a page
rendered outside a request) it writes nothing, as Django's tag does."""

import uuid

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html

from agora.core.formonce import FIELD

register = template.Library()


class CsrfAndOnceNode(CsrfTokenNode):
    def render(self, context):
        csrf = super().render(context)
        if not csrf:
            return csrf
        return csrf + format_html(
            '<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex
        )


@register.tag
def csrf_token(parser, token):
    return CsrfAndOnceNode()
