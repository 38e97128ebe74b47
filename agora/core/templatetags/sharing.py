import hashlib

from django import template

from agora.core.sharing import share_links

register = template.Library()


@register.inclusion_tag("core/_share.html")
def share(path: str, title: str):
    """The Share disclosure for a public page: `path` on this site and its title. It is the
    same for every visitor, so it may sit in a page cached for all (`core.pagecache`): the
    person's remembered Mastodon server is not read here. `share.js` fills it into the form
    from its cookie, and without the script the form's button uses the cookie on the server
    (`core.views.share_on_mastodon`)."""
    return {
        "links": share_links(path, title),
        "path": path,
        "title": title,
        "form_id": "share-" + hashlib.sha256(path.encode()).hexdigest()[:8],
    }
