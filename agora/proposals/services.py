"""Every change to proposals goes through these verbs: propose, edit (keeping the earlier
version), withdraw, support and withdraw a support (the count kept exact by a unique row and
conditional updates), comment, and answer. Reaching the support threshold starts the answer
clock of the process's office, counted in working days as cases count theirs (cases' service
levels and public holidays). Each verb runs in a transaction and writes the audit log."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.cases.models.service_level import ServiceLevel, add_working_days, holidays_ahead
from agora.core import audit
from agora.core.images import reencode_image
from agora.core.lifecycle import StaleTransition, TransitionError
from agora.core.text import render_markdown
from agora.moderation.restrictions import check_may_take_part
from agora.notifications.services import notify_many
from agora.processes import features
from agora.processes.models import ProcessFollow
from agora.proposals import notifying
from agora.proposals.models import (
    LIFECYCLE,
    AnswerKind,
    Proposal,
    ProposalState,
    ProposalVersion,
    Support,
)
from agora.proposals.models.proposal import (
    ANSWER_MAX_LENGTH,
    BODY_MAX_LENGTH,
    IMAGE_ALT_MAX_LENGTH,
    IMAGE_MAX_BYTES,
    IMAGE_MAX_SIDE,
    OPEN_STATES,
    TITLE_MAX_LENGTH,
)
from agora.proposals.models.settings import rules_of
from agora.proposals.permissions import can_merge
from agora.social.services import add_comment


def check_allowed(person, action: str, process) -> None:
    """Raise PermissionDenied with the reason in the reader's words, unless the process's
    current phase allows the person this action (`processes.features.can_act`); `Suspended`
    while moderators have suspended the person's account."""
    if person.is_authenticated:
        check_may_take_part(person)
    decision = features.can_act(person, action, process)
    if not decision:
        raise PermissionDenied(decision.message)


def _text(value: str, *, field: str, limit: int, empty: str) -> str:
    value = (value or "").strip()
    if not value:
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


def _words(*, title: str, body: str) -> tuple[str, str]:
    return (
        _text(title, field="title", limit=TITLE_MAX_LENGTH, empty=_("Give your proposal a title.")),
        _text(body, field="body", limit=BODY_MAX_LENGTH, empty=_("Say what you propose.")),
    )


def _check_place(process, topic, area) -> None:
    topics = {each.pk for each in process.topics.all()}
    if topic is not None and topics and topic.pk not in topics:
        raise ValidationError({"topic": _("Choose one of the process’s topics.")})
    areas = {each.pk for each in process.areas.all()}
    if area is not None and areas and area.pk not in areas:
        raise ValidationError({"area": _("Choose one of the process’s areas.")})


@transaction.atomic
def propose(
    process,
    *,
    by: User,
    title: str,
    body: str,
    topic=None,
    area=None,
    image=None,
    image_alt: str = "",
) -> Proposal:
    check_allowed(by, features.PROPOSE, process)
    title, body = _words(title=title, body=body)
    _check_place(process, topic, area)
    image_alt = (image_alt or "").strip()
    if len(image_alt) > IMAGE_ALT_MAX_LENGTH:
        raise ValidationError({"image_alt": _("Describe the image in fewer words.")})
    clean = None
    if image:
        if not image_alt:
            raise ValidationError(
                {"image_alt": _("Describe the image for people who cannot see it.")}
            )
        try:
            clean = reencode_image(image, max_bytes=IMAGE_MAX_BYTES, max_side=IMAGE_MAX_SIDE)
        except ValidationError as error:
            raise ValidationError({"image": error.messages}) from error
    proposal = Proposal(
        process=process,
        author=by,
        title=title,
        body=body,
        body_html=render_markdown(body),
        topic=topic,
        area=area,
        image_alt=image_alt if clean else "",
    )
    if clean is not None:
        proposal.image.save(clean.file.name, clean.file, save=False)
    proposal.save()
    audit.record("proposal.proposed", proposal, actor=by, title=title)
    return proposal


@transaction.atomic
def edit_proposal(
    proposal: Proposal, *, by: User, title: str, body: str, topic=None, area=None
) -> Proposal:
    """The author edits during the proposal phase; the version before stays readable."""
    check_allowed(by, features.EDIT, proposal.process)
    if proposal.author_id != by.pk:
        raise PermissionDenied(_("Only the author can edit a proposal."))
    title, body = _words(title=title, body=body)
    _check_place(proposal.process, topic, area)
    if not LIFECYCLE.allows("edit", proposal.state):
        raise ValidationError(_("This proposal can no longer be edited."))
    ProposalVersion.objects.create(
        proposal=proposal,
        number=proposal.version,
        title=proposal.title,
        body=proposal.body,
        body_html=proposal.body_html,
        written_at=proposal.edited_at or proposal.created_at,
    )
    try:
        LIFECYCLE.move(
            proposal,
            "edit",
            conditions={"version": proposal.version},
            title=title,
            body=body,
            body_html=render_markdown(body),
            topic=topic,
            area=area,
            version=proposal.version + 1,
            edited_at=timezone.now(),
        )
    except StaleTransition as error:
        raise ValidationError(
            _("Someone changed this proposal while you were editing it. Try again.")
        ) from error
    audit.record("proposal.edited", proposal, actor=by, version=proposal.version)
    return proposal


