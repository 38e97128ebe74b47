"""{% word_filtered text as hit %}: the listed word the signed-in reader's filter finds in the
text, or "" (`social.wordfilter`)."""

from django import template

from agora.social.wordfilter import matching, muted_words

register = template.Library()


@register.simple_tag(takes_context=True)
def word_filtered(context, text: str) -> str:
    request = context.get("request")
    if request is None:
        return ""
    words = getattr(request, "_muted_words", None)
    if words is None:
        words = muted_words(request.user)
        request._muted_words = words
    return matching(text or "", words) if words else ""
