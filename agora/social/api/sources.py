"""Offices, topics and areas as sources in the JSON API: what you follow, following and
unfollowing one, and the posts an office or a topic brings.

All but `/me/following` answer under the directory's paths (`/directory/...`), where they
were first published: they keep the tag "directory" and the operation ids they had there, so
the OpenAPI document clients read stays the same."""

from typing import Literal

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.accounts.schemas import count_for
from agora.core.api.errors import error_responses
from agora.directory.models import Office, Topic
from agora.social import feeds, services
from agora.social.api.schemas import NAMED, Followed, FollowState, PostPage
from agora.social.queries import follow_state
from agora.social.sources import SOURCE_KINDS

router = Router()

DIRECTORY = ["directory"]

# The directory's kinds social knows how to follow (`agora.social.sources`), by their plural in
# the path; other apps' kinds (a process) are followed through their own endpoints.
FOLLOWABLE = {
    f"{kind.name}s": kind.model
    for kind in SOURCE_KINDS.values()
    if kind.model._meta.app_label == "directory"
}
FollowableKind = Literal[tuple(FOLLOWABLE)]


@router.get(
    "/me/following",
    response={200: Followed, **error_responses()},
    summary="What you follow: offices, topics and areas",
    description=(
        "The people you follow are at /people/{handle}/following. Follow or unfollow an "
        "office, a topic or an area at /directory/{offices,topics,areas}/{slug}/follow."
    ),
)
def read_followed(request):
    followed = {}
    for kind in SOURCE_KINDS.values():
        if f"{kind.name}s" not in FOLLOWABLE:
            continue  # not in this answer's shape: no query for it
        things = [
            follow.thing for follow in kind.follow_model.objects.filter(follower=request.auth)
        ]
        followed[f"{kind.name}s"] = [
            {
                "slug": thing.slug,
                "name": thing.name,
                "url": settings.SITE_URL + thing.get_absolute_url(),
            }
            for thing in things
        ]
    return followed


def _followable(kind: str, slug: str):
    return get_object_or_404(FOLLOWABLE[kind], slug=slug)


@router.get(
    "/directory/{kind}/{slug}/follow",
    response={200: FollowState, **NAMED},
    summary="Whether you follow an office, a topic or an area",
    tags=DIRECTORY,
    operation_id="directory_read_follow",
)
def read_source_follow(request, kind: FollowableKind, slug: str):
    state = follow_state(request.auth, _followable(kind, slug))
    return {
        "following": state.following,
        "follower_count": count_for(request, state.follower_count),
    }


@router.post(
    "/directory/{kind}/{slug}/follow",
    response={204: None, **NAMED},
    summary="Follow an office, a topic or an area",
    description=(
        "An office brings its announcements to your home feed; a topic, the posts with a "
        "hashtag that names it; an area, the announcements of the offices with a "
        "responsibility for that area and the posts with a hashtag that names it. Following "
        "again changes nothing."
    ),
    tags=DIRECTORY,
    operation_id="directory_follow",
)
def follow_source(request, kind: FollowableKind, slug: str):
    services.follow_source(_followable(kind, slug), by=request.auth)
    return Status(204, None)


@router.delete(
    "/directory/{kind}/{slug}/follow",
    response={204: None, **NAMED},
    summary="Unfollow an office, a topic or an area",
    tags=DIRECTORY,
    operation_id="directory_unfollow",
)
def unfollow_source(request, kind: FollowableKind, slug: str):
    services.unfollow_source(_followable(kind, slug), by=request.auth)
    return Status(204, None)


@router.get(
    "/directory/offices/{slug}/posts",
    auth=ANYONE,
    response={200: PostPage, **NAMED},
    summary="An office's announcements",
    description="Newest first, the ones you may see; send `next_cursor` back as `before`.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
    tags=DIRECTORY,
    operation_id="directory_read_office_posts",
)
def read_office_posts(request, slug: str, before: str | None = None):
    office = get_object_or_404(Office, slug=slug)
    return feeds.page_of(feeds.office_posts(request.auth, office), before)


@router.get(
    "/directory/topics/{slug}/posts",
    auth=ANYONE,
    response={200: PostPage, **NAMED},
    summary="Posts about a topic",
    description=(
        "Posts with a hashtag that names the topic, newest first, the ones you may see; send "
        "`next_cursor` back as `before`."
    ),
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
    tags=DIRECTORY,
    operation_id="directory_read_topic_posts",
)
def read_topic_posts(request, slug: str, before: str | None = None):
    topic = get_object_or_404(Topic, slug=slug)
    return feeds.page_of(feeds.topic_posts(request.auth, topic), before)
