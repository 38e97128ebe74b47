"""The cached part of a post card: what a post looks like whoever reads it (author, time,
text, images, the shared original) is rendered once and kept in the cache, so a feed page
renders twenty cards for the price of a few template nodes each.

    {% load post_cards %}
    {% prefetch_post_cards page.items %}      (optional: one cache round trip for a page)
    {% post_card post %} ...the card's viewer-independent markup... {% end_post_card %}
    {% post_card post "counts" %} ...the reply and share counts... {% end_post_card %}

The card's key is a digest of everything its markup shows: the post's id, text, edit time,
visibility, images, service information and pre-election period,
its author as this reader is shown them (`agora.accounts.naming`: name,
handle and link, or "A resident" or the office when the profile is hidden from them) and their
role, the shared original as this reader may see it (or that they may not), and the language and
time zone; the counts' key is the
post, its reply and share counts, the language and whether counts are hidden for this reader
(their choice or the author's, `accounts.templatetags.people.counts_hidden_for`). A change
to any of them is a new key, so nothing needs invalidating; old entries expire. Nothing that
depends on the reader beyond that (likes, forms, CSRF tokens, links back to the page) may go
inside either block, nor anything the key leaves out (the office that speaks is shown above
the card, by `_post_source.html`)."""

import hashlib

from django import template
from django.core.cache import cache
from django.utils import timezone, translation

from agora.accounts.naming import shown
from agora.accounts.templatetags.people import counts_hidden_for, viewer_of

register = template.Library()

CARD_SECONDS = 24 * 60 * 60
PREFETCHED = "_prefetched_cards"
PARTS = ("card", "counts")


def _person(person, viewer, office) -> tuple:
    return (person.pk, person.role, shown(person, viewer, office=office))


def _images(post) -> tuple:
    return tuple(
        (image.pk, image.alt_text, image.width, image.height) for image in post.images.all()
    )


def _original(post, viewer) -> tuple | None:
    """The shared post as this reader may see it; None for no share or a hidden original."""
    if not post.is_share or post.shared_post is None:
        return None
    original = post.shared_post
    return (
        original.pk,
        original.body_html,
        original.created_at.isoformat(),
        _person(original.author, viewer, original.office),
        _images(original),
    )


def _keys(post, viewer, language: str, zone: str) -> dict[str, str]:
    fingerprint = repr(
        (
            post.pk,
            post.body_html,
            post.created_at.isoformat(),
            post.edited_at.isoformat() if post.edited_at else None,
            post.visibility,
            post.shared_post_id,
            post.service_information,
            post.election_period.label if post.election_period_id else None,
            _original(post, viewer),
            _person(post.author, viewer, post.office),
            _images(post),
            language,
            zone,
        )
    )
    digest = hashlib.blake2b(fingerprint.encode(), digest_size=16).hexdigest()
    hidden = counts_hidden_for(viewer, post.author)
    counts = f"{post.pk}:{post.comment_count}:{post.share_count}:{language}:{hidden:d}"
    return {"card": f"social:post-card:{digest}", "counts": f"social:post-counts:{counts}"}


@register.simple_tag(takes_context=True)
def prefetch_post_cards(context, posts) -> str:
    """Fetch the cached parts of a page of posts in one round trip (a card rendered without it
    fetches its own two parts in one)."""
    language, zone = translation.get_language(), timezone.get_current_timezone_name()
    viewer = viewer_of(context)
    keys = {post.pk: _keys(post, viewer, language, zone) for post in posts}
    found = cache.get_many([key for parts in keys.values() for key in parts.values()])
    for post in posts:
        setattr(
            post,
            PREFETCHED,
            {part: (key, found.get(key)) for part, key in keys[post.pk].items()},
        )
    return ""


class PostCardNode(template.Node):
    def __init__(self, post, part: str, nodelist: template.NodeList):
        self.post = post
        self.part = part
        self.nodelist = nodelist

    def render(self, context) -> str:
        post = self.post.resolve(context)
        if not hasattr(post, PREFETCHED):
            prefetch_post_cards(context, [post])
        parts = getattr(post, PREFETCHED)
        key, markup = parts[self.part]
        if markup is None:
            markup = self.nodelist.render(context)
            cache.set(key, markup, CARD_SECONDS)
        return markup


@register.tag("post_card")
def do_post_card(parser, token):
    bits = token.split_contents()
    part = bits[2].strip("\"'") if len(bits) == 3 else "card"
    if len(bits) not in (2, 3) or part not in PARTS:
        raise template.TemplateSyntaxError('{% post_card post %} or {% post_card post "counts" %}')
    nodelist = parser.parse(("end_post_card",))
    parser.delete_first_token()
    return PostCardNode(parser.compile_filter(bits[1]), part, nodelist)
