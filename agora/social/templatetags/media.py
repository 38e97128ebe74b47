from django import template

from agora.core.middleware import allow_frames
from agora.social import embeds

register = template.Library()


@register.inclusion_tag("social/_media.html", takes_context=True)
def media_cards(context, post):
    """The cards of the media a post links to, or their frames where the person asked for
    that network (on this page view, or remembered on this device). Reads no database."""
    found = embeds.media_in(post.body) if post.body else []
    request = context.get("request")
    if not found or request is None:
        return {"cards": []}
    allowed = embeds.remembered(request) | embeds.asked_now(request, post.pk)
    cards = []
    for media in found:
        loaded = media.network.key in allowed
        if loaded:
            allow_frames(request, media.network.frame_origin)
        cards.append({"media": media, "loaded": loaded})
    return {
        "cards": cards,
        "post": post,
        "remembered": embeds.remembered(request),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
