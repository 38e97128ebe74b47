"""Read paths for people and comments: relationship lists with "connections you share", the
state of the buttons on a profile, and a comment thread as a tree."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value

from agora.accounts.models import User
from agora.accounts.permissions import writing_shown
from agora.moderation.restrictions import limited_authors
from agora.social.models import (
    Block,
    Comment,
    CommentLike,
    Connection,
    ConnectionRequest,
    Follow,
    Mute,
    Post,
)
from agora.social.permissions import blocked_either_way, visible_people
from agora.social.sources import kind_of

COMMENT_DISPLAY_DEPTH = 3
COMMENT_LIMIT = 500


def followers_of(viewer, owner: User) -> QuerySet:
    return _with_shared(viewer, visible_people(viewer).filter(following_set__followee=owner))


def following_of(viewer, owner: User) -> QuerySet:
    return _with_shared(viewer, visible_people(viewer).filter(follower_set__follower=owner))


def connections_of(viewer, owner: User) -> QuerySet:
    person_ids = Connection.objects.filter(person=owner).values("other")
    return _with_shared(viewer, visible_people(viewer).filter(pk__in=person_ids))


def _with_shared(viewer, people: QuerySet) -> QuerySet:
    """Each person with the number of connections the viewer shares with them, counted in the
    same query."""
    if not viewer.is_authenticated:
        return people.order_by("handle")
    mine = Connection.objects.filter(person=viewer).values("other")
    return people.annotate(
        shared_connections=Count(
            "connection_set", filter=Q(connection_set__other__in=mine), distinct=True
        )
    ).order_by("handle")


def shared_connections(viewer, owner: User) -> QuerySet:
    """The people connected both to the viewer and to the owner, whom the viewer may see."""
    if not viewer.is_authenticated or viewer.pk == owner.pk:
        return User.objects.none()
    mine = Connection.objects.filter(person=viewer).values("other")
    theirs = Connection.objects.filter(person=owner).values("other")
    return visible_people(viewer).filter(pk__in=mine).filter(pk__in=theirs).order_by("handle")


@dataclass
class Relationship:
    """What the viewer has with a person, for the buttons on the profile."""

    following: bool = False
    followed_by: bool = False
    connected: bool = False
    request_sent: bool = False
    request_received: bool = False
    blocking: bool = False
    muting: bool = False


def relationship(viewer, owner: User) -> Relationship:
    if not viewer.is_authenticated or viewer.pk == owner.pk:
        return Relationship()
    flags = User.objects.filter(pk=owner.pk).annotate(
        following=Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("pk"))),
        followed_by=Exists(Follow.objects.filter(follower=OuterRef("pk"), followee=viewer)),
        connected=Exists(Connection.objects.filter(person=viewer, other=OuterRef("pk"))),
        request_sent=Exists(
            ConnectionRequest.objects.filter(sender=viewer, recipient=OuterRef("pk"))
        ),
        request_received=Exists(
            ConnectionRequest.objects.filter(sender=OuterRef("pk"), recipient=viewer)
        ),
        blocking=Exists(Block.objects.filter(blocker=viewer, blocked=OuterRef("pk"))),
        muting=Exists(Mute.objects.filter(muter=viewer, muted=OuterRef("pk"))),
    )
    values = flags.values(*Relationship.__dataclass_fields__).first()
    return Relationship(**values) if values else Relationship()


@dataclass
class FollowState:
    """For the Follow button of an office, a topic or an area."""

    kind: str
    following: bool
    follower_count: int


def follow_state(viewer, thing) -> FollowState:
    """How many follow the thing and whether the viewer does, in one query."""
    kind = kind_of(thing)
    follows = kind.follows_of(thing).order_by()
    if viewer.is_authenticated:
        counts = follows.aggregate(count=Count("pk"), mine=Count("pk", filter=Q(follower=viewer)))
    else:
        counts = {"count": follows.count(), "mine": 0}
    return FollowState(
        kind=kind.name, following=bool(counts["mine"]), follower_count=counts["count"]
    )


@dataclass
class ThreadNode:
    comment: Comment
    replies: list["ThreadNode"] = field(default_factory=list)


def comment_thread(viewer, target) -> list[ThreadNode]:
    """The comments on a thing as a tree, oldest first, in one query. Comments by people
    blocked either way or muted by the viewer are left out, with their replies. Replies below
    the display depth are shown at that depth, in order."""
    comments = Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).select_related("author", "parent__author")
    comments = comments.filter(writing_shown())
    if viewer.is_authenticated:
        comments = comments.exclude(blocked_either_way(viewer, "author")).exclude(
            Exists(Mute.objects.filter(muter=viewer, muted=OuterRef("author")))
        )
        comments = comments.annotate(
            liked=Exists(CommentLike.objects.filter(user=viewer, comment=OuterRef("pk")))
        )
    comments = comments.annotate(
        author_limited=Exists(limited_authors().filter(person=OuterRef("author"))),
        follows_author=(
            Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("author")))
            if viewer.is_authenticated
            else Value(False)
        ),
    )
    children: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in comments.order_by("created_at", "id")[:COMMENT_LIMIT]:
        _keep_out_of_sight(viewer, comment)
        children[comment.parent_id].append(comment)

    def build(parent_id, depth) -> list[ThreadNode]:
        nodes = []
        for comment in children.get(parent_id, []):
            node = ThreadNode(comment)
            nodes.append(node)
            if depth < COMMENT_DISPLAY_DEPTH:
                node.replies = build(comment.pk, depth + 1)
            else:  # at the display depth, each reply follows the comment it answers
                nodes += build(comment.pk, depth)
        return nodes

    return build(None, 0)


def _keep_out_of_sight(viewer, comment: Comment) -> None:
    """A comment the viewer may not read keeps its place in the thread (the replies around it
    stay) without its words, on pages and in the API alike: one withheld by moderation, or one
    by a limited account (seen by its followers only)."""
    own = viewer.is_authenticated and comment.author_id == viewer.pk
    limited = comment.author_limited and not comment.follows_author
    comment.out_of_sight = ""
    if own:
        return
    if comment.is_withheld:
        comment.out_of_sight = "withheld"
    elif limited:
        comment.out_of_sight = "limited"
    if comment.out_of_sight:
        comment.body = comment.body_html = ""


def post_comments() -> QuerySet:
    """Comments on posts only: social's comment URLs act on these, while comments on other
    things (a case) go through their own app, which checks who may see and change them."""
    return Comment.objects.filter(content_type=ContentType.objects.get_for_model(Post))


def flatten(thread: list[ThreadNode]) -> list:
    """A thread's comments in reading order (each followed by its replies), as lists in the API
    give them, with `parent_id` and `depth` to rebuild the tree."""
    flat = []

    def walk(nodes):
        for node in nodes:
            flat.append(node.comment)
            walk(node.replies)

    walk(thread)
    return flat
