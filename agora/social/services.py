"""Every change in the social app goes through one of these verbs. Each runs in a transaction;
notifications are written in it and their emails leave after commit."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.accounts.elections import period_at
from agora.accounts.kinds import AccountKind
from agora.accounts.models import User
from agora.core import ratelimit
from agora.core.images import reencode_image
from agora.core.text import find_hashtags, find_mentions, render_markdown
from agora.directory.hashtags import tag_key, vocabulary
from agora.directory.models import Office
from agora.moderation.limits import check_writing
from agora.moderation.restrictions import check_may_delete, check_may_take_part
from agora.moderation.screening import hold, reason_to_hold
from agora.notifications.services import forget_targets, notify, notify_many
from agora.social import commentables, notifying, permissions
from agora.social.models import (
    Alignment,
    Block,
    Comment,
    CommentLike,
    Connection,
    ConnectionRequest,
    Follow,
    Mute,
    Post,
    PostImage,
    PostLike,
    PostRevision,
    ReplyPolicy,
    Tag,
    Visibility,
)
from agora.social.models.comments import COMMENT_MAX_LENGTH
from agora.social.models.posts import MAX_IMAGES, POST_MAX_LENGTH
from agora.social.moderating import remember_commented
from agora.social.sources import kind_of

IMAGE_MAX_SIDE = 2048


def _profile_url(person: User) -> str:
    return reverse("accounts:profile", kwargs={"handle": person.handle})


def post_url(post: Post) -> str:
    return reverse("social:post", kwargs={"post_id": post.pk})


# The graph.


@transaction.atomic
def follow(other: User, *, by: User) -> Follow:
    if by.pk == other.pk:
        raise ValidationError(_("You cannot follow yourself."), code="self_follow")
    if not permissions.can_follow(by, other):
        raise PermissionDenied(_("You cannot follow this person."))
    existing = Follow.objects.filter(follower=by, followee=other).first()
    if existing:
        return existing
    relation = Follow.objects.create(follower=by, followee=other)
    notify(other, kind=notifying.NEW_FOLLOWER, actor=by, target=by, url=_profile_url(by))
    return relation


@transaction.atomic
def unfollow(other: User, *, by: User) -> None:
    Follow.objects.filter(follower=by, followee=other).delete()


@transaction.atomic
def follow_source(thing, *, by: User) -> object:
    """Follow an office, a topic or an area; following it again changes nothing."""
    if not by.is_authenticated or not by.is_active:
        raise PermissionDenied(_("Log in to follow."))
    kind = kind_of(thing)
    relation, _created = kind.follow_model.objects.get_or_create(follower=by, **{kind.field: thing})
    return relation


@transaction.atomic
def unfollow_source(thing, *, by: User) -> None:
    kind = kind_of(thing)
    kind.follow_model.objects.filter(follower=by, **{kind.field: thing}).delete()


@transaction.atomic
def connect(other: User, *, by: User) -> Connection | ConnectionRequest:
    """Connect with someone. When the two follow each other, or the other has already asked,
    the connection is made at once; otherwise it is a request the other can accept."""
    if by.pk == other.pk:
        raise ValidationError(_("You cannot connect with yourself."), code="self_connect")
    if not permissions.can_follow(by, other):
        raise PermissionDenied(_("You cannot connect with this person."))
    existing = Connection.objects.filter(person=by, other=other).first()
    if existing:
        return existing
    mutual = (
        Follow.objects.filter(
            Q(follower=by, followee=other) | Q(follower=other, followee=by)
        ).count()
        == 2
    )
    asked = ConnectionRequest.objects.filter(sender=other, recipient=by).exists()
    if mutual or asked:
        return _make_connection(by, other)
    request, created = ConnectionRequest.objects.get_or_create(sender=by, recipient=other)
    if created:
        notify(
            other,
            kind=notifying.CONNECTION_REQUEST,
            actor=by,
            target=by,
            url=reverse("social:connection_requests"),
        )
    return request


def _make_connection(person: User, other: User) -> Connection:
    ConnectionRequest.objects.filter(
        Q(sender=person, recipient=other) | Q(sender=other, recipient=person)
    ).delete()
    Connection.objects.get_or_create(person=other, other=person)
    connection, _created = Connection.objects.get_or_create(person=person, other=other)
    return connection


@transaction.atomic
def accept_connection(request: ConnectionRequest, *, by: User) -> Connection:
    if request.recipient_id != by.pk:
        raise PermissionDenied(_("This request was not sent to you."))
    return _make_connection(by, request.sender)


@transaction.atomic
def decline_connection(request: ConnectionRequest, *, by: User) -> None:
    if request.recipient_id != by.pk and request.sender_id != by.pk:
        raise PermissionDenied(_("This request is not yours."))
    request.delete()


@transaction.atomic
def disconnect(other: User, *, by: User) -> None:
    Connection.objects.filter(Q(person=by, other=other) | Q(person=other, other=by)).delete()
    ConnectionRequest.objects.filter(
        Q(sender=by, recipient=other) | Q(sender=other, recipient=by)
    ).delete()


@transaction.atomic
def block(other: User, *, by: User) -> Block:
    """Block someone: follows, connections and requests both ways go; nobody is told."""
    if by.pk == other.pk:
        raise ValidationError(_("You cannot block yourself."), code="self_block")
    Follow.objects.filter(Q(follower=by, followee=other) | Q(follower=other, followee=by)).delete()
    disconnect(other, by=by)
    relation, _created = Block.objects.get_or_create(blocker=by, blocked=other)
    return relation


@transaction.atomic
def unblock(other: User, *, by: User) -> None:
    Block.objects.filter(blocker=by, blocked=other).delete()


@transaction.atomic
def mute(other: User, *, by: User) -> Mute:
    if by.pk == other.pk:
        raise ValidationError(_("You cannot mute yourself."), code="self_mute")
    relation, _created = Mute.objects.get_or_create(muter=by, muted=other)
    return relation


@transaction.atomic
def unmute(other: User, *, by: User) -> None:
    Mute.objects.filter(muter=by, muted=other).delete()


# Posts.


#: What an empty text is told, one whole sentence per kind of text (so that every language can
#: word it its own way).
EMPTY_POST = gettext_lazy("Write something before sending the post.")
EMPTY_COMMENT = gettext_lazy("Write something before sending the comment.")


def _check_body(body: str, *, limit: int, required: bool, empty_message: str = "") -> str:
    body = (body or "").strip()
    if required and not body:
        raise ValidationError({"body": str(empty_message)})
    if len(body) > limit:
        raise ValidationError(
            {
                "body": _("Use at most %(limit)d characters; this has %(count)d.")
                % {"limit": limit, "count": len(body)}
            }
        )
    if "\x00" in body:
        raise ValidationError({"body": _("Text cannot contain NUL characters.")})
    return body


def clean_images(images: list[tuple[object, str]]) -> list[tuple[object, str]]:
    """Check the (upload, description) pairs of a post; each needs a description."""
    if len(images) > MAX_IMAGES:
        raise ValidationError(
            {"images": _("A post can have at most %(count)d images.") % {"count": MAX_IMAGES}}
        )
    checked = []
    for upload, alt_text in images:
        alt_text = (alt_text or "").strip()
        if not alt_text:
            raise ValidationError(
                {"images": _("Describe every image for people who cannot see it.")}
            )
        if len(alt_text) > 1000:
            raise ValidationError({"images": _("Keep each description under 1,000 characters.")})
        clean = reencode_image(
            upload, max_bytes=settings.AGORA_AVATAR_MAX_BYTES, max_side=IMAGE_MAX_SIDE
        )
        checked.append((clean, alt_text))
    return checked


def new_tag(name: str) -> Tag:
    """A tag not yet saved, linked to the directory topic or area it names, if any."""
    key = tag_key(name)
    words = vocabulary()
    return Tag(name=name, key=key, topic_id=words.topics.get(key), area_id=words.areas.get(key))


def _set_tags(post: Post) -> None:
    names = find_hashtags(post.body)
    if not names:
        post.tags.clear()
        return
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    missing = [new_tag(name) for name in names if name not in existing]
    Tag.objects.bulk_create(missing, ignore_conflicts=True)
    post.tags.set(Tag.objects.filter(name__in=names))


def retag(post: Post) -> None:
    """Link the post to the tags its text names now (after a correction, say)."""
    _set_tags(post)


def _relink(field: str, links: dict[str, int]) -> None:
    links_by_thing: dict[int, list[str]] = {}
    for key, thing_id in links.items():
        links_by_thing.setdefault(thing_id, []).append(key)
    Tag.objects.exclude(key__in=list(links)).exclude(**{f"{field}__isnull": True}).update(
        **{field: None}
    )
    for thing_id, keys in links_by_thing.items():
        Tag.objects.filter(key__in=keys).exclude(**{f"{field}_id": thing_id}).update(
            **{f"{field}_id": thing_id}
        )


@transaction.atomic
def relink_tags() -> None:
    """Link every tag to the topic and area it names in the directory as it is now. Run after
    the directory changes (see `directory.signals`); the work grows with the directory's
    vocabulary, never with the number of tags: one indexed update per topic or area named."""
    words = vocabulary()
    _relink("topic", words.topics)
    _relink("area", words.areas)


def _notify_mentions(text: str, *, actor: User, target, url: str, already: set[str]) -> None:
    handles = [handle for handle in find_mentions(text) if handle not in already]
    if not handles:
        return
    people = User.objects.alias(handle_lower=models.functions.Lower("handle")).filter(
        handle_lower__in=handles
    )
    notify_many(people, kind=notifying.MENTION, actor=actor, target=target, url=url, excerpt=text)


def _check_trust_limits(by: User, *, kind: str, body: str, images: int = 0) -> None:
    """What the writer's trust level allows yet (`moderation.limits`): links, mentions (of
    people who follow them, for a new account), images, how often."""
    handles = find_mentions(body)

    def strangers() -> int:
        return (
            User.objects.alias(handle_lower=models.functions.Lower("handle"))
            .filter(handle_lower__in=handles)
            .exclude(pk__in=Follow.objects.filter(followee=by).values("follower"))
            .count()
        )

    check_writing(
        by,
        kind=kind,
        body=body,
        images=images,
        mentions=len(handles),
        strangers_mentioned=strangers,
    )


@transaction.atomic
def create_post(
    *,
    by: User,
    body: str,
    visibility: str = Visibility.PUBLIC,
    reply_policy: str = ReplyPolicy.EVERYONE,
    images: list[tuple[object, str]] | None = None,
    office: Office | None = None,
    service_information: bool = False,
) -> Post:
    """Publish a post. `images` are (upload, description) pairs; every one needs a
    description. With `office`, the post is an announcement of that office, which only its
    current officials may make; the author stays on record. During a pre-election period an
    institutional voice (an announcement, an institutional account) may publish service
    information only, marked `service_information`, and a political account's post carries
    the period. Nothing is saved when anything is wrong."""
    if office is not None and (refusal := permissions.post_as_refusal(by)):
        raise PermissionDenied(refusal)
    if office is not None and not permissions.can_post_as(by, office):
        raise PermissionDenied(_("Only the officials of an office can post as the office."))
    period = _election_period_for(by, office=office, service_information=service_information)
    images = clean_images(images or [])
    body = _check_body(body, limit=POST_MAX_LENGTH, required=not images, empty_message=EMPTY_POST)
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Choose who can see the post.")})
    if office is not None and visibility not in permissions.ANNOUNCEMENT_VISIBILITIES:
        raise ValidationError(
            {"visibility": _("An announcement is for everyone or for the office’s followers.")}
        )
    if reply_policy not in ReplyPolicy.values:
        raise ValidationError({"reply_policy": _("Choose who can reply.")})
    check_may_take_part(by)
    _check_trust_limits(by, kind="post", body=body, images=len(images))
    ratelimit.check("AGORA_POST_RATE", "posts", by)
    held_because = reason_to_hold(body, by=by) if office is None else ""
    post = Post.objects.create(
        author=by,
        office=office,
        body=body,
        body_html=render_markdown(body),
        visibility=visibility,
        reply_policy=reply_policy,
        election_period=period,
        service_information=service_information,
    )
    saved = []
    for position, (clean, alt_text) in enumerate(images):
        image = PostImage(
            post=post, alt_text=alt_text, position=position, width=clean.width, height=clean.height
        )
        image.image.save(clean.file.name, clean.file, save=False)
        image.save()
        saved.append(image)
    _set_tags(post)
    hold(post, reason=held_because)
    _notify_mentions(body, actor=by, target=post, url=post_url(post), already=set())
    # The post comes back with its images in hand (`written_images`): an answer about it needs
    # no read after the write, which could fail once the write has committed.
    post.written_images = saved
    return post


def _election_period_for(by: User, *, office, service_information: bool):
    """The pre-election period a new post belongs to: the running one when the author writes
    as an institutional or political voice, else None (and no query). An institutional voice
    that does not mark the post as service information is refused."""
    institutional = office is not None or by.kind == AccountKind.INSTITUTIONAL
    if not institutional and by.kind != AccountKind.POLITICAL:
        return None
    period = period_at()
    if period is not None and institutional and not service_information:
        raise ValidationError(
            {
                "service_information": _(
                    "During the pre-election period (%(period)s) institutional accounts "
                    "publish service information only. Tick “Service information” if this "
                    "post is that; otherwise it waits until after the election."
                )
                % {"period": period.label}
            }
        )
    return period


@transaction.atomic
def edit_post(post: Post, *, by: User, body: str, service_information: bool | None = None) -> Post:
    """Change a post's text; the old text is kept as a revision and the post shows "edited".
    An announcement can be changed by its author only while they still act for the office.
    An edit is writing too: during a pre-election period an institutional account's post must
    be (or now be marked, `service_information`) service information, and a political
    account's post takes the period's label. `service_information` None keeps the mark."""
    if not permissions.can_change_post(by, post):
        raise PermissionDenied(_("Only the author can edit a post."))
    if post.is_announcement:
        # Official information is never changed silently (`announcements.correct_announcement`).
        raise ValidationError(
            {"body": _("An announcement is changed by a correction that says what changed.")}
        )
    body = _check_body(
        body, limit=POST_MAX_LENGTH, required=not post.images.exists(), empty_message=EMPTY_POST
    )
    marked = post.service_information if service_information is None else service_information
    if body == post.body and marked == post.service_information:
        return post
    period = _election_period_for(by, office=None, service_information=marked)
    PostRevision.objects.create(
        post=post, body=post.body, created_at=post.edited_at or post.created_at
    )
    before = set(find_mentions(post.body))
    post.body = body
    post.body_html = render_markdown(body)
    post.edited_at = timezone.now()
    post.service_information = marked
    fields = ["body", "body_html", "edited_at", "service_information"]
    if period is not None and post.election_period_id is None:
        post.election_period = period
        fields.append("election_period")
    post.save(update_fields=fields)
    _set_tags(post)
    _notify_mentions(body, actor=by, target=post, url=post_url(post), already=before)
    return post


@transaction.atomic
def delete_post(post: Post, *, by: User) -> None:
    if not permissions.can_change_post(by, post):
        raise PermissionDenied(_("Only the author can delete a post."))
    check_may_delete(post)
    if post.shared_post_id:
        Post.objects.filter(pk=post.shared_post_id, share_count__gt=0).update(
            share_count=F("share_count") - 1
        )
    files = [image.image for image in post.images.all()]
    if post.is_announcement:
        files += [attachment.file for attachment in post.attachments.all()]
    comments = Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(Post), object_id=post.pk
    )
    # Nobody is shown the words any more, in their notifications either.
    forget_targets(Comment, list(comments.values_list("pk", flat=True)))
    forget_targets(Post, [post.pk])
    comments.delete()
    post.delete()
    for stored in files:
        transaction.on_commit(lambda stored=stored: stored.storage.delete(stored.name))


@transaction.atomic
def share_post(post: Post, *, by: User, body: str = "") -> Post:
    """Repost a public post to one's followers, with an optional comment. An institutional
    account may not share a political account's post: `PermissionDenied` says so."""
    refusal = permissions.share_refusal(by, post)
    if refusal:
        raise PermissionDenied(refusal)
    if not permissions.can_view_post(by, post) or not permissions.can_share(by, post):
        raise PermissionDenied(_("This post cannot be shared."))
    body = _check_body(body, limit=POST_MAX_LENGTH, required=False)
    check_may_take_part(by)
    _check_trust_limits(by, kind="post", body=body)
    ratelimit.check("AGORA_POST_RATE", "posts", by)
    share = Post.objects.create(
        author=by,
        body=body,
        body_html=render_markdown(body) if body else "",
        shared_post=post,
        visibility=Visibility.PUBLIC,
    )
    _set_tags(share)
    Post.objects.filter(pk=post.pk).update(share_count=F("share_count") + 1)
    notify(post.author, kind=notifying.SHARE, actor=by, target=share, url=post_url(share))
    return share


