"""Comments on posts in the JSON API: the thread, commenting and replying, likes and deleting."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status

from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.accounts.schemas import count_for
from agora.core.api.errors import ApiError, error_responses
from agora.social import queries, services
from agora.social.api.lookups import visible_post
from agora.social.api.schemas import NAMED, NAMED_WITH_BODY, CommentOut, Liked, NewComment
from agora.social.models import Comment

router = Router()


@router.get(
    "/posts/{post_id}/comments",
    auth=ANYONE,
    response={200: list[CommentOut], **NAMED},
    summary="The comments on a post",
    description="Oldest first; `parent_id` and `depth` give the thread.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def list_comments(request, post_id: int):
    post = visible_post(request, post_id)
    return queries.flatten(queries.comment_thread(request.auth, post))


@router.post(
    "/posts/{post_id}/comments",
    response={201: CommentOut, **NAMED_WITH_BODY},
    summary="Comment on a post, or reply to a comment",
)
def create_comment(request, post_id: int, new_comment: NewComment):
    post = visible_post(request, post_id)
    parent = None
    if new_comment.parent_id is not None:
        parent = get_object_or_404(queries.post_comments(), pk=new_comment.parent_id)
    comment = services.comment_on_post(post, by=request.auth, body=new_comment.body, parent=parent)
    return Status(201, comment)


def _visible_comment(request, comment_id: int) -> Comment:
    comment = get_object_or_404(queries.post_comments().select_related("author"), pk=comment_id)
    visible_post(request, comment.object_id)
    return comment


@router.post(
    "/comments/{comment_id}/like",
    response={200: Liked, **NAMED, **error_responses(409)},
    summary="Like a comment",
)
def like_comment(request, comment_id: int):
    comment = _visible_comment(request, comment_id)
    if not services.like_comment(comment, by=request.auth):
        raise ApiError(409, "already_liked", _("You already like this comment."))
    comment.refresh_from_db(fields=["like_count"])
    return {"liked": True, "like_count": count_for(request, comment.like_count, comment.author)}


@router.delete(
    "/comments/{comment_id}/like", response={200: Liked, **NAMED}, summary="Unlike a comment"
)
def unlike_comment(request, comment_id: int):
    comment = _visible_comment(request, comment_id)
    services.unlike_comment(comment, by=request.auth)
    comment.refresh_from_db(fields=["like_count"])
    return {"liked": False, "like_count": count_for(request, comment.like_count, comment.author)}


@router.delete(
    "/comments/{comment_id}", response={204: None, **NAMED}, summary="Delete your comment"
)
def delete_comment(request, comment_id: int):
    comment = get_object_or_404(queries.post_comments(), pk=comment_id, author=request.auth)
    services.delete_comment(comment, by=request.auth)
    return Status(204, None)
