"""The verbs of moderation: report an item, decide on it with a statement of reasons, appeal a
decision, and decide the appeal. Each runs in a transaction, writes the audit log and tells the
people concerned after commit."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.accounts.services import end_sessions
from agora.core import audit
from agora.core.templatetags.moments import day
from agora.moderation import figures, notifying, permissions, registry, tasks, trust
from agora.moderation.models import (
    RESTRICTING,
    AccountLimit,
    Action,
    Appeal,
    Decision,
    ItemState,
    Misuse,
    MisuseKind,
    ModeratedItem,
    ModerationState,
    Reason,
    Report,
    Suspension,
)
from agora.notifications.services import notify_many

#: A reporter's account is new, for spotting waves, when younger than this.
WAVE_ACCOUNT_AGE = timedelta(days=7)
WAVE_WINDOW = timedelta(days=1)

#: What each action does to the item where it is read.
SHOWN_AFTER = {
    Action.HIDE: ModerationState.HIDDEN,
    Action.REMOVE: ModerationState.REMOVED,
    Action.DISMISS: ModerationState.VISIBLE,
    Action.RESTORE: ModerationState.VISIBLE,
    Action.AUTO_HIDE: ModerationState.UNDER_REVIEW,
}


class ModerationError(Exception):
    """Something the person asked for that cannot be done; the message says why, to them."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _subject(item: ModeratedItem) -> str:
    return Truncator(item.excerpt).chars(80) or item.kind


def _set_shown(item: ModeratedItem, state: str) -> None:
    """Hide or show the item where its app reads it (saved, so the app's caches hear of it)."""
    kind = registry.kind(item.kind)
    if kind is None or not kind.can_be_hidden:
        return
    content = kind.model.objects.filter(pk=item.object_id).first()
    if content is not None and kind.set_shown is not None:
        kind.set_shown(content, state)
    elif content is not None and content.moderation_state != state:
        content.moderation_state = state
        content.save(update_fields=["moderation_state"])


def _scope_of(kind: registry.ReportableKind, content) -> dict:
    scope = kind.scope(content)
    if scope is None:
        return {}
    return {"scope_type": ContentType.objects.get_for_model(scope), "scope_id": scope.pk}


def item_of(content, kind: registry.ReportableKind, *, now) -> ModeratedItem:
    """The queue's row for a piece of content, made the first time it is reported or held,
    and locked for the rest of the transaction."""
    item, _created = ModeratedItem.objects.select_for_update().get_or_create(
        content_type=ContentType.objects.get_for_model(kind.model),
        object_id=content.pk,
        defaults={
            "kind": kind.name,
            "author": kind.author(content),
            "excerpt": Truncator(kind.excerpt(content)).chars(500),
            "url": kind.url(content),
            "is_official": kind.is_official(content),
            **_scope_of(kind, content),
            "first_reported_at": now,
            "last_reported_at": now,
        },
    )
    return item


