"""Statements in conversations as reportable content (`moderation.registry`). A conversation's
own moderators accept and remove statements as they come; a report brings an accepted one
before the site's moderators, whose hiding removes it from the conversation (and a
restoration accepts it again, if it was moderation that removed it). A statement by a visitor
without an account has nobody to tell or restrict: only statements by accounts are reported."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agora.conversations.models import Statement, StatementStatus
from agora.moderation.models import Action, ModeratedItem, ModerationState
from agora.moderation.registry import ReportableKind, register


def _reportable_by(person, statement: Statement) -> bool:
    return (
        statement.status == StatementStatus.ACCEPTED
        and statement.author is not None
        and statement.author.user_id is not None
    )


def _set_shown(statement: Statement, state: str) -> None:
    if state != ModerationState.VISIBLE:
        status = StatementStatus.REMOVED
    else:
        # Bring back only what moderation removed, not what the conversation's moderators did.
        outcome = (
            ModeratedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(Statement), object_id=statement.pk
            )
            .values_list("outcome", flat=True)
            .first()
        )
        if outcome not in (Action.HIDE, Action.REMOVE, Action.AUTO_HIDE):
            return
        status = StatementStatus.ACCEPTED
    Statement.objects.filter(pk=statement.pk).update(status=status)


def connect() -> None:
    register(
        ReportableKind(
            name="statement",
            model=Statement,
            label=_("statement"),
            author=lambda statement: statement.author.user,
            excerpt=lambda statement: statement.text,
            url=lambda statement: reverse("conversations:detail", args=[statement.conversation_id]),
            visible_to=_reportable_by,
            set_shown=_set_shown,
        )
    )
