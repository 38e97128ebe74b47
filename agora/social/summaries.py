"""What social adds to the weekly summary (`notifications.summary`): the new announcements of
the offices, areas and topics a person follows (the home feed's condition,
`feeds.followed_sources`) and the new personal posts of the people they follow (read author by
author), each as the person may read them (`permissions.visible_posts`): a capped count and
the newest few, two queries a section."""

from datetime import datetime

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from agora.notifications.summary import (
    TOP,
    SummaryItem,
    SummarySection,
    capped_count,
    register_section,
)
from agora.social.feeds import followed_sources
from agora.social.models import Follow, Post
from agora.social.permissions import visible_posts

TITLE_WORDS = 16
NO_TEXT = _("A post without text")


def _newest(person, posts):
    return visible_posts(person, posts.exclude(author=person)).order_by("-created_at", "-id")


def _section(heading, posts) -> SummarySection | None:
    count = capped_count(posts)
    if not count:
        return None
    newest = posts.select_related("office")[:TOP]
    items = [
        SummaryItem(
            title=(f"{post.office.name}: " if post.office else "")
            + (Truncator(" ".join(post.body.split())).words(TITLE_WORDS) or str(NO_TEXT)),
            path=reverse("social:post", args=[post.pk]),
        )
        for post in newest
    ]
    return SummarySection(heading=str(heading), count=count, items=items)


def announcements(person, since: datetime) -> SummarySection | None:
    """The announcements the home feed brings from what the person follows (offices, the
    offices responsible in areas followed, hashtags of topics and areas followed)."""
    posts = Post.objects.filter(followed_sources(person), office__isnull=False)
    return _section(
        _("New announcements from what you follow"),
        _newest(person, posts.filter(created_at__gte=since)),
    )


def people_posts(person, since: datetime) -> SummarySection | None:
    """The personal posts of the people followed, read author by author (index
    social_post_author_new): the work grows with whom the person follows and what they
    wrote that week, not with the table."""
    followed = Follow.objects.filter(follower=person).values("followee")
    posts = Post.objects.filter(author__in=followed, office__isnull=True, created_at__gte=since)
    return _section(_("New posts from people you follow"), _newest(person, posts))


register_section(announcements, order=10)
register_section(people_posts, order=20)
