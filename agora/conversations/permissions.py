"""Small named predicates about who may do what in a conversation."""

from agora.accounts.models import Role
from agora.accounts.permissions import is_moderator
from agora.conversations.models import Conversation

OPENERS = {Role.OFFICIAL, Role.MODERATOR, Role.ADMINISTRATOR}


def can_open_conversation(user) -> bool:
    """Offices (their officials) and moderators open conversations."""
    return user.is_authenticated and (user.is_superuser or user.role in OPENERS)


def can_moderate(user, conversation: Conversation) -> bool:
    """The conversation's owner, and the site's moderators and administrators."""
    return (user.is_authenticated and user.pk == conversation.owner_id) or is_moderator(user)


def can_take_part(user, conversation: Conversation) -> bool:
    """Vote and submit statements: signed-in people, or anyone if the owner allows it."""
    return conversation.is_open and (user.is_authenticated or conversation.allow_anonymous)