@transaction.atomic
def report_content(
    content,
    *,
    by,
    reason: str,
    explanation: str,
    good_faith: bool,
    law: str = "",
    unnamed: bool = False,
    name: str = "",
    email: str = "",
) -> Report:
    """One person's notice about a post, a comment, a profile (anything registered). Weighed by
    the reporter's trust: past the threshold the item is hidden while it is reviewed, unless it
    speaks for the authority, which only a person may hide. A notice about child abuse may be
    `unnamed`: the reporter's name and email are left out of it (Article 16(2)(c)).

    A visitor without an account (`by` anonymous) gives their `name` and `email` instead, unless
    the notice is unnamed; theirs weighs nothing (it hides nothing before a person looks) and
    they hear back by email."""
    visitor = not by.is_authenticated
    kind = registry.kind_of(content)
    if kind is None:
        raise ModerationError(_("This cannot be reported."))
    if reason not in Reason.values:
        raise ModerationError(_("Choose why you report it."))
    if not explanation.strip():
        raise ModerationError(_("Say what is wrong with it, so a moderator can judge."))
    if reason == Reason.ILLEGAL and not law.strip():
        raise ModerationError(_("Say which law it breaks, as far as you know."))
    if not good_faith:
        raise ModerationError(_("Confirm that you report it in good faith."))
    if unnamed and reason != Reason.CHILD_ABUSE:
        raise ModerationError(
            _(
                "Only a notice about the sexual abuse or exploitation of a child may leave out "
                "your name and email."
            )
        )
    if visitor and not unnamed and not (name.strip() and email.strip()):
        raise ModerationError(
            _("Give your name and email, so that the moderators can tell you the outcome.")
        )
    if not visitor and kind.author(content).pk == by.pk:
        raise ModerationError(_("You cannot report what you wrote yourself."))
    if not kind.visible_to(by, content):
        raise ModerationError(_("This cannot be reported."))
    now = timezone.now()
    barred = (
        None
        if visitor
        else Misuse.objects.filter(
            person=by, kind=MisuseKind.UNFOUNDED_REPORTS, until__gt=now
        ).first()
    )
    if barred is not None:
        raise ModerationError(
            _(
                "Your reports are not taken until %(until)s: many of your recent reports were "
                "found to break no rule."
            )
            % {"until": day(barred.until)}
        )
    item = item_of(content, kind, now=now)
    level = 0 if visitor else trust.trust_level(by, now)
    if visitor:
        name, email = ("", "") if unnamed else (name.strip(), email.strip().lower())
    else:
        name, email = ("", "") if unnamed else (by.name, by.email)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                item=item,
                reporter=None if visitor else by,
                reason=reason,
                law=law.strip(),
                explanation=explanation.strip(),
                good_faith=True,
                reporter_name=name,
                reporter_email=email,
                language=translation.get_language() or "",
                weight=0 if visitor else trust.weight(level),
                trust_level=level,
                created_at=now,
            )
            figures.count_report(report)
    except IntegrityError:
        raise ModerationError(_("You have already reported this.")) from None
    reopened = item.state == ItemState.DECIDED
    ModeratedItem.objects.filter(pk=item.pk).update(
        score=_score(item),
        report_count=F("report_count") + 1,
        last_reported_at=now,
        state=ItemState.APPEALED if item.state == ItemState.APPEALED else ItemState.OPEN,
    )
    item.refresh_from_db()
    if not item.suspected_wave:
        recent_new_reporters = item.reports.filter(
            created_at__gte=now - WAVE_WINDOW,
            reporter__date_joined__gte=now - WAVE_ACCOUNT_AGE,
        ).count()
        if recent_new_reporters >= settings.AGORA_MODERATION_WAVE_SIZE:
            ModeratedItem.objects.filter(pk=item.pk).update(suspected_wave=True)
            item.suspected_wave = True
            audit.record("moderation.wave_suspected", item, count=recent_new_reporters)
    audit.record(
        "moderation.reported",
        item,
        actor=None if visitor else by,
        reason=reason,
        weight=report.weight,
    )
    if (
        not reopened
        and kind.can_be_hidden
        and not item.is_official
        and item.score >= settings.AGORA_MODERATION_HIDE_SCORE
        and not item.decisions.exists()
    ):
        _auto_hide(item)
    if visitor:
        if email:
            transaction.on_commit(lambda: tasks.email_visitor.enqueue(report_id=report.pk))
        return report
    transaction.on_commit(
        lambda: notify_many(
            User.objects.filter(pk=by.pk),
            kind=notifying.REPORT_RECEIVED,
            subject=_subject(item),
            target=item,
        )
    )
    return report


def _score(item: ModeratedItem) -> float:
    """The open reports' weights; new accounts' together count for at most a set cap, so that
    no number of them hides anything alone. One query."""
    weights = item.reports.filter(upheld__isnull=True).aggregate(
        new=Sum("weight", filter=Q(trust_level=0), default=0.0),
        others=Sum("weight", filter=Q(trust_level__gt=0), default=0.0),
    )
    return min(weights["new"], settings.AGORA_MODERATION_NEW_ACCOUNTS_CAP) + weights["others"]


def _auto_hide(item: ModeratedItem) -> Decision:
    decision = Decision.objects.create(
        item=item,
        action=Action.AUTO_HIDE,
        automated=True,
        facts=_(
            "Several people reported it; weighed by how long and how well they have taken part "
            "here, their reports passed the level at which Agora hides an item until a "
            "moderator decides. No person has judged it yet."
        ),
    )
    figures.counted(decision)
    _set_shown(item, ModerationState.UNDER_REVIEW)
    audit.record("moderation.auto_hide", item, score=item.score)
    _tell_author(item, decision)
    return decision


