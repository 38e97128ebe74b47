"""Posts and comments as reportable content (`moderation.registry`). An office's announcement
speaks for the authority: reports on it go to a person, never hide it alone.

Comments are one model for whatever is commented on; the app that owns a commented thing (a
post here, a case, a proposal) registers it once as a `CommentTarget`: who may read its
comments, where they are read, what it belongs to for scoped moderators, and which comments
speak for the authority (an office's answer on a case: never hidden without a person)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from agora.moderation.registry import ReportableKind, register
from agora.social.models import Comment, Post
from agora.social.permissions import can_view_post


@dataclass(frozen=True)
class CommentTarget:
    model: type[models.Model]
    #: Whether the person may read the thing's comments.
    visible_to: Callable[[object, models.Model], bool]
    #: The page its comments are read on.
    url: Callable[[models.Model], str]
    #: The process or office it belongs to (`ReportableKind.scope`).
    scope: Callable[[models.Model], models.Model | None] = field(default=lambda thing: None)
    #: Whether a comment on it speaks for the authority.
    is_official: Callable[[Comment], bool] = field(default=lambda comment: False)


_targets: dict[type[models.Model], CommentTarget] = {}


def register_comment_target(target: CommentTarget) -> CommentTarget:
    _targets[target.model] = target
    return target


#: Where a comment just written keeps the thing it was written on (`remember_commented`).
COMMENTED = "_commented_thing"


def remember_commented(comment: Comment, thing: models.Model) -> None:
    """Keep on a comment just written the thing it is about, as the writer's request read it:
    holding it for review asks that thing several times (is it official, its page, its
    scope), and each would read it again otherwise."""
    comment.__dict__[COMMENTED] = thing


def _target_of(comment: Comment) -> tuple[CommentTarget, models.Model] | tuple[None, None]:
    model = comment.content_type.model_class()
    target = _targets.get(model)
    if target is None:
        return None, None
    thing = comment.__dict__.get(COMMENTED)
    if not (isinstance(thing, model) and thing.pk == comment.object_id):
        thing = model.objects.filter(pk=comment.object_id).first()
    return (target, thing) if thing is not None else (None, None)


def _comment_visible_to(viewer, comment: Comment) -> bool:
    target, thing = _target_of(comment)
    return target is not None and target.visible_to(viewer, thing)


def _comment_url(comment: Comment) -> str:
    target, thing = _target_of(comment)
    return f"{target.url(thing)}#comment-{comment.pk}" if target else ""


def _comment_scope(comment: Comment):
    target, thing = _target_of(comment)
    return target.scope(thing) if target else None


def _comment_is_official(comment: Comment) -> bool:
    target, _thing = _target_of(comment)
    return target is not None and target.is_official(comment)


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
            is_official=_comment_is_official,
            visible_to=_comment_visible_to,
            scope=_comment_scope,
        )
    )
    register_comment_target(
        CommentTarget(
            model=Post,
            visible_to=can_view_post,
            url=lambda post: reverse("social:post", args=[post.pk]),
        )
    )