@transaction.atomic
def like_post(post: Post, *, by: User) -> bool:
    """Like a post; liking it twice changes nothing. Returns whether a like was added."""
    if not permissions.can_view_post(by, post) or permissions.is_blocked_between(by, post.author):
        raise PermissionDenied(_("You cannot like this post."))
    try:
        with transaction.atomic():
            PostLike.objects.create(user=by, post=post)
    except IntegrityError:
        return False
    Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
    notify(post.author, kind=notifying.LIKE, actor=by, target=post, url=post_url(post))
    return True


@transaction.atomic
def unlike_post(post: Post, *, by: User) -> bool:
    deleted, _detail = PostLike.objects.filter(user=by, post=post).delete()
    if deleted:
        Post.objects.filter(pk=post.pk, like_count__gt=0).update(like_count=F("like_count") - 1)
    return bool(deleted)


# Comments.


@transaction.atomic
def comment_on_post(post: Post, *, by: User, body: str, parent: Comment | None = None) -> Comment:
    """Comment on a post, or reply to a comment on it, where the post's reply setting and
    blocks allow."""
    if not permissions.can_view_post(by, post):
        raise PermissionDenied(_("You cannot see this post."))
    if not permissions.can_reply(by, post):
        raise ValidationError(
            {"body": _("Replies to this post are closed to you.")}, code="replies_closed"
        )
    if parent is not None and permissions.is_blocked_between(by, parent.author):
        raise ValidationError({"body": _("You cannot reply to this comment.")})
    comment = add_comment(post, by=by, body=body, parent=parent)
    Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    url = post_url(post) + f"#comment-{comment.pk}"
    replied_to = [post.author, parent.author] if parent else [post.author]
    notify_many(
        User.objects.filter(pk__in=[author.pk for author in replied_to]),
        kind=notifying.REPLY,
        actor=by,
        target=comment,
        url=url,
        excerpt=body,
    )
    _notify_mentions(
        comment.body,
        actor=by,
        target=comment,
        url=url,
        already={someone.handle.lower() for someone in [by, *replied_to]},
    )
    return comment


