"""What social adds to the weekly summary (`notifications.summary`): the new announcements of
the offices, areas and topics a person follows and the new posts of the people they follow,
as their home feed would show them (`feeds.followed_sources`, `permissions.visible_posts`),
each a capped count and the newest few: two bounded queries a section."""

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
from agora.social.models import Post
from agora.social.permissions import visible_posts

TITLE_WORDS = 16
NO_TEXT = _("A post without text")


def _new_posts(person, since: datetime):
    followed = Post.objects.filter(followed_sources(person), created_at__gte=since)
    return visible_posts(person, followed.exclude(author=person)).order_by("-created_at", "-id")


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
    posts = _new_posts(person, since).filter(office__isnull=False)
    return _section(_("New announcements from what you follow"), posts)


def people_posts(person, since: datetime) -> SummarySection | None:
    posts = _new_posts(person, since).filter(office__isnull=True)
    return _section(_("New posts from people you follow"), posts)


register_section(announcements, order=10)
register_section(people_posts, order=20)
