"""What the social endpoints read and answer, and the error statuses they document."""

from datetime import datetime
from typing import Annotated, Literal

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from agora.accounts.kinds import AccountKind
from agora.accounts.schemas import (
    COUNT_DESCRIPTION,
    HANDLE_DESCRIPTION,
    HIDDEN_DESCRIPTION,
    KIND_DESCRIPTION,
    NAME_DESCRIPTION,
    shown_author,
    shown_count,
)
from agora.core.api.errors import error_responses
from agora.core.api.schemas import Id, Input, Said, Text
from agora.social import feeds, services
from agora.social.models import Comment, Post, ReplyPolicy, Visibility
from agora.social.models.comments import COMMENT_MAX_LENGTH
from agora.social.models.posts import POST_MAX_LENGTH

VisibilityChoice = Literal[tuple(Visibility.values)]
ReplyPolicyChoice = Literal[tuple(ReplyPolicy.values)]
FilterChoice = Literal[feeds.FeedFilter.ALL]
KindChoice = Literal[tuple(AccountKind.values)]
# The error statuses beyond those every operation answers (see error_responses): 404 when what
# the path names is missing or hidden from you, 422 for a value that fails its checks, and for
# a body, 400 when it is not JSON. Operations without a path parameter or a body leave those out.
NAMED = error_responses(404, 422)
NAMED_WITH_BODY = error_responses(400, 404, 422)


class Person(Schema):
    handle: str | None = Field(description=HANDLE_DESCRIPTION)
    display_name: str = Field(description=NAME_DESCRIPTION)
    role: str | None = Field(description="Null when their profile is hidden from you.")
    hidden: bool = Field(False, description=HIDDEN_DESCRIPTION)
    kind: KindChoice | None = Field(None, description=KIND_DESCRIPTION)
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


