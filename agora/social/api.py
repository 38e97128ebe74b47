"""The social part of the JSON API: relationships, posts, comments, likes, shares, feeds and
search. Endpoints parse, check access with the same predicates as the pages and call one
service function; every list of posts is paged by cursor."""

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.accounts.models import User
from agora.accounts.permissions import find_visible_profile
from agora.core.api.errors import ApiError, error_responses
from agora.core.api.schemas import Id, Input, Page, Text
from agora.directory.models import Office
from agora.social import feeds, permissions, queries, search, services
from agora.social.models import Comment, Post, ReplyPolicy, Visibility
from agora.social.models.comments import COMMENT_MAX_LENGTH
from agora.social.models.posts import POST_MAX_LENGTH
from agora.social.sources import SOURCE_KINDS

router = Router(tags=["social"])

VisibilityChoice = Literal[tuple(Visibility.values)]
ReplyPolicyChoice = Literal[tuple(ReplyPolicy.values)]
FilterChoice = Literal[feeds.FeedFilter.ALL]
# The error statuses beyond those every operation answers (see error_responses): 404 when what
# the path names is missing or hidden from you, 422 for a value that fails its checks, and for
# a body, 400 when it is not JSON. Operations without a path parameter or a body leave those out.
NAMED = error_responses(404, 422)
NAMED_WITH_BODY = error_responses(400, 404, 422)


class Person(Schema):
    handle: str
    display_name: str
    role: str
    shared_connections: int | None = Field(
        None, description="Connections you share with this person (only when signed in)."
    )


class Image(Schema):
    url: str
    alt_text: str
    width: int
    height: int


class OfficeRef(Schema):
    slug: str
    name: str
    url: str = Field(description="The office's page.")


class PostOut(Schema):
    id: int
    url: str
    author: Person = Field(
        description="Who wrote it; for an announcement, the official who posted it for the office."
    )
    office: OfficeRef | None = Field(
        None,
        description=(
            "For an announcement: the office that speaks, an institutional account. Null for "
            "what a person says for themselves."
        ),
    )
    body: str
    body_html: str
    visibility: str
    reply_policy: str
    created_at: datetime
    edited_at: datetime | None
    like_count: int
    comment_count: int
    share_count: int
    liked: bool = Field(False, description="Whether you like it.")
    images: list[Image]
    shared_post_id: int | None = Field(
        None, description="For a share: the post shared, when you may see it."
    )

    @staticmethod
    def resolve_url(post: Post) -> str:
        return settings.SITE_URL + services.post_url(post)

    @staticmethod
    def resolve_office(post: Post) -> dict | None:
        if post.office_id is None:
            return None
        return {
            "slug": post.office.slug,
            "name": post.office.name,
            "url": settings.SITE_URL + post.office.get_absolute_url(),
        }

    @staticmethod
    def resolve_liked(post: Post) -> bool:
        return bool(getattr(post, "liked", False))

    @staticmethod
    def resolve_images(post: Post) -> list[dict]:
        return [
            {
                "url": f"{settings.SITE_URL}/posts/{post.pk}/images/{image.pk}",
                "alt_text": image.alt_text,
                "width": image.width,
                "height": image.height,
            }
            for image in post.images.all()
        ]

    @staticmethod
    def resolve_shared_post_id(post: Post) -> int | None:
        return post.shared_post.pk if post.shared_post else None


class PostPage(Schema):
    items: list[PostOut]
    next_cursor: str | None = Field(
        description="Send it as `before` for the next, older page; null on the last page."
    )


OFFICE_DESCRIPTION = (
    "Post as this office (its slug): an announcement, shown as the office speaking and marked "
    "institutional, with you as the official who posted it. Only the office's current "
    "officials may (403 otherwise); visibility public or followers (the office's)."
)


class NewPost(Input):
    body: Text = Field(max_length=POST_MAX_LENGTH, description="Markdown subset, @handle, #tag.")
    visibility: VisibilityChoice = Visibility.PUBLIC
    reply_policy: ReplyPolicyChoice = ReplyPolicy.EVERYONE
    office: str | None = Field(None, max_length=80, description=OFFICE_DESCRIPTION)


