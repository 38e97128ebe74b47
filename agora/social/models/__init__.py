"""The social app's models, one concern per module."""

from agora.social.models.announcements import Attachment, AttachmentKind, Correction
from agora.social.models.comments import Alignment, Comment, CommentLike
from agora.social.models.graph import (
    Block,
    Connection,
    ConnectionRequest,
    Follow,
    Mute,
    MutedWord,
)
from agora.social.models.posts import (
    Post,
    PostImage,
    PostLike,
    PostRevision,
    ReplyPolicy,
    Tag,
    Visibility,
)
from agora.social.models.sources import AreaFollow, OfficeFollow, TopicFollow

__all__ = [
    "Alignment",
    "AreaFollow",
    "Attachment",
    "AttachmentKind",
    "Block",
    "Comment",
    "CommentLike",
    "Connection",
    "Correction",
    "ConnectionRequest",
    "Follow",
    "Mute",
    "MutedWord",
    "OfficeFollow",
    "Post",
    "PostImage",
    "PostLike",
    "PostRevision",
    "ReplyPolicy",
    "Tag",
    "TopicFollow",
    "Visibility",
]
