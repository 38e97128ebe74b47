"""Small named predicates about who may see or do what in the social graph, and the querysets
that apply the same rules to lists (posts, people) in the database."""

from django.db import connections, router
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Now

from agora.accounts import kinds
from agora.accounts.models import ListVisibility, User
from agora.accounts.models import Visibility as ProfileVisibility
from agora.accounts.permissions import can_view_profile, find_visible_profile, writing_shown
from agora.core.prepared import compiled, prepared
from agora.directory.models import Office, OfficeMembership
from agora.moderation.models import ModerationState
from agora.moderation.restrictions import limited_authors
from agora.social.models import (
    Block,
    Connection,
    Follow,
    Mute,
    OfficeFollow,
    Post,
    ReplyPolicy,
    Visibility,
)

# Who may read an announcement: everyone, or the followers of the office. An office has no
# connections, so "my connections" is not offered.
ANNOUNCEMENT_VISIBILITIES = (Visibility.PUBLIC, Visibility.FOLLOWERS)


def can_post_as(person, office: Office) -> bool:
    """Whether the person may speak for the office: an active account that is an official of
    that very office now (an official of a department does not speak for its units, nor a
    former official for anything), and not a political account (`accounts.kinds`:
    `SPEAK_FOR_OFFICE`; `post_as_refusal` says why)."""
    return (
        person.is_authenticated
        and person.is_active
        and kinds.may(person, kinds.SPEAK_FOR_OFFICE)
        and is_official_here(person, office)
    )


def is_official_here(person, office: Office) -> bool:
    """Whether the person is an official of that very office now, whatever their kind."""
    return (
        person.is_authenticated
        and OfficeMembership.objects.filter(user=person, office=office).exists()
    )


def post_as_refusal(person) -> str:
    """Why this person's kind of account may not speak for an office, or ""."""
    return kinds.refusal(person, kinds.SPEAK_FOR_OFFICE)


def offices_to_post_as(person) -> QuerySet:
    if not person.is_authenticated or not person.is_active or post_as_refusal(person):
        return Office.objects.none()
    return Office.objects.filter(memberships__user=person).order_by("name_en", "pk")


def can_change_post(person, post: Post) -> bool:
    """Only the author changes or deletes a post, and an announcement only while the author
    still speaks for its office."""
    if not person.is_authenticated or post.author_id != person.pk:
        return False
    return post.office_id is None or can_post_as(person, post.office)


def is_blocked_between(person, other) -> bool:
    """Whether either of the two blocks the other."""
    if not (person.is_authenticated and other.is_authenticated):
        return False
    return Block.objects.filter(
        Q(blocker=person, blocked=other) | Q(blocker=other, blocked=person)
    ).exists()


def follows(person, other) -> bool:
    return (
        person.is_authenticated and Follow.objects.filter(follower=person, followee=other).exists()
    )


def are_connected(person, other) -> bool:
    return (
        person.is_authenticated and Connection.objects.filter(person=person, other=other).exists()
    )


def can_follow(person, other: User) -> bool:
    return (
        person.is_authenticated
        and person.pk != other.pk
        and can_view_profile(person, other)
        and not is_blocked_between(person, other)
    )


# The relationship verbs (`agora.social.services`) that need no sight of the other's profile:
# undoing needs none, and blocking someone who hid their profile must work.
VERBS_WITHOUT_SIGHT = frozenset({"unfollow", "disconnect", "block", "unblock", "unmute"})


def person_to_relate(viewer, handle: str, verb: str) -> User | None:
    """The person a relationship verb (`follow`, `unblock`...) would act on: anyone with the
    handle for the verbs above, otherwise someone whose profile the viewer may see. None when
    there is nobody, so pages and the API answer 404 alike."""
    if verb not in VERBS_WITHOUT_SIGHT:
        return find_visible_profile(viewer, handle)
    try:
        return User.objects.get_by_handle(handle)
    except User.DoesNotExist:
        return None


def can_see_lists(viewer, owner: User) -> bool:
    """Whether the viewer may see the owner's followers, following and connections."""
    if not can_view_profile(viewer, owner):
        return False
    if viewer.is_authenticated and viewer.pk == owner.pk:
        return True
    if is_blocked_between(viewer, owner):
        return False
    setting = owner.connections_visibility
    if setting == ListVisibility.PUBLIC:
        return True
    if setting == ListVisibility.MEMBERS:
        return viewer.is_authenticated
    if setting == ListVisibility.CONNECTIONS:
        return are_connected(viewer, owner)
    return False


def blocked_either_way(person, field: str) -> Exists:
    """For a queryset's rows: whether the person and the one in the row's `field` (a user's
    `pk`, an `author`, an `actor`) block each other either way; one EXISTS per row."""
    other = OuterRef(field)
    return Exists(
        Block.objects.filter(Q(blocker=person, blocked=other) | Q(blocker=other, blocked=person))
    )


def visible_people(viewer, queryset: QuerySet | None = None) -> QuerySet:
    """People whose profile the viewer may see and who are not blocked either way."""
    people = (queryset if queryset is not None else User.objects.all()).filter(is_active=True)
    if not viewer.is_authenticated:
        return people.filter(profile_visibility=ProfileVisibility.PUBLIC)
    return people.filter(
        Q(pk=viewer.pk)
        | Q(profile_visibility__in=[ProfileVisibility.PUBLIC, ProfileVisibility.MEMBERS])
    ).exclude(blocked_either_way(viewer, "pk"))