def _tell_author(item: ModeratedItem, decision: Decision) -> None:
    transaction.on_commit(
        lambda: notify_many(
            User.objects.filter(pk=item.author_id),
            kind=notifying.DECISION,
            event=decision.action,
            subject=_subject(item),
            target=decision,
            url=decision.get_absolute_url(),
        )
    )


def _tell_reporters(item: ModeratedItem, decision: Decision, reporters) -> None:
    transaction.on_commit(
        lambda: notify_many(
            reporters,
            kind=notifying.REPORT_OUTCOME,
            event=decision.action,
            subject=_subject(item),
            target=decision,
            url=decision.get_absolute_url(),
        )
    )


def _check_statement(action: str, rule, law: str, facts: str) -> None:
    if action not in Action.values or action in (Action.AUTO_HIDE, Action.UPHOLD):
        raise ModerationError(_("Choose what to do."))
    if action in RESTRICTING and (not facts.strip() or (rule is None and not law.strip())):
        raise ModerationError(
            _(
                "A decision that restricts someone needs its statement of reasons: the facts, "
                "and the house rule or the law it breaks."
            ),
            code="no_statement",
        )


def _apply(item: ModeratedItem, decision: Decision) -> None:
    if decision.action in SHOWN_AFTER:
        _set_shown(item, SHOWN_AFTER[decision.action])
    ModeratedItem.objects.filter(pk=item.pk).update(
        state=ItemState.DECIDED, outcome=decision.action, decided_at=decision.created_at
    )


@transaction.atomic
def decide(
    item: ModeratedItem,
    *,
    by,
    action: str,
    rule=None,
    law: str = "",
    facts: str = "",
    days: int | None = None,
):
    """A moderator's decision on a reported item, with its statement of reasons. Suspending the
    author's account (for `days`, or for good without) also ends their sessions and tokens."""
    item = ModeratedItem.objects.select_for_update().get(pk=item.pk)
    if not permissions.can_moderate_item(by, item):
        raise ModerationError(_("Only moderators of what it belongs to decide on it."))
    if item.author_id == by.pk:
        raise ModerationError(_("Another moderator must decide on what you wrote yourself."))
    if item.state != ItemState.OPEN:
        raise ModerationError(_("This was decided meanwhile; read the decision below."))
    kind = registry.kind(item.kind)
    if action in (Action.HIDE, Action.REMOVE, Action.RESTORE) and not (kind and kind.can_be_hidden):
        raise ModerationError(
            _("This cannot be hidden; warn, limit or suspend its author instead.")
        )
    if action == Action.RESTORE:
        action = Action.DISMISS
    _check_statement(action, rule, law, facts)
    until = None
    if action in (Action.SUSPEND, Action.LIMIT) and days:
        until = timezone.now() + timedelta(days=days)
    decision = Decision.objects.create(
        item=item,
        action=action,
        moderator=by,
        rule=rule,
        law=law.strip(),
        facts=facts.strip(),
        until=until,
    )
    figures.counted(decision)
    _apply(item, decision)
    if action == Action.SUSPEND:
        Suspension.objects.create(person_id=item.author_id, decision=decision, until=until)
        end_sessions(item.author, by=by, reason="suspended")
    if action == Action.LIMIT:
        AccountLimit.objects.create(person_id=item.author_id, decision=decision, until=until)
    open_reports = item.reports.filter(upheld__isnull=True)
    reporters = User.objects.filter(
        pk__in=list(open_reports.filter(reporter__isnull=False).values_list("reporter", flat=True))
    )
    visitors = list(
        open_reports.filter(reporter__isnull=True)
        .exclude(reporter_email="")
        .values_list("pk", flat=True)
    )
    open_reports.update(upheld=action in RESTRICTING)
    audit.record(f"moderation.{action}", item, actor=by, decision=decision.pk)
    _tell_author(item, decision)
    _tell_reporters(item, decision, reporters)
    for report_id in visitors:
        transaction.on_commit(
            lambda report_id=report_id: tasks.email_visitor.enqueue(
                report_id=report_id, decision_id=decision.pk
            )
        )
    if action in (Action.HIDE, Action.REMOVE) and decision.law:
        _check_illegal_content(item, by=by)
    if action == Action.DISMISS:
        for reporter in reporters:
            _check_unfounded_reports(reporter)
    return decision


