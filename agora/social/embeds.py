"""Media from YouTube, Flickr and Instagram in posts, loaded only when the person asks.

A link to a video, a photo or a post on one of those networks shows a local card: what it is,
the link, and a button "Load content from YouTube" with a sentence on what loading it shares
with whom. Nothing is requested from the network until the person presses it (a form, so it
works without JavaScript); then that one page view frames the content (YouTube through
youtube-nocookie), and its content security policy admits that network's frame host and no
other (`core.middleware.allow_frames`). Ticking "remember" keeps the consent for that network
in a first-party cookie on the device, until the person withdraws it from any card."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

CONSENT_COOKIE = "agora_media_consent"
LOAD_PARAMETER = "load"  # ?load=<network>:<post id>: this page view only
MOST_PER_POST = 3


@dataclass(frozen=True)
class Network:
    key: str
    label: str
    owner: str
    frame_origin: str
    pattern: re.Pattern
    frame: object  # match -> the address of the frame
    what: str  # "video", "photo", "post"


NETWORKS = {
    network.key: network
    for network in (
        Network(
            key="youtube",
            label="YouTube",
            owner="Google",
            frame_origin="https://www.youtube-nocookie.com",
            pattern=re.compile(
                r"https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:[^\s#<]*&)?v=|shorts/)"
                r"|youtu\.be/)([A-Za-z0-9_-]{11})"
            ),
            frame=lambda match: f"https://www.youtube-nocookie.com/embed/{match.group(1)}",
            what=_("A video on YouTube"),
        ),
        Network(
            key="flickr",
            label="Flickr",
            owner="Flickr",
            frame_origin="https://www.flickr.com",
            pattern=re.compile(r"https?://(?:www\.)?flickr\.com/photos/([A-Za-z0-9@_.-]+)/(\d+)"),
            frame=lambda match: (
                f"https://www.flickr.com/photos/{match.group(1)}/{match.group(2)}/player/"
            ),
            what=_("A photo on Flickr"),
        ),
        Network(
            key="instagram",
            label="Instagram",
            owner="Meta",
            frame_origin="https://www.instagram.com",
            pattern=re.compile(r"https?://(?:www\.)?instagram\.com/(?:p|reel)/([A-Za-z0-9_-]+)"),
            frame=lambda match: f"https://www.instagram.com/p/{match.group(1)}/embed/",
            what=_("A post on Instagram"),
        ),
    )
}
# A cheap test before any pattern runs: most posts name none of these.
_HINTS = ("youtu", "flickr.com", "instagram.com")


@dataclass(frozen=True)
class Media:
    network: Network
    url: str
    frame_url: str


def media_in(text: str) -> list[Media]:
    if not any(hint in text for hint in _HINTS):
        return []
    found: list[Media] = []
    for network in NETWORKS.values():
        for match in network.pattern.finditer(text):
            media = Media(network, match.group(0), network.frame(match))
            if media not in found:
                found.append(media)
    return found[:MOST_PER_POST]


def remembered(request) -> set[str]:
    value = request.COOKIES.get(CONSENT_COOKIE, "")
    return {key for key in value.split(".") if key in NETWORKS}


def asked_now(request, post_id: int) -> set[str]:
    """The networks the person asked to load for this post on this page view."""
    network, _sep, post = request.GET.get(LOAD_PARAMETER, "").partition(":")
    return {network} if network in NETWORKS and post == str(post_id) else set()