def _hidden_authors(viewer, *, hide_muted: bool) -> Q:
    """Authors blocked either way, and muted ones unless asked otherwise. Each is a small set
    of ids the database computes once per query (a hashed subplan), not once per post."""
    hidden = Q(author__in=Block.objects.filter(blocker=viewer).values("blocked")) | Q(
        author__in=Block.objects.filter(blocked=viewer).values("blocker")
    )
    if hide_muted:
        hidden |= Q(author__in=Mute.objects.filter(muter=viewer).values("muted"))
    return hidden


def visible_posts(
    viewer,
    queryset: QuerySet | None = None,
    *,
    hide_muted: bool = True,
    include_expired: bool = False,
) -> QuerySet:
    """The posts the viewer may read: the author's profile is visible to them, nobody blocks
    anybody, the post's own visibility lets them in and, unless asked otherwise, they have
    not muted the author. Every read path of posts starts here. The viewer's follows,
    connections, blocks and mutes are id sets the database hashes once per query.

    An office's announcement is the office speaking, not the official who typed it: it is
    public or for the office's followers, and neither the official's profile setting nor a
    block or mute between the reader and that official hides it (an official cannot keep
    public information from a resident by blocking them, and a resident who muted an official
    in person still hears the office). Liking, replying and sharing still respect blocks with
    the official, as for any post (see `can_reply`, `can_share`). The author's account must
    be active, as for every post, and the post not withheld by moderation (hidden while it is
    reviewed, hidden or removed): its author still sees it, marked. A limited account's posts
    (`moderation.restrictions.limited_authors`) are for its followers only.

    An announcement past its `valid_until` leaves every list unless `include_expired` (its own
    page and the shares that quote it keep it, marked as expired). The comparison is with the
    database's clock, so a statement compiled once (`core.prepared`) stays right."""
    posts = queryset if queryset is not None else Post.objects.all()
    if not include_expired:
        posts = posts.filter(in_force())
    announcement = Q(office__isnull=False)
    # A limited account's posts reach only its followers (an announcement is the office's).
    limited = Q(author__in=limited_authors(), office__isnull=True)
    if not viewer.is_authenticated:
        return posts.filter(
            Q(author__profile_visibility=ProfileVisibility.PUBLIC) | announcement,
            ~limited,
            writing_shown(),
            visibility=Visibility.PUBLIC,
            moderation_state=ModerationState.VISIBLE,
        )
    following = Follow.objects.filter(follower=viewer).values("followee")
    connected = Connection.objects.filter(person=viewer).values("other")
    followed_offices = OfficeFollow.objects.filter(follower=viewer).values("office")
    personal = (
        (
            Q(visibility=Visibility.PUBLIC)
            | Q(visibility=Visibility.FOLLOWERS, author__in=following)
            | Q(visibility=Visibility.CONNECTIONS, author__in=connected)
        )
        & ~_hidden_authors(viewer, hide_muted=hide_muted)
        & Q(
            office__isnull=True,
            author__profile_visibility__in=[ProfileVisibility.PUBLIC, ProfileVisibility.MEMBERS],
        )
    )
    announcements = Q(visibility=Visibility.PUBLIC, office__isnull=False) | Q(
        visibility=Visibility.FOLLOWERS, office__in=followed_offices
    )
    shown = (
        writing_shown()
        & Q(moderation_state=ModerationState.VISIBLE)
        & (~limited | Q(author__in=following))
    )
    return posts.filter(Q(author=viewer) | ((personal | announcements) & shown))


def in_force() -> Q:
    """Posts that are not announcements past their validity."""
    return Q(valid_until__isnull=True) | Q(valid_until__gt=Now())


def can_view_post(viewer, post: Post) -> bool:
    """Whether the viewer may read the post (`visible_posts`, muted authors and expired
    announcements included). For a signed-in person the statement is compiled once
    (`core.prepared`) and bound to them and the post: every comment, like and share asks
    it, and building its dozen subqueries cost more than running them."""
    if not viewer.is_authenticated:
        return visible_posts(
            viewer, Post.objects.filter(pk=post.pk), hide_muted=False, include_expired=True
        ).exists()
    statement = prepared(
        ("can view post", "member"),
        {"viewer": "int", "post": "int"},
        lambda values: compiled(
            visible_posts(
                User(pk=values["viewer"]),
                Post.objects.filter(pk=values["post"]),
                hide_muted=False,
                include_expired=True,
            ).values("pk")[:1]
        ),
    )
    with connections[router.db_for_read(Post)].cursor() as cursor:
        cursor.execute(*statement.bind(viewer=viewer.pk, post=post.pk))
        return cursor.fetchone() is not None


def can_reply(viewer, post: Post) -> bool:
    """Whether the viewer may comment on the post (the post is already visible to them)."""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == post.author_id:
        return True
    if is_blocked_between(viewer, post.author):
        return False
    if post.reply_policy == ReplyPolicy.EVERYONE:
        return True
    if post.reply_policy == ReplyPolicy.FOLLOWING:
        return follows(post.author, viewer)
    return False


def can_share(viewer, post: Post) -> bool:
    """Only public posts travel: sharing a followers-only post would show it to others. An
    institutional account does not share a political account's post (`accounts.kinds`;
    `share_refusal` says why)."""
    return (
        viewer.is_authenticated
        and post.visibility == Visibility.PUBLIC
        and not post.is_share
        and not is_blocked_between(viewer, post.author)
        and kinds.may_share(viewer, post.author)
    )


def share_refusal(viewer, post: Post) -> str:
    """Why the viewer's kind of account may not share this post, or ""."""
    if kinds.may_share(viewer, post.author):
        return ""
    return kinds.refusal(viewer, kinds.SHARE_POLITICAL)
