"""Search over people, posts and tags, with what the viewer may see only. PostgreSQL matches
post text with full-text search (backed by a GIN index the migrations add there); SQLite gets
a substring match. Both answer the same shape."""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q

from agora.accounts.models import User
from agora.social import feeds
from agora.social.models import Tag
from agora.social.permissions import visible_people, visible_posts

SEARCH_CONFIG = "simple"
RESULT_LIMIT = 20


@dataclass
class Results:
    people: list
    posts: list
    tags: list


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def matching_posts(viewer, text: str):
    posts = visible_posts(viewer)
    if uses_full_text():
        document = SearchVector("body", config=SEARCH_CONFIG)
        return posts.annotate(document=document).filter(
            document=SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        )
    return posts.filter(body__icontains=text)


def matching_people(viewer, text: str):
    handle = text.lstrip("@")
    return visible_people(
        viewer,
        User.objects.filter(Q(handle__icontains=handle) | Q(display_name__icontains=text)),
    ).order_by("handle")


def matching_tags(text: str):
    return Tag.objects.filter(name__startswith=text.lstrip("#").lower()).order_by("name")


def search(viewer, text: str, *, limit: int = RESULT_LIMIT) -> Results:
    text = text.strip()[:100].replace("\x00", "")
    posts = feeds.with_details(viewer, matching_posts(viewer, text)).order_by("-created_at", "-id")
    return Results(
        people=list(matching_people(viewer, text)[:limit]),
        posts=list(posts[:limit]),
        tags=list(matching_tags(text)[:limit]),
    )