MISUSE_LAW = "Regulation (EU) 2022/2065 (Digital Services Act), Article 23"


def _tell_of_misuse(person, kind: str, stage: str, until=None) -> None:
    transaction.on_commit(
        lambda: notify_many(
            User.objects.filter(pk=person.pk),
            kind=notifying.MISUSE,
            event=kind,
            subject=stage,
            excerpt=day(until) if until else "",
        )
    )


def _check_illegal_content(item: ModeratedItem, *, by) -> None:
    """Article 23(1): warned when so many things they wrote were restricted as illegal within
    180 days; suspended for a time when it happens again after the warning."""
    person, now = item.author, timezone.now()
    since = now - timedelta(days=180)
    count = (
        Decision.objects.filter(
            item__author=person,
            action__in=[Action.HIDE, Action.REMOVE],
            created_at__gte=since,
            reviewed_by__isnull=True,
        )
        .exclude(law="")
        .count()
    )
    if count < settings.AGORA_MODERATION_ILLEGAL_COUNT:
        return
    earlier = Misuse.objects.filter(
        person=person, kind=MisuseKind.ILLEGAL_CONTENT, created_at__gte=since
    )
    if not earlier.exists():
        Misuse.objects.create(person=person, kind=MisuseKind.ILLEGAL_CONTENT, count=count)
        audit.record("moderation.misuse_warned", person, kind="illegal_content", count=count)
        _tell_of_misuse(person, MisuseKind.ILLEGAL_CONTENT, "warning")
        return
    if Suspension.in_force(now).filter(person=person).exists():
        return
    until = now + timedelta(days=settings.AGORA_MODERATION_MISUSE_DAYS)
    decision = Decision.objects.create(
        item=item,
        action=Action.SUSPEND,
        automated=True,
        law=MISUSE_LAW,
        facts=_(
            "After a warning, more of what this account wrote was restricted as manifestly "
            "illegal (%(count)d times in 180 days). The account is suspended for %(days)d days."
        )
        % {"count": count, "days": settings.AGORA_MODERATION_MISUSE_DAYS},
        until=until,
    )
    figures.counted(decision)
    Suspension.objects.create(person=person, decision=decision, until=until)
    Misuse.objects.create(person=person, kind=MisuseKind.ILLEGAL_CONTENT, until=until, count=count)
    end_sessions(person, by=by, reason="misuse")
    audit.record("moderation.misuse_suspended", person, kind="illegal_content", count=count)
    _tell_author(item, decision)


