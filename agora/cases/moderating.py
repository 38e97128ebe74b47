"""Public cases and the comments on them as reportable content (`moderation.registry`). Both
belong to the case's accountable office, for moderators scoped to it. An office's answer in
the thread (a comment written for the office, `OfficeComment`) speaks for the authority: never
hidden without a person's decision.

A case itself cannot be hidden by moderation yet (it has no moderation state, and its lists,
map and Open311 feed would each have to heed one): decisions about a case are about its
author's account (warn, limit, suspend). Only a public case with a known author can be
reported; a private one is for its author and the office."""

from django.utils.translation import gettext_lazy as _

from agora.cases.models import Case, OfficeComment
from agora.cases.permissions import can_view_case
from agora.moderation.registry import ReportableKind, register
from agora.social.moderating import CommentTarget, register_comment_target


def _case_reportable_by(person, case: Case) -> bool:
    return case.is_public and case.submitted_by_id is not None and can_view_case(person, case)


def connect() -> None:
    register(
        ReportableKind(
            name="case",
            model=Case,
            label=_("case"),
            author=lambda case: case.submitted_by,
            excerpt=lambda case: f"{case.title}\n{case.description}",
            url=lambda case: case.get_absolute_url(),
            visible_to=_case_reportable_by,
            scope=lambda case: case.office,
        )
    )
    register_comment_target(
        CommentTarget(
            model=Case,
            visible_to=lambda person, case: case.is_public,
            url=lambda case: case.get_absolute_url(),
            scope=lambda case: case.office,
            is_official=lambda comment: OfficeComment.objects.filter(comment=comment).exists(),
        )
    )
