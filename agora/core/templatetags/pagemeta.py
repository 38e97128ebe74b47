from django import template
from django.utils import translation

from agora.core.pagemeta import meta_of

register = template.Library()

# og:locale wants a territory; the site's languages have one each.
LOCALES = {"en": "en_GB", "es": "es_ES"}


@register.inclusion_tag("core/_page_meta.html", takes_context=True)
def page_meta(context, thing):
    meta = meta_of(thing)
    request = context.get("request")
    return {
        "meta": meta,
        "url": meta.absolute(request.path) if meta and request else "",
        "image": meta.absolute(meta.image_url) if meta and meta.image_url else "",
        "locale": LOCALES.get(translation.get_language() or "en", "en_GB"),
        "site_name": context.get("site_name", ""),
    }