class NewPostForm(Schema):
    """The text fields of a post sent as multipart/form-data, beside its images."""

    body: Text = Field(
        "", max_length=POST_MAX_LENGTH, description="Markdown subset, @handle, #tag."
    )
    visibility: VisibilityChoice = Visibility.PUBLIC
    reply_policy: ReplyPolicyChoice = ReplyPolicy.EVERYONE
    office: str = Field("", max_length=80, description=OFFICE_DESCRIPTION)
    alt_text: list[Text] = Field(
        default_factory=list,
        description=(
            "One description per image, in the order of the images; each is required (at "
            "most 1,000 characters)."
        ),
    )


class PostChanges(Input):
    body: Text = Field(max_length=POST_MAX_LENGTH)


class NewShare(Input):
    body: Text = Field("", max_length=POST_MAX_LENGTH, description="An optional comment.")


class CommentOut(Schema):
    id: int
    author: Person
    parent_id: int | None
    depth: int
    body: str
    body_html: str
    created_at: datetime
    like_count: int
    liked: bool = False

    @staticmethod
    def resolve_liked(comment: Comment) -> bool:
        return bool(getattr(comment, "liked", False))


class NewComment(Input):
    body: Text = Field(min_length=1, max_length=COMMENT_MAX_LENGTH)
    parent_id: Id | None = Field(None, description="The comment this replies to.")


class Liked(Schema):
    liked: bool
    like_count: int


class Tag(Schema):
    name: str


class SearchResults(Schema):
    people: list[Person]
    posts: list[PostOut]
    tags: list[Tag]


def _person(request, handle: str) -> User:
    person = find_visible_profile(request.auth, handle)
    if person is None:
        raise Http404
    return person


def _visible_post(request, post_id: int) -> Post:
    post = get_object_or_404(Post, pk=post_id)
    if not permissions.can_view_post(request.auth, post):
        raise Http404
    return post


# Relationships.


def _relate(request, handle: str, verb) -> Status:
    """Apply a relationship verb of `services` to the person with the handle."""
    other = permissions.person_to_relate(request.auth, handle, verb.__name__)
    if other is None:
        raise Http404
    verb(request.auth, other)
    return Status(204, None)


@router.post("/people/{handle}/follow", response={204: None, **NAMED}, summary="Follow a person")
def follow(request, handle: str):
    return _relate(request, handle, services.follow)


@router.delete("/people/{handle}/follow", response={204: None, **NAMED}, summary="Unfollow")
def unfollow(request, handle: str):
    return _relate(request, handle, services.unfollow)


@router.post(
    "/people/{handle}/connection",
    response={204: None, **NAMED},
    summary="Connect, or ask to",
    description=(
        "Connects at once when you follow each other or they asked you; otherwise sends a "
        "request they can accept."
    ),
)
def connect(request, handle: str):
    return _relate(request, handle, services.connect)


@router.delete("/people/{handle}/connection", response={204: None, **NAMED}, summary="Disconnect")
def disconnect(request, handle: str):
    return _relate(request, handle, services.disconnect)


@router.post(
    "/people/{handle}/block",
    response={204: None, **NAMED},
    summary="Block a person",
    description="Removes follows and connections both ways. Private: they are not told.",
)
def block(request, handle: str):
    return _relate(request, handle, services.block)


@router.delete("/people/{handle}/block", response={204: None, **NAMED}, summary="Unblock")
def unblock(request, handle: str):
    return _relate(request, handle, services.unblock)


@router.post(
    "/people/{handle}/mute",
    response={204: None, **NAMED},
    summary="Mute a person",
    description="You stop seeing them in feeds and search. Private: they are not told.",
)
def mute(request, handle: str):
    return _relate(request, handle, services.mute)


@router.delete("/people/{handle}/mute", response={204: None, **NAMED}, summary="Unmute")
def unmute(request, handle: str):
    return _relate(request, handle, services.unmute)


def _list(request, handle: str, lister):
    owner = _person(request, handle)
    if not permissions.can_see_lists(request.auth, owner):
        raise Http404
    return lister(request.auth, owner)


