"""Read paths for posts: the home feed, the latest page, a profile's posts and a tag's posts.
Each is one queryset built on `permissions.visible_posts`, paged by a keyset cursor (newest
first, no offsets) and fetched in a constant number of queries."""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.dateparse import parse_datetime

from agora.accounts.models import Role
from agora.social.models import Follow, Post, PostImage, PostLike
from agora.social.permissions import visible_posts

PAGE_SIZE = 20


class FeedFilter:
    EVERYONE = "everyone"
    PEOPLE = "people"
    OFFICIAL = "official"
    ALL = (EVERYONE, PEOPLE, OFFICIAL)


def followed_sources(viewer) -> Q:
    """What the home feed shows: the viewer's own posts and those of the people they follow.
    Following offices, topics, areas or processes adds one clause here per kind. The author
    checks of `visible_posts` still apply: following someone who later hid their profile
    shows nothing of theirs."""
    followed_people = Follow.objects.filter(follower=viewer).values("followee")
    return Q(author=viewer) | Q(author__in=followed_people)


def with_details(viewer, posts: QuerySet) -> QuerySet:
    """Everything a post card shows, in a constant number of queries whatever the page size:
    the posts with their authors, their images, and the shared posts the viewer may see with
    their authors and images (a share of a hidden post finds `shared_post` empty)."""
    images = PostImage.objects.order_by("position")
    originals = visible_posts(viewer, hide_muted=False).select_related("author")
    posts = posts.select_related("author").prefetch_related(
        Prefetch("images", queryset=images),
        Prefetch("shared_post", queryset=originals),
        Prefetch("shared_post__images", queryset=images),
    )
    if viewer.is_authenticated:
        posts = posts.annotate(
            liked=Exists(PostLike.objects.filter(user=viewer, post=OuterRef("pk")))
        )
    return posts


def home_feed(viewer, *, feed_filter: str = FeedFilter.EVERYONE) -> QuerySet:
    # The database walks all posts newest first (index social_post_new) and keeps those
    # from the followed set, which it hashes once; see docs/performance.md.
    posts = visible_posts(viewer, Post.objects.filter(followed_sources(viewer)))
    if feed_filter == FeedFilter.PEOPLE:
        posts = posts.exclude(author__role=Role.OFFICIAL)
    elif feed_filter == FeedFilter.OFFICIAL:
        posts = posts.filter(author__role=Role.OFFICIAL)
    return with_details(viewer, posts)


def latest(viewer) -> QuerySet:
    return with_details(viewer, visible_posts(viewer))


def profile_posts(viewer, owner) -> QuerySet:
    return with_details(
        viewer, visible_posts(viewer, Post.objects.filter(author=owner), hide_muted=False)
    )


def tag_posts(viewer, tag) -> QuerySet:
    return with_details(viewer, visible_posts(viewer, Post.objects.filter(tags=tag)))


def encode_cursor(post: Post) -> str:
    raw = f"{post.created_at.isoformat()}|{post.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    """A cursor from a link or a client; anything malformed reads as no cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, _sep, pk = raw.partition("|")
        created_at = parse_datetime(stamp)
        if created_at is None:
            return None
        return created_at, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


@dataclass
class FeedPage:
    items: list
    next_cursor: str | None


def page_of(posts: QuerySet, cursor: str | None, *, size: int = PAGE_SIZE) -> FeedPage:
    """One page, newest first, after the cursor; the cursor of the next page or None."""
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        created_at, pk = position
        posts = posts.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk))
    items = list(posts.order_by("-created_at", "-id")[: size + 1])
    next_cursor = encode_cursor(items[size - 1]) if len(items) > size else None
    return FeedPage(items=items[:size], next_cursor=next_cursor)
