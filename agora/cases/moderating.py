"""Public cases and the comments on them as reportable content (`moderation.registry`). Both
belong to the case's accountable office, for moderators scoped to it. An office's answer in
the thread (a comment written for the office, `OfficeComment`) speaks for the authority: never
hidden without a person's decision.

A case is hidden by making it private (`set_shown`): every public read path (its page for
others, lists, the map, Open311, the home page) already leaves private cases out, and the case
stays with its author and the office, which go on with it. Restoring it (an appeal upheld, a
review that clears it) makes it public again, but only when moderation made it private. Only a
public case with a known author can be reported; a private one is for its author and the
office."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from agora.cases.models import Case, OfficeComment
from agora.cases.permissions import can_view_case
from agora.moderation.models import Action, ModeratedItem, ModerationState
from agora.moderation.registry import ReportableKind, register
from agora.social.moderating import CommentTarget, register_comment_target


def _case_reportable_by(person, case: Case) -> bool:
    return case.is_public and case.submitted_by_id is not None and can_view_case(person, case)


def _set_shown(case: Case, state: str) -> None:
    if state != ModerationState.VISIBLE:
        shown = False
    else:
        outcome = (
            ModeratedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(Case), object_id=case.pk
            )
            .values_list("outcome", flat=True)
            .first()
        )
        if outcome not in (Action.HIDE, Action.REMOVE, Action.AUTO_HIDE):
            return  # moderation did not make it private: nothing to bring back
        shown = True
    case.is_public = shown
    case.save(update_fields=["is_public"])  # a save, so the map's kept counts follow


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
            set_shown=_set_shown,
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