@router.get(
    "/people/{handle}/followers",
    auth=ANYONE,
    response={200: list[Person], **NAMED},
    summary="A person's followers",
    description="As the person's setting allows; otherwise 404.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
@paginate(Page)
def list_followers(request, handle: str):
    return _list(request, handle, queries.followers_of)


@router.get(
    "/people/{handle}/following",
    auth=ANYONE,
    response={200: list[Person], **NAMED},
    summary="Whom a person follows",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
@paginate(Page)
def list_following(request, handle: str):
    return _list(request, handle, queries.following_of)


@router.get(
    "/people/{handle}/connections",
    auth=ANYONE,
    response={200: list[Person], **NAMED},
    summary="A person's connections",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
@paginate(Page)
def list_connections(request, handle: str):
    return _list(request, handle, queries.connections_of)


# Feeds.


@router.get("/feed", response={200: PostPage, **error_responses(422)}, summary="Your home feed")
def read_home_feed(
    request, filter: FilterChoice = feeds.FeedFilter.EVERYONE, before: str | None = None
):
    return feeds.home_page(request.auth, before, feed_filter=filter)


@router.get(
    "/posts",
    auth=ANYONE,
    response={200: PostPage, **error_responses()},
    summary="The latest posts you may see",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def read_latest(request, before: str | None = None):
    return feeds.page_of(feeds.latest(request.auth), before)


@router.get(
    "/people/{handle}/posts",
    auth=ANYONE,
    response={200: PostPage, **NAMED},
    summary="A person's posts",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def read_profile_posts(request, handle: str, before: str | None = None):
    return feeds.page_of(feeds.profile_posts(request.auth, _person(request, handle)), before)


@router.get(
    "/tags/{name}/posts",
    auth=ANYONE,
    response={200: PostPage, **NAMED},
    summary="Posts with a tag",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def read_tag_posts(request, name: str, before: str | None = None):
    from agora.social.models import Tag as TagModel

    tag = get_object_or_404(TagModel, name=name.lower()[:50])
    return feeds.page_of(feeds.tag_posts(request.auth, tag), before)


# Posts.


def _office_to_post_as(slug: str | None) -> Office | None:
    if not slug:
        return None
    office = Office.objects.filter(slug=slug).first()
    if office is None:
        raise ApiError(
            422, "unknown_office", _("office: there is no office “%(slug)s”.") % {"slug": slug}
        )
    return office


@router.post(
    "/posts", response={201: PostOut, **error_responses(400, 422)}, summary="Publish a post"
)
def create_post(request, new_post: NewPost):
    fields = new_post.model_dump()
    office = _office_to_post_as(fields.pop("office"))
    post = services.create_post(request.auth, office=office, **fields)
    return Status(201, feeds.detailed(request.auth, post))


@router.post(
    "/posts/with-images",
    response={201: PostOut, **error_responses(400, 413, 422)},
    summary="Publish a post with images",
    description=(
        "multipart/form-data: the fields of a post, up to four `images` (JPEG, PNG, WebP or "
        "GIF; re-encoded, metadata dropped) and one `alt_text` per image, in the same order. "
        "The same checks as the web form: an image without its description, a fifth image or "
        "a file that is not an image answer 422 and publish nothing."
    ),
)
def create_post_with_images(
    request,
    fields: Form[NewPostForm],
    images: File[list[UploadedFile]] = None,
):
    images = images or []
    descriptions = list(fields.alt_text)
    if len(descriptions) > len(images):
        raise ApiError(422, "invalid", _("images: send one description per image, and no more."))
    descriptions += [""] * (len(images) - len(descriptions))
    post = services.create_post(
        request.auth,
        body=fields.body,
        visibility=fields.visibility,
        reply_policy=fields.reply_policy,
        images=list(zip(images, descriptions, strict=True)),
        office=_office_to_post_as(fields.office),
    )
    return Status(201, feeds.detailed(request.auth, post))


@router.get(
    "/posts/{post_id}",
    auth=ANYONE,
    response={200: PostOut, **NAMED},
    summary="A post",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def read_post(request, post_id: int):
    return feeds.detailed(request.auth, _visible_post(request, post_id))


@router.patch(
    "/posts/{post_id}",
    response={200: PostOut, **NAMED_WITH_BODY},
    summary="Edit your post",
    description="The earlier text is kept and the post shows as edited.",
)
def update_post(request, post_id: int, changes: PostChanges):
    post = get_object_or_404(Post, pk=post_id, author=request.auth)
    services.edit_post(post, by=request.auth, body=changes.body)
    return feeds.detailed(request.auth, post)


@router.delete("/posts/{post_id}", response={204: None, **NAMED}, summary="Delete your post")
def delete_post(request, post_id: int):
    post = get_object_or_404(Post, pk=post_id, author=request.auth)
    services.delete_post(post, by=request.auth)
    return Status(204, None)


@router.post(
    "/posts/{post_id}/like",
    response={200: Liked, **NAMED, **error_responses(409)},
    summary="Like a post",
)
def like_post(request, post_id: int):
    post = _visible_post(request, post_id)
    if not services.like_post(request.auth, post):
        raise ApiError(409, "already_liked", _("You already like this post."))
    post.refresh_from_db(fields=["like_count"])
    return {"liked": True, "like_count": post.like_count}


@router.delete("/posts/{post_id}/like", response={200: Liked, **NAMED}, summary="Unlike a post")
def unlike_post(request, post_id: int):
    post = _visible_post(request, post_id)
    services.unlike_post(request.auth, post)
    post.refresh_from_db(fields=["like_count"])
    return {"liked": False, "like_count": post.like_count}


@router.post(
    "/posts/{post_id}/shares",
    response={201: PostOut, **NAMED_WITH_BODY},
    summary="Share a post with your followers",
    description="Only public posts can be shared.",
)
def share_post(request, post_id: int, share: NewShare):
    post = _visible_post(request, post_id)
    created = services.share_post(request.auth, post, body=share.body)
    return Status(201, feeds.detailed(request.auth, created))


@router.get(
    "/posts/{post_id}/comments",
    auth=ANYONE,
    response={200: list[CommentOut], **NAMED},
    summary="The comments on a post",
    description="Oldest first; `parent_id` and `depth` give the thread.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def list_comments(request, post_id: int):
    post = _visible_post(request, post_id)
    return queries.flatten(queries.comment_thread(request.auth, post))


@router.post(
    "/posts/{post_id}/comments",
    response={201: CommentOut, **NAMED_WITH_BODY},
    summary="Comment on a post, or reply to a comment",
)
def create_comment(request, post_id: int, new_comment: NewComment):
    post = _visible_post(request, post_id)
    parent = None
    if new_comment.parent_id is not None:
        parent = get_object_or_404(queries.post_comments(), pk=new_comment.parent_id)
    comment = services.comment_on_post(request.auth, post, body=new_comment.body, parent=parent)
    return Status(201, comment)


def _visible_comment(request, comment_id: int) -> Comment:
    comment = get_object_or_404(queries.post_comments().select_related("author"), pk=comment_id)
    _visible_post(request, comment.object_id)
    return comment


@router.post(
    "/comments/{comment_id}/like",
    response={200: Liked, **NAMED, **error_responses(409)},
    summary="Like a comment",
)
def like_comment(request, comment_id: int):
    comment = _visible_comment(request, comment_id)
    if not services.like_comment(request.auth, comment):
        raise ApiError(409, "already_liked", _("You already like this comment."))
    comment.refresh_from_db(fields=["like_count"])
    return {"liked": True, "like_count": comment.like_count}


@router.delete(
    "/comments/{comment_id}/like", response={200: Liked, **NAMED}, summary="Unlike a comment"
)
def unlike_comment(request, comment_id: int):
    comment = _visible_comment(request, comment_id)
    services.unlike_comment(request.auth, comment)
    comment.refresh_from_db(fields=["like_count"])
    return {"liked": False, "like_count": comment.like_count}


@router.delete(
    "/comments/{comment_id}", response={204: None, **NAMED}, summary="Delete your comment"
)
def delete_comment(request, comment_id: int):
    comment = get_object_or_404(queries.post_comments(), pk=comment_id, author=request.auth)
    services.delete_comment(comment, by=request.auth)
    return Status(204, None)


class FollowedThing(Schema):
    slug: str
    name: str
    url: str


class Followed(Schema):
    offices: list[FollowedThing]
    topics: list[FollowedThing]
    areas: list[FollowedThing]


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


class SearchParams(Schema):
    q: Text = Field(min_length=1, max_length=100)


@router.get(
    "/search",
    auth=ANYONE,
    response={200: SearchResults, **error_responses(422)},
    summary="Search people, posts and tags",
    description="Only what you may see. Up to 20 of each.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def search_everything(request, params: Query[SearchParams]):
    return search.search(request.auth, params.q)
