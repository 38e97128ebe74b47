"""Posts and comments on posts as reportable content (`moderation.registry`). An office's
announcement speaks for the authority: reports on it go to a person, never hide it alone.
Comments on other things (a case) are their app's to register."""

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from agora.moderation.registry import ReportableKind, register
from agora.social.models import Comment, Post
from agora.social.permissions import can_view_post


def _post_of(comment: Comment) -> Post | None:
    if comment.content_type.model_class() is not Post:
        return None
    return Post.objects.filter(pk=comment.object_id).select_related("author").first()


def _comment_visible_to(viewer, comment: Comment) -> bool:
    post = _post_of(comment)
    return post is not None and can_view_post(viewer, post)


def _comment_url(comment: Comment) -> str:
    return f"{reverse('social:post', args=[comment.object_id])}#comment-{comment.pk}"


def connect() -> None:
    register(
        ReportableKind(
            name="post",
            model=Post,
            label=_("post"),
            author=lambda post: post.author,
            excerpt=lambda post: strip_tags(post.body_html) or post.body,
            url=lambda post: reverse("social:post", args=[post.pk]),
            is_official=lambda post: post.office_id is not None,
            visible_to=can_view_post,
            scope=lambda post: post.office,
        )
    )
    register(
        ReportableKind(
            name="comment",
            model=Comment,
            label=_("comment"),
            author=lambda comment: comment.author,
            excerpt=lambda comment: comment.body,
            url=_comment_url,
            visible_to=_comment_visible_to,
        )
    )
