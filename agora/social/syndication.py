"""RSS 2.0 and Atom feeds of what anyone may read: for each followable kind of source (an
office, a topic, an area, a process: `social.sources`) the posts its followers would find in
their home feeds, and for a public profile the person's own posts. A feed is what a visitor
who is not signed in would see: public posts of public profiles and announcements, never
withheld by moderation, never shares (a share's original may be for fewer people). Two
queries whatever the numbers: the thing, then its latest posts.

Each page that has a feed names it in its head (`core.pagemeta`), so a feed reader finds it
from the page's address."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from agora.accounts.models import User, Visibility
from agora.core.pagemeta import Alternate, add_alternates, summary
from agora.social.models import Post
from agora.social.permissions import visible_posts
from agora.social.sources import SOURCE_KINDS, kind_of

ITEMS = 20
FORMATS = {"rss": Rss201rev2Feed, "atom": Atom1Feed}
MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


def public_posts(posts) -> object:
    return (
        visible_posts(AnonymousUser(), posts.filter(shared_post__isnull=True))
        .select_related("author", "office")
        .order_by("-created_at", "-id")[:ITEMS]
    )


class PostFeed(Feed):
    """The items and their fields, shared by both kinds of feed."""

    def __init__(self, feed_type):
        self.feed_type = feed_type

    def item_title(self, post: Post) -> str:
        speaker = post.office.name if post.office_id else post.author.name
        return f"{speaker}: {summary(post.body, 80)}"

    def item_description(self, post: Post) -> str:
        return post.body_html

    def item_link(self, post: Post) -> str:
        return reverse("social:post", args=[post.pk])

    def item_pubdate(self, post: Post):
        return post.created_at

    def item_updateddate(self, post: Post):
        return post.edited_at or post.created_at

    def item_author_name(self, post: Post) -> str:
        return post.office.name if post.office_id else post.author.name


class SourceFeed(PostFeed):
    def get_object(self, request, kind: str, slug: str):
        source_kind = SOURCE_KINDS[kind]
        thing = get_object_or_404(source_kind.visible(AnonymousUser()), slug=slug)
        return source_kind, thing

    def title(self, obj) -> str:
        return obj[1].name

    def link(self, obj) -> str:
        return obj[1].get_absolute_url()

    def description(self, obj) -> str:
        return _("What is said on this site about %(name)s.") % {"name": obj[1].name}

    def items(self, obj):
        source_kind, thing = obj
        followed = source_kind.model._default_manager.filter(pk=thing.pk).values("pk")
        return public_posts(Post.objects.filter(source_kind.posts(followed)))


class PersonFeed(PostFeed):
    def get_object(self, request, handle: str) -> User:
        person = User.objects.filter(handle__iexact=handle, is_active=True).first()
        if person is None or person.profile_visibility != Visibility.PUBLIC:
            raise Http404
        return person

    def title(self, person: User) -> str:
        return f"{person.name} (@{person.handle})"

    def link(self, person: User) -> str:
        return reverse("accounts:profile", args=[person.handle])

    def description(self, person: User) -> str:
        return _("What %(name)s posts in public.") % {"name": person.name}

    def items(self, person: User):
        return public_posts(Post.objects.filter(author=person))


_SOURCE_FEEDS = {form: SourceFeed(feed_type) for form, feed_type in FORMATS.items()}
_PERSON_FEEDS = {form: PersonFeed(feed_type) for form, feed_type in FORMATS.items()}


def source_feed(request, kind: str, slug: str, form: str):
    return _SOURCE_FEEDS[form](request, kind=kind, slug=slug)


def person_feed(request, handle: str, form: str):
    return _PERSON_FEEDS[form](request, handle=handle)


def _alternates(thing) -> list[Alternate]:
    if isinstance(thing, User):
        name, view, args = f"@{thing.handle}", "social:person_feed", [thing.handle]
    else:
        try:
            kind = kind_of(thing)
        except TypeError:
            return []
        name, view, args = thing.name, "social:source_feed", [kind.name, thing.slug]
    return [
        Alternate(
            title=_("%(name)s (%(format)s)") % {"name": name, "format": label},
            url=reverse(view, args=[*args, form]),
            media_type=MEDIA_TYPES[form],
        )
        for form, label in (("rss", "RSS"), ("atom", "Atom"))
    ]


def connect() -> None:
    add_alternates(_alternates)