@transaction.atomic
def withdraw_proposal(proposal: Proposal, *, by: User) -> Proposal:
    if proposal.author_id != by.pk:
        raise PermissionDenied(_("Only the author can withdraw a proposal."))
    try:
        LIFECYCLE.move(proposal, "withdraw")
    except TransitionError as error:
        raise ValidationError(_("This proposal can no longer be withdrawn.")) from error
    audit.record("proposal.withdrawn", proposal, actor=by)
    return proposal


def answer_due(process, start):
    """When the office must answer a proposal whose clock starts at `start`: the process's
    answer period, or the office's own service level for answering cases, in working days
    of the office's authority (cases' clock: weekends and public holidays skipped)."""
    days = rules_of(process).answer_days
    if days is None:
        days = ServiceLevel.promise_of(process.office, start).answer_days
    return add_working_days(start, days, holidays_ahead(process.office, start))


def _reach_threshold(proposal: Proposal, *, threshold: int) -> bool:
    """Start the answer clock, once, when the count reaches the threshold."""
    if proposal.state != ProposalState.PUBLISHED or proposal.support_count < threshold:
        return False
    now = timezone.now()
    try:
        LIFECYCLE.move(
            proposal,
            "reach_threshold",
            conditions={"support_count__gte": threshold},
            threshold_reached_at=now,
            answer_due_at=answer_due(proposal.process, now),
        )
    except StaleTransition:
        return False
    office = proposal.process.office
    audit.record("proposal.threshold_reached", proposal, supports=proposal.support_count)
    notify_many(
        User.objects.filter(office_memberships__office=office),
        kind=notifying.THRESHOLD_REACHED,
        office=office,
        subject=proposal.title,
        target=proposal,
        url=proposal.get_absolute_url(),
    )
    return True


def _may_support(proposal: Proposal, by: User) -> None:
    check_allowed(by, features.SUPPORT, proposal.process)
    if proposal.state not in OPEN_STATES:
        raise ValidationError(_("This proposal no longer takes supports."))


@transaction.atomic
def support_proposal(proposal: Proposal, *, by: User) -> bool:
    """Support once; a second support (even a parallel one) changes nothing. Returns whether
    this call added the support."""
    _may_support(proposal, by)
    rules = rules_of(proposal.process)
    if rules.support_limit is not None:
        # One person's supports are counted one at a time (their row locked on PostgreSQL;
        # SQLite writes one at a time anyway), so parallel supports cannot pass the limit.
        list(User.objects.select_for_update().filter(pk=by.pk).values_list("pk", flat=True))
        given = Support.objects.filter(person=by, process_id=proposal.process_id)
        if not given.filter(proposal=proposal).exists() and given.count() >= rules.support_limit:
            raise ValidationError(
                _(
                    "You can support at most %(limit)d proposals in this process. Withdraw a "
                    "support to give it to this one."
                )
                % {"limit": rules.support_limit}
            )
    try:
        with transaction.atomic():
            Support.objects.create(proposal=proposal, person=by, process_id=proposal.process_id)
    except IntegrityError:
        return False
    # Counted only while the proposal is open in the database, whatever the copy in hand
    # says: a support that loses to a merge or a withdrawal is undone with the transaction.
    counted = Proposal.objects.filter(pk=proposal.pk, state__in=OPEN_STATES).update(
        support_count=F("support_count") + 1
    )
    if not counted:
        raise ValidationError(_("This proposal no longer takes supports."))
    proposal.refresh_from_db(fields=["support_count", "state"])
    _reach_threshold(proposal, threshold=rules.support_threshold)
    return True


@transaction.atomic
def withdraw_support(proposal: Proposal, *, by: User) -> bool:
    """Withdraw one's support while the support phase runs; returns whether there was one. A
    proposal that reached its threshold keeps its clock: the office still answers it."""
    _may_support(proposal, by)
    deleted, _detail = Support.objects.filter(proposal=proposal, person=by).delete()
    if deleted:
        Proposal.objects.filter(pk=proposal.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )
        proposal.refresh_from_db(fields=["support_count"])
    return bool(deleted)


