"""What conversations hold about a person (see `agora.accounts.holdings`): the conversations
they started or took part in, their statements and votes. When they leave, their votes stay
in the opinion maps, anonymous as an anonymous visitor's are."""

from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare

MAP = _("Votes stay in the opinion map, with no link to anyone.")

declare(
    Holding(
        model="conversations.Conversation",
        person="owner",
        kind="conversations_started",
        about=_("The conversations you started."),
        columns=("id", "question", "description", "is_open", "created_at"),
        leave=Leave.KEEP,
        reason=_("A conversation belongs to those who took part; it stays, by a former member."),
    ),
    Holding(
        model="conversations.Participant",
        person="user",
        kind="conversations_joined",
        about=_("The conversations you took part in."),
        columns=("conversation", "conversation__question", "joined_at"),
        leave=Leave.ANONYMISE,
        reason=MAP,
    ),
    Holding(
        model="conversations.Statement",
        person="author__user",
        kind="conversation_statements",
        about=_("The statements you wrote in conversations."),
        columns=("conversation", "text", "status", "created_at"),
        leave=Leave.PUBLIC,
    ),
    Holding(
        model="conversations.Vote",
        person="participant__user",
        kind="conversation_votes",
        about=_("Your votes on statements: 1 agree, -1 disagree, 0 pass."),
        columns=("conversation", "statement", "statement__text", "value", "voted_at"),
        leave=Leave.KEEP,
        reason=MAP,
    ),
)