def _images_of(post: Post):
    """The images just written with a new post, or those stored."""
    written = getattr(post, "written_images", None)
    return written if written is not None else post.images.all()


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
    like_count: int | None = Field(description=COUNT_DESCRIPTION)
    comment_count: int
    share_count: int | None = Field(description=COUNT_DESCRIPTION)
    liked: bool = Field(False, description="Whether you like it.")
    images: list[Image]
    shared_post_id: int | None = Field(
        None, description="For a share: the post shared, when you may see it."
    )
    service_information: bool = Field(
        False, description="Practical information about a public service."
    )
    election_period: str | None = Field(
        None,
        description=(
            "The label of the pre-election period it was written in, for an institutional or "
            "political voice; null otherwise."
        ),
    )

    @staticmethod
    def resolve_election_period(post: Post) -> str | None:
        return post.election_period.label if post.election_period_id else None

    @staticmethod
    def resolve_url(post: Post) -> str:
        return settings.SITE_URL + services.post_url(post)

    @staticmethod
    def resolve_author(post: Post, context) -> dict:
        return shown_author(post.author, context, office=post.office)

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
    def resolve_like_count(post: Post, context) -> int | None:
        return shown_count(post.like_count, context, post.author)

    @staticmethod
    def resolve_share_count(post: Post, context) -> int | None:
        return shown_count(post.share_count, context, post.author)

    @staticmethod
    def resolve_images(post: Post) -> list[dict]:
        return [
            {
                "url": f"{settings.SITE_URL}/posts/{post.pk}/images/{image.pk}",
                "alt_text": image.alt_text,
                "width": image.width,
                "height": image.height,
            }
            for image in _images_of(post)
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


SERVICE_INFORMATION_DESCRIPTION = (
    "Practical information about a public service. During a pre-election period an "
    "announcement or an institutional account's post must be this, else 422."
)


class NewPost(Input):
    body: Said = Field(max_length=POST_MAX_LENGTH, description="Markdown subset, @handle, #tag.")
    visibility: VisibilityChoice = Visibility.PUBLIC
    reply_policy: ReplyPolicyChoice = ReplyPolicy.EVERYONE
    office: str | None = Field(None, max_length=80, description=OFFICE_DESCRIPTION)
    service_information: bool = Field(False, description=SERVICE_INFORMATION_DESCRIPTION)


class NewPostForm(Schema):
    """The text fields of a post sent as multipart/form-data, beside its images."""

    body: Text = Field(
        "", max_length=POST_MAX_LENGTH, description="Markdown subset, @handle, #tag."
    )
    visibility: VisibilityChoice = Visibility.PUBLIC
    reply_policy: ReplyPolicyChoice = ReplyPolicy.EVERYONE
    office: str = Field("", max_length=80, description=OFFICE_DESCRIPTION)
    service_information: bool = Field(False, description=SERVICE_INFORMATION_DESCRIPTION)
    alt_text: list[Annotated[Said, Field(max_length=1000)]] = Field(
        default_factory=list,
        description=(
            "One description per image, in the order of the images; each is required (at "
            "most 1,000 characters)."
        ),
    )


class PostChanges(Input):
    body: Said = Field(max_length=POST_MAX_LENGTH)
    service_information: bool | None = Field(
        None,
        description=(
            "Mark or unmark it; left out, the mark stays. During a pre-election period an "
            "institutional account's edited post must be service information, else 422."
        ),
    )


class NewShare(Input):
    body: Text = Field("", max_length=POST_MAX_LENGTH, description="An optional comment.")


# Why a comment in a thread keeps its place without its words (`queries._keep_out_of_sight`),
# and the sentence the page shows instead.
WITHHELD = {
    "withheld": ("moderation", _("This comment is hidden by moderation.")),
    "limited": (
        "limited",
        _("This comment is shown only to its author's followers: moderators limited the account."),
    ),
}
WithheldChoice = Literal["moderation", "limited"]


class CommentOut(Schema):
    id: int
    author: Person
    parent_id: int | None
    depth: int
    body: str = Field(description="Empty when `withheld` says why you may not read it.")
    body_html: str
    created_at: datetime
    like_count: int | None = Field(description=COUNT_DESCRIPTION)
    liked: bool = False
    withheld: WithheldChoice | None = Field(
        None,
        description=(
            "Why `body` is empty: `moderation` when moderators hid the comment (its author "
            "received a statement of reasons), `limited` when moderators limited its author's "
            "account and you do not follow them. Null when you may read it."
        ),
    )
    withheld_message: str | None = Field(
        None, description="The sentence the page shows in the comment's place, in your language."
    )
    rules_url: str | None = Field(
        None, description="The house rules, when the comment is withheld."
    )

    @staticmethod
    def resolve_author(comment: Comment, context) -> dict:
        return shown_author(comment.author, context)

    @staticmethod
    def resolve_withheld(comment: Comment) -> str | None:
        reason = WITHHELD.get(getattr(comment, "out_of_sight", ""))
        return reason[0] if reason else None

    @staticmethod
    def resolve_withheld_message(comment: Comment) -> str | None:
        reason = WITHHELD.get(getattr(comment, "out_of_sight", ""))
        return str(reason[1]) if reason else None

    @staticmethod
    def resolve_rules_url(comment: Comment) -> str | None:
        if not getattr(comment, "out_of_sight", ""):
            return None
        return settings.SITE_URL + reverse("moderation:rules")

    @staticmethod
    def resolve_liked(comment: Comment) -> bool:
        return bool(getattr(comment, "liked", False))

    @staticmethod
    def resolve_like_count(comment: Comment, context) -> int | None:
        return shown_count(comment.like_count, context, comment.author)


class NewComment(Input):
    body: Said = Field(max_length=COMMENT_MAX_LENGTH)
    parent_id: Id | None = Field(None, description="The comment this replies to.")


class Liked(Schema):
    liked: bool
    like_count: int | None = Field(description=COUNT_DESCRIPTION)


class Tag(Schema):
    name: str


class SearchParams(Schema):
    q: Text = Field(min_length=1, max_length=100)


class SearchResults(Schema):
    people: list[Person]
    posts: list[PostOut]
    tags: list[Tag]


class FollowedThing(Schema):
    slug: str
    name: str
    url: str


class Followed(Schema):
    offices: list[FollowedThing]
    topics: list[FollowedThing]
    areas: list[FollowedThing]


class FollowState(Schema):
    following: bool
    follower_count: int | None = Field(description=COUNT_DESCRIPTION)
