import hashlib

from django import template

from agora.core.sharing import MASTODON_COOKIE, share_links

register = template.Library()


@register.inclusion_tag("core/_share.html", takes_context=True)
def share(context, path: str, title: str):
    """The Share disclosure for a public page: `path` on this site and its title."""
    request = context.get("request")
    remembered = request.COOKIES.get(MASTODON_COOKIE, "") if request else ""
    return {
        "links": share_links(path, title),
        "path": path,
        "title": title,
        "server": remembered,
        "form_id": "share-" + hashlib.sha256(path.encode()).hexdigest()[:8],
    }
