"""Share links: plain links to each network's own share address, built here, so nothing is
sent to any network before a person chooses one (no script, pixel, font or preview request).
Mastodon has no central address: the person names their server, which `share_on_mastodon`
checks is a host name and remembers in a first-party cookie.

A page shares only what anyone may open: its own public address (`SITE_URL` + path)."""

import re
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# (key, label, address builder from the absolute url and the title)
NETWORKS = [
    (
        "facebook",
        "Facebook",
        lambda url, title: "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
    ),
    (
        "x",
        "X",
        lambda url, title: "https://x.com/intent/post?" + urlencode({"url": url, "text": title}),
    ),
    (
        "weibo",
        _("Sina Weibo"),
        lambda url, title: (
            "https://service.weibo.com/share/share.php?" + urlencode({"url": url, "title": title})
        ),
    ),
    (
        "vk",
        "VK",
        lambda url, title: "https://vk.com/share.php?" + urlencode({"url": url, "title": title}),
    ),
    (
        "ok",
        _("Odnoklassniki"),
        lambda url, title: "https://connect.ok.ru/offer?" + urlencode({"url": url, "title": title}),
    ),
    (
        "whatsapp",
        "WhatsApp",
        lambda url, title: "https://wa.me/?" + urlencode({"text": f"{title} {url}"}),
    ),
    (
        "telegram",
        "Telegram",
        lambda url, title: "https://t.me/share/url?" + urlencode({"url": url, "text": title}),
    ),
    (
        "linkedin",
        "LinkedIn",
        lambda url, title: (
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})
        ),
    ),
    (
        "email",
        _("Email"),
        lambda url, title: f"mailto:?subject={quote(title)}&body={quote(url)}",
    ),
]

MASTODON_COOKIE = "agora_mastodon_server"
# A host name: labels of letters, digits and hyphens (punycode included), at least one dot,
# an optional port. No scheme, path, user or query: "mastodon.social", "social.example:8443".
HOST = re.compile(
    r"^(?=.{4,253}(?::\d{1,5})?$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$"
)


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def is_our_path(path: str) -> bool:
    """A path on this site (what a share form may carry), not an address elsewhere."""
    return path.startswith("/") and not path.startswith("//") and "\\" not in path


def share_links(path: str, title: str) -> list[tuple[str, str, str]]:
    url = absolute(path)
    return [(key, str(label), build(url, title)) for key, label, build in NETWORKS]


def clean_server(typed: str) -> str | None:
    server = typed.strip().lower().removeprefix("https://").rstrip("/")
    if server.startswith("@") or "@" in server:
        server = server.rsplit("@", 1)[-1]  # "@me@example.social" names its server last
    return server if HOST.match(server) else None


def mastodon_share_address(server: str, path: str, title: str) -> str:
    return f"https://{server}/share?" + urlencode({"text": f"{title} {absolute(path)}"})
