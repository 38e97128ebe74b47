"""What social holds about a person (see `agora.accounts.holdings`): posts, comments, likes,
follows, connections, blocks and mutes. Erasing posts, comments and likes keeps the counts
beside them true and forgets the notifications about what went, as the verbs do."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare
from agora.notifications.services import forget_targets
from agora.social.models import Comment, Post, PostImage


def _lower(model, counts, column: str) -> None:
    for pk, count in counts:
        model.objects.filter(pk=pk).update(**{column: Greatest(F(column) - count, 0)})


def erase_posts(posts) -> None:
    """The posts, the comments on them and their images' files (after commit); the shares
    of them go with them, as when their author deletes one."""
    ids = list(posts.values_list("pk", flat=True))
    _lower(
        Post,
        posts.filter(shared_post__isnull=False)
        .values_list("shared_post")
        .annotate(count=Count("pk"))
        .order_by(),
        "share_count",
    )
    comments = Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(Post), object_id__in=ids
    )
    forget_targets(Comment, list(comments.values_list("pk", flat=True)))
    forget_targets(Post, ids)
    files = [image.image for image in PostImage.objects.filter(post__in=ids)]
    comments.delete()
    Post.objects.filter(pk__in=ids).delete()
    for stored in files:
        transaction.on_commit(lambda stored=stored: stored.storage.delete(stored.name))


def erase_comments(comments) -> None:
    """The comments and the replies under them, lowering the posts' comment counts."""
    gone = list(comments.values_list("pk", flat=True))
    level = gone
    while level:
        level = list(
            Comment.objects.filter(parent__in=level)
            .exclude(pk__in=gone)
            .values_list("pk", flat=True)
        )
        gone += level
    _lower(
        Post,
        Comment.objects.filter(pk__in=gone, content_type=ContentType.objects.get_for_model(Post))
        .values_list("object_id")
        .annotate(count=Count("pk"))
        .order_by(),
        "comment_count",
    )
    forget_targets(Comment, gone)
    Comment.objects.filter(pk__in=gone).delete()


def erase_post_likes(likes) -> None:
    Post.objects.filter(pk__in=likes.values("post"), like_count__gt=0).update(
        like_count=F("like_count") - 1
    )
    likes.delete()


def erase_comment_likes(likes) -> None:
    Comment.objects.filter(pk__in=likes.values("comment"), like_count__gt=0).update(
        like_count=F("like_count") - 1
    )
    likes.delete()


GRAPH = _("They are shown by the name each person chose to show you.")

declare(
    Holding(
        model="social.Post",
        person="author",
        kind="posts",
        about=_(
            "Your posts and shares: text, who could see them, when. An announcement you posted "
            "for an office is the office's: it is not here, and it stays when you leave."
        ),
        columns=(
            "id",
            "body",
            "visibility",
            "reply_policy",
            "shared_post",
            "created_at",
            "edited_at",
            "like_count",
            "comment_count",
            "share_count",
        ),
        leave=Leave.PUBLIC,
        erase=erase_posts,
        select=lambda person: Post.objects.filter(author=person.pk, office__isnull=True),
    ),
    Holding(
        model="social.Correction",
        person="corrected_by",
        kind="corrections",
        about=_("The corrections you made to an office's announcements, and why."),
        columns=("post", "note", "corrected_at"),
        leave=Leave.ANONYMISE,
        reason=_(
            "A correction is part of the office's public record of its announcement; it stays, "
            "made by the office."
        ),
    ),
    Holding(
        model="social.Comment",
        person="author",
        kind="comments",
        about=_("Your comments, on posts and elsewhere: text and when."),
        columns=(
            "id",
            "content_type__model",
            "object_id",
            "parent",
            "body",
            "created_at",
            "like_count",
        ),
        leave=Leave.PUBLIC,
        erase=erase_comments,
    ),
    Holding(
        model="social.PostLike",
        person="user",
        kind="post_likes",
        about=_("The posts you liked."),
        columns=("post", "created_at"),
        leave=Leave.ERASE,
        erase=erase_post_likes,
    ),
    Holding(
        model="social.CommentLike",
        person="user",
        kind="comment_likes",
        about=_("The comments you liked."),
        columns=("comment", "created_at"),
        leave=Leave.ERASE,
        erase=erase_comment_likes,
    ),
    Holding(
        model="social.Follow",
        person="follower",
        kind="following",
        about=_("The people you follow.") + " " + GRAPH,
        columns=("followee", "created_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="social.Follow",
        person="followee",
        kind="followers",
        about=_("The people who follow you.") + " " + GRAPH,
        columns=("follower", "created_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="social.ConnectionRequest",
        person="sender",
        kind="connection_requests_sent",
        about=_("Connection requests you sent and that wait for an answer.") + " " + GRAPH,
        columns=("recipient", "created_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="social.ConnectionRequest",
        person="recipient",
        kind="connection_requests_received",
        about=_("Connection requests waiting for your answer.") + " " + GRAPH,
        columns=("sender", "created_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="social.Connection",
        person="person",
        kind="connections",
        about=_("Your connections.") + " " + GRAPH,
        columns=("other", "created_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="social.Connection",
        person="other",
        kind="connections_other_side",
        about=_("The other half of each connection, kept for both people."),
        export=False,
        leave=Leave.ERASE,
    ),
    Holding(
        model="social.Block",
        person="blocker",
        kind="blocks",
        about=_("The people you blocked.") + " " + GRAPH,
        columns=("blocked", "created_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="social.Block",
        person="blocked",
        kind="blocked_by",
        about=_("Who blocked you is theirs to know, not yours: left out."),
        export=False,
        leave=Leave.ERASE,
    ),
    Holding(
        model="social.Mute",
        person="muter",
        kind="mutes",
        about=_("The people you muted.") + " " + GRAPH,
        columns=("muted", "created_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="social.Mute",
        person="muted",
        kind="muted_by",
        about=_("Who muted you is theirs to know, not yours: left out."),
        export=False,
        leave=Leave.ERASE,
    ),
    Holding(
        model="social.MutedWord",
        person="person",
        kind="muted_words",
        about=_("The words and phrases you muted."),
        columns=("phrase", "created_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="social.OfficeFollow",
        person="follower",
        kind="offices_followed",
        about=_("The offices you follow."),
        columns=("office__name_en", "created_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="social.TopicFollow",
        person="follower",
        kind="topics_followed",
        about=_("The topics you follow."),
        columns=("topic__name_en", "created_at"),
        leave=Leave.ERASE,
    ),
    Holding(
        model="social.AreaFollow",
        person="follower",
        kind="areas_followed",
        about=_("The areas you follow."),
        columns=("area__name_en", "created_at"),
        leave=Leave.ERASE,
    ),
)
