import hashlib

from django import template

from agora.core.sharing import MASTODON_COOKIE, clean_server, mastodon_share_address, share_links

register = template.Library()


@register.inclusion_tag("core/_share.html", takes_context=True)
def share(context, path: str, title: str):
    """The Share disclosure for a public page: `path` on this site and its title."""
    request = context.get("request")
    remembered = clean_server(request.COOKIES.get(MASTODON_COOKIE, "")) if request else None
    links = share_links(path, title)
    if remembered:
        address = mastodon_share_address(remembered, path, title)
        links.insert(-1, ("mastodon", f"Mastodon ({remembered})", address))
    return {
        "links": links,
        "path": path,
        "title": title,
        "server": remembered or "",
        "form_id": "share-" + hashlib.sha256(path.encode()).hexdigest()[:8],
    }
