"""Every change to results goes through these verbs: create a result (from the things it came
from, with its linked cases) and write an update (its text, and a new status or progress).
Each runs in a transaction, writes the audit log, and tells the result's followers and the
people of its origins (their authors, supporters) of an update after commit."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.cases.models import Case
from agora.cases.models.case import normal_reference
from agora.core import audit
from agora.core.text import render_markdown
from agora.moderation.restrictions import check_may_take_part
from agora.notifications.services import notify_many
from agora.results import notifying, origins
from agora.results.models import Result, ResultFollow, ResultOrigin, ResultStatus, ResultUpdate
from agora.results.models.result import (
    DESCRIPTION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    UPDATE_MAX_LENGTH,
)
from agora.results.permissions import can_create_result, can_update_result

MAX_CASES = 20


def _text(value: str, *, field: str, limit: int, empty: str | None) -> str:
    value = (value or "").strip()
    if not value and empty is not None:
        raise ValidationError({field: empty})
    if len(value) > limit:
        raise ValidationError(
            {
                field: _("Use at most %(limit)d characters; this has %(count)d.")
                % {"limit": limit, "count": len(value)}
            }
        )
    if "\x00" in value:
        raise ValidationError({field: _("Text cannot contain NUL characters.")})
    return value


def _status(status: str) -> str:
    if status not in ResultStatus.values:
        raise ValidationError({"status": _("Choose one of the statuses.")})
    return status


def _progress(progress) -> int:
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Give the progress as a whole number from 0 to 100.")})
    return progress


def _reason(status: str, reason: str) -> str:
    reason = _text(reason, field="reason", limit=REASON_MAX_LENGTH, empty=None)
    if status == ResultStatus.DROPPED and not reason:
        raise ValidationError({"reason": _("Say why the result is dropped.")})
    return reason if status == ResultStatus.DROPPED else ""


def find_cases(references) -> list[Case]:
    """The cases named by their references ("K7MQ-4XHD", in any case or spacing); an unknown
    one is refused, naming it."""
    wanted, unknown = [], []
    for typed in references:
        typed = (typed or "").strip()
        if not typed:
            continue
        normal = normal_reference(typed)
        (wanted if normal else unknown).append(normal or typed)
    if len(wanted) > MAX_CASES:
        raise ValidationError({"cases": _("Link at most %(limit)d cases.") % {"limit": MAX_CASES}})
    found = {case.reference: case for case in Case.objects.filter(reference__in=wanted)}
    unknown += [reference for reference in wanted if reference not in found]
    if unknown:
        raise ValidationError(
            {
                "cases": _("No case has the reference %(references)s.")
                % {"references": ", ".join(unknown[:5])}
            }
        )
    return list(found.values())


def _new_slug(title: str) -> str:
    return f"{slugify(title)[:60].strip('-') or 'result'}-{secrets.token_hex(3)}"


@transaction.atomic
def create_result(
    process,
    *,
    by: User,
    title: str,
    description: str,
    office=None,
    status: str = ResultStatus.PLANNED,
    progress: int = 0,
    reason: str = "",
    cases=(),
    origins_of=(),
) -> Result:
    """A result in the process, for its office or another one named, from the things it came
    from (`origins_of`: proposals, petitions...; each of the same process, each becoming one
    result only)."""
    if by.is_authenticated:
        check_may_take_part(by)
    decision = can_create_result(by, process)
    if not decision:
        raise PermissionDenied(decision.message)
    title = _text(title, field="title", limit=TITLE_MAX_LENGTH, empty=_("Give the result a title."))
    description = _text(
        description,
        field="description",
        limit=DESCRIPTION_MAX_LENGTH,
        empty=_("Say what will be delivered."),
    )
    status = _status(status)
    progress = 100 if status == ResultStatus.DONE else _progress(progress)
    reason = _reason(status, reason)
    things = []
    for thing in origins_of:
        kind = origins.kind_of(thing)
        refusal = kind.refusal(thing)
        if refusal:
            raise ValidationError({"origins": refusal})
        home = kind.process_of(thing)
        if home is None or home.pk != process.pk:
            raise ValidationError({"origins": _("A result comes from things of its own process.")})
        things.append((kind, thing))
    now = timezone.now()
    result = Result.objects.create(
        process=process,
        office=office or process.office,
        slug=_new_slug(title),
        title=title,
        description=description,
        description_html=render_markdown(description),
        status=status,
        progress=progress,
        dropped_reason=reason,
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    if cases:
        result.cases.set(cases)
    for kind, thing in things:
        try:
            with transaction.atomic():
                ResultOrigin.objects.create(result=result, kind=kind.key, object_id=thing.pk)
        except IntegrityError as error:
            raise ValidationError(
                {
                    "origins": _("“%(title)s” has its result already.")
                    % {"title": kind.title_of(thing)}
                }
            ) from error
    audit.record(
        "result.created",
        result,
        actor=by,
        title=title,
        origins=[f"{kind.key}:{thing.pk}" for kind, thing in things],
    )
    return result


@transaction.atomic
def add_update(
    result: Result,
    *,
    by: User,
    body: str,
    status: str = "",
    progress: int | None = None,
    reason: str = "",
) -> ResultUpdate:
    """A dated update by the result's office: what happened, and optionally a new status
    (dropping needs a reason) or progress (done means 100). The followers and the people of
    its origins are told."""
    if by.is_authenticated:
        check_may_take_part(by)
    decision = can_update_result(by, result)
    if not decision:
        raise PermissionDenied(decision.message)
    body = _text(body, field="body", limit=UPDATE_MAX_LENGTH, empty=_("Say what happened."))
    if status:
        status = _status(status)
    if progress is not None:
        progress = _progress(progress)
    reason = _reason(status, reason) if status else ""
    # One update at a time per result, so status and progress are those of the latest.
    current = Result.objects.select_for_update().get(pk=result.pk)
    if (status or current.status) == ResultStatus.DONE:
        progress = 100  # a result that is done is delivered whole
    now = timezone.now()
    update = ResultUpdate.objects.create(
        result=current,
        author=by,
        office=current.office,
        body=body,
        body_html=render_markdown(body),
        status=status,
        progress=progress,
        reason=reason,
        created_at=now,
    )
    changed = {"updated_at": now}
    if status:
        changed["status"] = status
        changed["dropped_reason"] = reason
    if progress is not None:
        changed["progress"] = progress
    Result.objects.filter(pk=result.pk).update(**changed)
    for field, value in changed.items():
        setattr(result, field, value)
    audit.record(
        "result.updated", result, actor=by, status=status, progress=progress, update=update.pk
    )
    told = Q(pk__in=ResultFollow.objects.filter(result=result).values("follower"))
    for kind, thing in origins.things_of(ResultOrigin.objects.filter(result=result)):
        if kind.people is not None:
            told |= Q(pk__in=kind.people(thing).values("pk"))
    notify_many(
        User.objects.filter(told),
        kind=notifying.UPDATED,
        actor=by,
        name_actor=False,
        office=result.office,
        subject=result.title,
        target=result,
        url=result.get_absolute_url(),
        excerpt=body,
    )
    return update