@transaction.atomic
def comment_on_proposal(
    proposal: Proposal, *, by: User, body: str, parent=None, alignment: str = ""
):
    """A comment through the social app's generic comments, while the phase allows it, with
    the commenter's alignment (in favour, against, neutral) if they give one."""
    check_allowed(by, features.COMMENT, proposal.process)
    comment = add_comment(proposal, by=by, body=body, parent=parent, alignment=alignment)
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
    return comment


@transaction.atomic
def answer_proposal(proposal: Proposal, *, by: User, answer: str, reasons: str = "") -> Proposal:
    """The official answer, by an official of the process's responsible office only. A
    rejection gives its reasons. The author, the supporters and the process's followers are
    told."""
    check_allowed(by, features.ANSWER, proposal.process)
    if answer not in AnswerKind.values:
        raise ValidationError({"answer": _("Choose the answer.")})
    reasons = (reasons or "").strip()
    if answer == AnswerKind.REJECTED and not reasons:
        raise ValidationError({"reasons": _("Give the reasons for rejecting the proposal.")})
    if len(reasons) > ANSWER_MAX_LENGTH:
        raise ValidationError(
            {
                "reasons": _("Use at most %(limit)d characters; this has %(count)d.")
                % {"limit": ANSWER_MAX_LENGTH, "count": len(reasons)}
            }
        )
    if proposal.state == ProposalState.ANSWERED and proposal.answer != AnswerKind.EVALUATING:
        raise ValidationError(_("This proposal has its answer already."))
    try:
        LIFECYCLE.move(
            proposal,
            "answer",
            conditions={"answer": proposal.answer},
            answer=answer,
            answer_body=reasons,
            answer_html=render_markdown(reasons) if reasons else "",
            answered_at=timezone.now(),
            answered_by=by,
            answer_office=proposal.process.office,
        )
    except StaleTransition as error:
        raise ValidationError(_("Someone answered this proposal first.")) from error
    except TransitionError as error:
        raise ValidationError(_("This proposal cannot be answered now.")) from error
    audit.record("proposal.answered", proposal, actor=by, answer=answer)
    told = User.objects.filter(
        Q(pk=proposal.author_id)
        | Q(pk__in=Support.objects.filter(proposal=proposal).values("person"))
        | Q(pk__in=ProcessFollow.objects.filter(process=proposal.process).values("follower"))
    )
    notify_many(
        told,
        kind=notifying.ANSWERED,
        office=proposal.process.office,
        subject=proposal.title,
        target=proposal,
        url=proposal.get_absolute_url(),
        excerpt=reasons,
    )
    return proposal


@transaction.atomic
def merge_proposal(proposal: Proposal, *, into: Proposal, by: User) -> Proposal:
    """Merge a duplicate into the proposal it repeats: it points to that one, its supports
    are carried over once per person (someone who supported both counts once), the count is
    recomputed in this transaction, and both authors are told."""
    if not can_merge(by, proposal.process):
        raise PermissionDenied(_("Only moderators and the process's office merge proposals."))
    if into.pk == proposal.pk or into.process_id != proposal.process_id:
        raise ValidationError({"into": _("Choose another proposal of the same process.")})
    if not into.is_open:
        raise ValidationError({"into": _("That proposal is no longer open.")})
    try:
        LIFECYCLE.move(proposal, "merge", merged_into=into)
    except TransitionError as error:
        raise ValidationError(_("This proposal can no longer be merged.")) from error
    carried = Support.objects.filter(proposal=proposal).exclude(
        person__in=Support.objects.filter(proposal=into).values("person")
    )
    Support.objects.bulk_create(
        [
            Support(proposal=into, person_id=person_id, process_id=into.process_id)
            for person_id in carried.values_list("person", flat=True)
        ],
        ignore_conflicts=True,
    )
    Support.objects.filter(proposal=proposal).delete()
    Proposal.objects.filter(pk=proposal.pk).update(support_count=0)
    Proposal.objects.filter(pk=into.pk).update(
        support_count=Support.objects.filter(proposal=into).count()
    )
    into.refresh_from_db(fields=["support_count", "state"])
    _reach_threshold(into, threshold=rules_of(into.process).support_threshold)
    audit.record("proposal.merged", proposal, actor=by, into=into.pk)
    notify_many(
        User.objects.filter(pk__in=[proposal.author_id, into.author_id]),
        kind=notifying.MERGED,
        actor=by,
        name_actor=False,
        subject=proposal.title,
        target=into,
        url=into.get_absolute_url(),
        excerpt=into.title,
    )
    return proposal


def overdue(proposals, now=None):
    """Those awaiting an answer past their due date."""
    return proposals.filter(
        state=ProposalState.AWAITING_ANSWER, answer_due_at__lt=now or timezone.now()
    )
