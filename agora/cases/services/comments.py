"""Comments on a public case: social's generic comments, with the office an official speaks
for, telling the case's followers and the author of the comment replied to."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agora.cases.models import Case, CaseFollow, OfficeComment
from agora.cases.notifying import CASE_COMMENT
from agora.cases.permissions import can_act_on_case, can_comment_on_case
from agora.cases.services.followers import add_follower
from agora.cases.services.timeline import followers_to_tell
from agora.notifications.services import notify, notify_many
from agora.social import services as social_services
from agora.social.models import Comment
from agora.social.notifying import REPLY
from agora.social.permissions import is_blocked_between


@transaction.atomic
def comment_on_case(case: Case, *, by, body: str, parent: Comment | None = None) -> Comment:
    """Comment on a public case, or reply to a comment on it. An official of the accountable
    office speaks for the office, and the comment says so. The commenter follows the case;
    its followers are told, and so is the author of the comment replied to."""
    if not can_comment_on_case(by, case):
        raise PermissionDenied(_("You cannot comment on this case."))
    if parent is not None and is_blocked_between(by, parent.author):
        raise ValidationError({"body": _("You cannot reply to this comment.")})
    comment = social_services.add_comment(case, by=by, body=body, parent=parent)
    office = case.office if can_act_on_case(by, case) else None
    if office is not None:
        OfficeComment.objects.create(comment=comment, case=case, office=office)
    comment.office = office  # as `queries.case_comments` marks the comments it reads
    add_follower(case, by)
    url = f"{case.get_absolute_url()}#comment-{comment.pk}"
    notify_many(
        followers_to_tell(case),
        kind=CASE_COMMENT,
        actor=by,
        office=office,
        subject=case.title,
        target=comment,
        url=url,
        excerpt=comment.body,
        skip_muted=True,
    )
    if (
        parent is not None
        and parent.author_id != by.pk
        and not CaseFollow.objects.filter(case=case, user=parent.author_id).exists()
    ):
        notify(parent.author, kind=REPLY, actor=by, target=comment, url=url, excerpt=body)
    return comment


@transaction.atomic
def delete_case_comment(comment: Comment, *, by) -> None:
    """The author deletes their comment with its replies; the notifications about them go."""
    social_services.delete_comment(comment, by=by)