def add_comment(
    target: models.Model,
    *,
    by: User,
    body: str,
    parent: Comment | None = None,
    alignment: str = "",
) -> Comment:
    """The generic part every commentable thing shares: check the text, place the reply in the
    thread, take an alignment where the target's kind asks for one (`social.commentables`).
    The caller checks who may comment on its kind of thing."""
    body = _check_body(body, limit=COMMENT_MAX_LENGTH, required=True, empty_message=EMPTY_COMMENT)
    if alignment and not commentables.takes_alignment(target):
        raise ValidationError({"alignment": _("Comments here take no alignment.")})
    if alignment and alignment not in Alignment.values:
        raise ValidationError({"alignment": _("Choose in favour, against or neutral.")})
    content_type = ContentType.objects.get_for_model(target)
    if parent is not None and (
        parent.content_type_id != content_type.pk or parent.object_id != target.pk
    ):
        raise ValidationError({"parent": _("That comment belongs to something else.")})
    check_may_take_part(by)
    _check_trust_limits(by, kind="comment", body=body)
    ratelimit.check("AGORA_COMMENT_RATE", "comments", by)
    held_because = reason_to_hold(body, by=by)
    comment = Comment.objects.create(
        content_type=content_type,
        object_id=target.pk,
        author=by,
        parent=parent,
        depth=(parent.depth + 1) if parent else 0,
        body=body,
        body_html=render_markdown(body),
        alignment=alignment,
    )
    remember_commented(comment, target)
    hold(comment, reason=held_because)
    return comment