def _check_unfounded_reports(reporter) -> None:
    """Article 23(2): a person whose reports are dismissed again and again, none upheld, is
    warned at half the count and then not heard for a time."""
    now = timezone.now()
    since = now - timedelta(days=90)
    reports = Report.objects.filter(reporter=reporter, created_at__gte=since)
    if reports.filter(upheld=True).exists():
        return
    dismissed = reports.filter(upheld=False).count()
    limit = settings.AGORA_MODERATION_UNFOUNDED_COUNT
    earlier = Misuse.objects.filter(
        person=reporter, kind=MisuseKind.UNFOUNDED_REPORTS, created_at__gte=since
    )
    warned = earlier.filter(until__isnull=True).exists()
    if not warned and dismissed >= max(1, limit // 2):
        Misuse.objects.create(person=reporter, kind=MisuseKind.UNFOUNDED_REPORTS, count=dismissed)
        audit.record("moderation.misuse_warned", reporter, kind="unfounded_reports")
        _tell_of_misuse(reporter, MisuseKind.UNFOUNDED_REPORTS, "warning")
    elif warned and dismissed >= limit and not earlier.filter(until__gt=now).exists():
        until = now + timedelta(days=settings.AGORA_MODERATION_MISUSE_DAYS)
        Misuse.objects.create(
            person=reporter, kind=MisuseKind.UNFOUNDED_REPORTS, until=until, count=dismissed
        )
        audit.record("moderation.misuse_suspended", reporter, kind="unfounded_reports")
        _tell_of_misuse(reporter, MisuseKind.UNFOUNDED_REPORTS, "suspended", until)


def appeal_days() -> int:
    return settings.AGORA_MODERATION_APPEAL_DAYS


def may_appeal(decision: Decision, person, now=None) -> bool:
    """The author of a restricted item, or a reporter whose notice was dismissed, within the
    window, once, and only the decision that stands (an appeal's answer is final here)."""
    now = now or timezone.now()
    if not person.is_authenticated or decision.moderator_id is None and not decision.automated:
        return False
    if decision.reviews_id is not None:
        return False
    if now - decision.created_at > timedelta(days=settings.AGORA_MODERATION_APPEAL_DAYS):
        return False
    if decision.item.decisions.filter(created_at__gt=decision.created_at).exists():
        return False
    if decision.action in RESTRICTING or decision.action == Action.AUTO_HIDE:
        return decision.item.author_id == person.pk
    if decision.action == Action.DISMISS:
        return decision.item.reports.filter(reporter=person).exists()
    return False


@transaction.atomic
def appeal_decision(decision: Decision, *, by, grounds: str) -> Appeal:
    decision = Decision.objects.select_related("item").get(pk=decision.pk)
    if not grounds.strip():
        raise ModerationError(_("Say why it should be decided again."))
    if decision.action == Action.AUTO_HIDE:
        raise ModerationError(
            _("No person has decided yet: a moderator will. You can appeal their decision.")
        )
    if not may_appeal(decision, by):
        if timezone.now() - decision.created_at > timedelta(
            days=settings.AGORA_MODERATION_APPEAL_DAYS
        ):
            raise ModerationError(_("The time to appeal this decision has passed."))
        raise ModerationError(_("You cannot appeal this decision."))
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(decision=decision, appellant=by, grounds=grounds.strip())
            figures.count_appeal(appeal)
    except IntegrityError:
        raise ModerationError(_("You have already appealed this decision.")) from None
    ModeratedItem.objects.filter(pk=decision.item_id).update(state=ItemState.APPEALED)
    audit.record("moderation.appealed", decision.item, actor=by, decision=decision.pk)
    return appeal


@transaction.atomic
def decide_appeal(
    appeal: Appeal,
    *,
    by,
    action: str,
    rule=None,
    law: str = "",
    facts: str = "",
    days: int | None = None,
) -> Decision:
    """A different moderator decides again: keep the decision, or take another action (restore
    what was hidden; hide what was wrongly left). Either way with its own statement."""
    appeal = Appeal.objects.select_related("decision__item").select_for_update().get(pk=appeal.pk)
    earlier, item = appeal.decision, appeal.decision.item
    if not permissions.can_moderate_item(by, item):
        raise ModerationError(_("Only moderators of what it belongs to decide on appeals."))
    if by.pk in (earlier.moderator_id, appeal.appellant_id, item.author_id):
        raise ModerationError(
            _("A moderator who did not take the decision, and is not concerned, must decide.")
        )
    if appeal.answer_id is not None:
        raise ModerationError(_("This appeal was decided meanwhile."))
    if not facts.strip():
        raise ModerationError(_("Say why: the answer to an appeal comes with its reasons."))
    if action != Action.UPHOLD:
        if action == Action.RESTORE:
            action = Action.DISMISS
        _check_statement(action, rule, law, facts)
    decision = Decision.objects.create(
        item=item,
        action=action,
        moderator=by,
        rule=rule if rule is not None else earlier.rule,
        law=law.strip() or earlier.law,
        facts=facts.strip(),
        reviews=earlier,
    )
    figures.counted(decision)
    if action == Action.UPHOLD:
        ModeratedItem.objects.filter(pk=item.pk).update(state=ItemState.DECIDED)
    else:
        _apply(item, decision)
        item.reports.update(upheld=action in RESTRICTING)
        Suspension.objects.filter(decision=earlier, lifted_at__isnull=True).update(
            lifted_at=decision.created_at
        )
        AccountLimit.objects.filter(decision=earlier, lifted_at__isnull=True).update(
            lifted_at=decision.created_at
        )
    appeal.answer = decision
    appeal.save(update_fields=["answer"])
    figures.count_answer(appeal, decision)
    audit.record(f"moderation.appeal_{action}", item, actor=by, decision=decision.pk)
    if appeal.appellant_id == item.author_id:
        _tell_author(item, decision)
    else:
        _tell_reporters(item, decision, User.objects.filter(pk=appeal.appellant_id))
    return decision
