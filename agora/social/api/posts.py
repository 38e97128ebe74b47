"""Posts in the JSON API: the feeds, publishing, editing and deleting a post, likes and shares.
Every list of posts is paged by cursor."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.accounts.schemas import count_for
from agora.core.api.errors import ApiError, error_responses
from agora.directory.models import Office
from agora.social import feeds, permissions, services
from agora.social.api.lookups import visible_person, visible_post
from agora.social.api.schemas import (
    NAMED,
    NAMED_WITH_BODY,
    FilterChoice,
    Liked,
    NewPost,
    NewPostForm,
    NewShare,
    PostChanges,
    PostOut,
    PostPage,
)
from agora.social.models import Post, Tag

router = Router()


# Feeds.


@router.get("/feed", response={200: PostPage, **error_responses(422)}, summary="Your home feed")
def read_home_feed(
    request, filter: FilterChoice = feeds.FeedFilter.EVERYONE, before: str | None = None
):
    return feeds.home_page(request.auth, before, feed_filter=filter)


@router.get(
    "/posts",
    auth=ANYONE,
    response={200: PostPage, **error_responses(422)},
    summary="The latest posts you may see",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def read_latest(
    request, filter: FilterChoice = feeds.FeedFilter.EVERYONE, before: str | None = None
):
    return feeds.page_of(feeds.latest(request.auth, feed_filter=filter), before)


@router.get(
    "/people/{handle}/posts",
    auth=ANYONE,
    response={200: PostPage, **NAMED},
    summary="A person's posts",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def read_profile_posts(request, handle: str, before: str | None = None):
    return feeds.page_of(feeds.profile_posts(request.auth, visible_person(request, handle)), before)


@router.get(
    "/tags/{name}/posts",
    auth=ANYONE,
    response={200: PostPage, **NAMED},
    summary="Posts with a tag",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def read_tag_posts(request, name: str, before: str | None = None):
    tag = get_object_or_404(Tag, name=name.lower()[:50])
    return feeds.page_of(feeds.tag_posts(request.auth, tag), before)


# Posts. "/posts/with-images" comes before "/posts/{post_id}", which would take its address.


def _office_to_post_as(request, slug: str | None) -> Office | None:
    """The office named, or None; a political account is told why it may not post as one
    (403 `account_kind`)."""
    if not slug:
        return None
    office = Office.objects.filter(slug=slug).first()
    if office is None:
        raise ApiError(
            422, "unknown_office", _("office: there is no office “%(slug)s”.") % {"slug": slug}
        )
    if refusal := permissions.post_as_refusal(request.auth):
        raise ApiError(403, "account_kind", refusal)
    return office


@router.post(
    "/posts", response={201: PostOut, **error_responses(400, 422)}, summary="Publish a post"
)
def create_post(request, new_post: NewPost):
    fields = new_post.model_dump()
    office = _office_to_post_as(request, fields.pop("office"))
    post = services.create_post(by=request.auth, office=office, **fields)
    return Status(201, post)  # built from what was written: no read after the write


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
        by=request.auth,
        body=fields.body,
        visibility=fields.visibility,
        reply_policy=fields.reply_policy,
        images=list(zip(images, descriptions, strict=True)),
        office=_office_to_post_as(request, fields.office),
        service_information=fields.service_information,
    )
    return Status(201, post)  # built from what was written: no read after the write


@router.get(
    "/posts/{post_id}",
    auth=ANYONE,
    response={200: PostOut, **NAMED},
    summary="A post",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def read_post(request, post_id: int):
    return feeds.detailed(request.auth, visible_post(request, post_id))


@router.patch(
    "/posts/{post_id}",
    response={200: PostOut, **NAMED_WITH_BODY},
    summary="Edit your post",
    description=(
        "The earlier text is kept and the post shows as edited. An announcement is not "
        "edited (422): it changes only by a correction, on its page."
    ),
)
def update_post(request, post_id: int, changes: PostChanges):
    post = get_object_or_404(Post, pk=post_id, author=request.auth)
    services.edit_post(
        post, by=request.auth, body=changes.body, service_information=changes.service_information
    )
    return feeds.detailed(request.auth, post)


@router.delete("/posts/{post_id}", response={204: None, **NAMED}, summary="Delete your post")
def delete_post(request, post_id: int):
    post = get_object_or_404(Post, pk=post_id, author=request.auth)
    services.delete_post(post, by=request.auth)
    return Status(204, None)


# Likes and shares.


@router.post(
    "/posts/{post_id}/like",
    response={200: Liked, **NAMED, **error_responses(409)},
    summary="Like a post",
)
def like_post(request, post_id: int):
    post = visible_post(request, post_id)
    if not services.like_post(post, by=request.auth):
        raise ApiError(409, "already_liked", _("You already like this post."))
    post.refresh_from_db(fields=["like_count"])
    return {"liked": True, "like_count": count_for(request, post.like_count, post.author)}


@router.delete("/posts/{post_id}/like", response={200: Liked, **NAMED}, summary="Unlike a post")
def unlike_post(request, post_id: int):
    post = visible_post(request, post_id)
    services.unlike_post(post, by=request.auth)
    post.refresh_from_db(fields=["like_count"])
    return {"liked": False, "like_count": count_for(request, post.like_count, post.author)}


@router.post(
    "/posts/{post_id}/shares",
    response={201: PostOut, **NAMED_WITH_BODY},
    summary="Share a post with your followers",
    description=(
        "Only public posts can be shared. An institutional account cannot share a political "
        "account's post (403 `account_kind`, with the reason)."
    ),
)
def share_post(request, post_id: int, share: NewShare):
    post = visible_post(request, post_id)
    refusal = permissions.share_refusal(request.auth, post)
    if refusal:
        raise ApiError(403, "account_kind", refusal)
    created = services.share_post(post, by=request.auth, body=share.body)
    return Status(201, feeds.detailed(request.auth, created))