@transaction.atomic
def delete_comment(comment: Comment, *, by: User) -> list[int]:
    """The author deletes their comment, and its replies with it (one query per level of the
    thread), with the notifications about them; the ids of all that went."""
    if comment.author_id != by.pk:
        raise PermissionDenied(_("Only the author can delete a comment."))
    check_may_delete(comment)
    gone, level = [comment.pk], [comment.pk]
    while level:
        level = list(Comment.objects.filter(parent__in=level).values_list("pk", flat=True))
        gone += level
    if comment.content_type.model_class() is Post:
        Post.objects.filter(pk=comment.object_id).update(
            comment_count=models.functions.Greatest(F("comment_count") - len(gone), 0)
        )
    forget_targets(Comment, gone)
    comment.delete()
    return gone


@transaction.atomic
def like_comment(comment: Comment, *, by: User) -> bool:
    if permissions.is_blocked_between(by, comment.author):
        raise PermissionDenied(_("You cannot like this comment."))
    try:
        with transaction.atomic():
            CommentLike.objects.create(user=by, comment=comment)
    except IntegrityError:
        return False
    Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
    notify(comment.author, kind=notifying.LIKE, actor=by, target=comment)
    return True


@transaction.atomic
def unlike_comment(comment: Comment, *, by: User) -> bool:
    deleted, _detail = CommentLike.objects.filter(user=by, comment=comment).delete()
    if deleted:
        Comment.objects.filter(pk=comment.pk, like_count__gt=0).update(
            like_count=F("like_count") - 1
        )
    return bool(deleted)
