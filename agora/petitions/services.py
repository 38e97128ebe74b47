"""Every change to petitions goes through these verbs: start, ask for co-sponsors, co-sponsor
(by the private link), publish or reject (moderators), sign and confirm a signature,
invalidate signatures (moderators), respond and record a debate (the office), and close the
petitions past their date. Counts move with conditional in-database increments (`F()`; a
signature's is the same `+ 1` with `RETURNING`, which reads the new count in the same
statement) only when a row was written, so a person counts once however many parallel
requests they send; reaching a
threshold starts the office's clock in working days (cases' service levels and public
holidays). Each verb runs in a transaction and writes the audit log."""

from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from agora.accounts import kinds
from agora.accounts.models import User, Verification
from agora.cases.models.service_level import ServiceLevel, add_working_days, holidays_ahead
from agora.core import audit
from agora.core.lifecycle import TransitionError
from agora.core.ratelimit import network_of
from agora.core.text import render_markdown
from agora.directory.index import get_index
from agora.directory.models import Office
from agora.directory.permissions import officials_acting_for
from agora.moderation.restrictions import check_may_take_part
from agora.notifications.services import notify_many
from agora.petitions import notifying
from agora.petitions.models import (
    LIFECYCLE,
    AreaTally,
    Brings,
    CoSponsor,
    DebateDecision,
    Invalidation,
    Petition,
    PetitionState,
    ReachedThreshold,
    Signature,
    Threshold,
)
from agora.petitions.models.petition import (
    ASKS_MAX_LENGTH,
    REASON_MAX_LENGTH,
    RESPONSE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    WHY_MAX_LENGTH,
)
from agora.petitions.permissions import can_moderate, can_respond, signing_rule
from agora.processes.permissions import can_view_process

#: The longest a petition may collect signatures.
LONGEST_DAYS = 366


def _text(value: str, *, field: str, limit: int, empty: str, required: bool = True) -> str:
    value = (value or "").strip()
    if not value and required:
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


def _check(decision) -> None:
    if not decision:
        raise PermissionDenied(decision.message)


def _closing_date(closes_on, today: date) -> date:
    if closes_on is None:
        raise ValidationError({"closes_on": _("Choose the day the petition closes.")})
    if closes_on <= today:
        raise ValidationError({"closes_on": _("Choose a day after today.")})
    if closes_on > today + timedelta(days=LONGEST_DAYS):
        raise ValidationError(
            {"closes_on": _("A petition collects signatures for at most a year.")}
        )
    return closes_on


@transaction.atomic
def start_petition(
    *,
    by: User,
    title: str,
    asks: str,
    why: str,
    closes_on: date,
    authority=None,
    office: Office | None = None,
    process=None,
) -> Petition:
    """A draft, addressed to an office or to the authority as a whole, in a process or not.
    Whoever may sign it by its rule may start it."""
    if not by.is_authenticated:
        raise PermissionDenied(_("Log in to take part."))
    check_may_take_part(by)
    title = _text(
        title, field="title", limit=TITLE_MAX_LENGTH, empty=_("Give your petition a title.")
    )
    asks = _text(asks, field="asks", limit=ASKS_MAX_LENGTH, empty=_("Say what the petition asks."))
    why = _text(why, field="why", limit=WHY_MAX_LENGTH, empty=_("Say why."))
    closes_on = _closing_date(closes_on, timezone.localdate())
    if process is not None:
        if not process.is_published or not can_view_process(by, process):
            raise ValidationError({"process": _("Choose a published process.")})
        office = office or process.office
        authority = process.office.authority
    if office is not None:
        authority = office.authority
    if authority is None:
        raise ValidationError({"office": _("Choose the office or the authority it asks.")})
    petition = Petition(
        author=by,
        title=title,
        asks=asks,
        why=why,
        why_html=render_markdown(why),
        authority=authority,
        office=office,
        process=process,
        closes_on=closes_on,
        cosponsors_needed=max(settings.AGORA_PETITION_COSPONSORS, 0),
    )
    _check(signing_rule(by, petition, phase=False))
    petition.save()
    audit.record("petition.started", petition, actor=by, title=title)
    return petition


@transaction.atomic
def ask_for_cosponsors(petition: Petition, *, by: User) -> Petition:
    """The author shares the private link; with no co-sponsors needed it goes to moderators."""
    if petition.author_id != by.pk:
        raise PermissionDenied(_("Only the author can do this."))
    try:
        LIFECYCLE.move(petition, "collect")
    except TransitionError as error:
        raise ValidationError(_("This petition is past that step.")) from error
    audit.record("petition.collecting", petition, actor=by)
    _submit_when_backed(petition)
    return petition


def _submit_when_backed(petition: Petition) -> bool:
    petition.refresh_from_db(fields=["cosponsor_count", "state"])
    if petition.state != PetitionState.COLLECTING:
        return False
    if petition.cosponsor_count < petition.cosponsors_needed:
        return False
    updated = Petition.objects.filter(
        pk=petition.pk,
        state=PetitionState.COLLECTING,
        cosponsor_count__gte=petition.cosponsors_needed,
    ).update(state=PetitionState.AWAITING_MODERATION)
    if updated:
        petition.state = PetitionState.AWAITING_MODERATION
        audit.record("petition.submitted", petition, cosponsors=petition.cosponsor_count)
    return bool(updated)


@transaction.atomic
def cosponsor(petition: Petition, *, token: str, by: User) -> bool:
    """Back the petition by its private link, once per person; answers whether this call
    added the co-sponsor. The last one needed sends it to the moderators."""
    if not constant_time_compare(token or "", petition.cosponsor_token):
        raise PermissionDenied(_("This link is not valid."))
    if by.is_authenticated:
        check_may_take_part(by)
    _check(signing_rule(by, petition, phase=False))
    if petition.author_id == by.pk:
        raise ValidationError(_("You started this petition: ask others to co-sponsor it."))
    if petition.state != PetitionState.COLLECTING:
        raise ValidationError(_("This petition is not collecting co-sponsors."))
    try:
        with transaction.atomic():
            CoSponsor.objects.create(petition=petition, person=by)
    except IntegrityError:
        return False
    counted = Petition.objects.filter(pk=petition.pk, state=PetitionState.COLLECTING).update(
        cosponsor_count=F("cosponsor_count") + 1
    )
    if not counted:
        raise ValidationError(_("This petition is not collecting co-sponsors."))
    audit.record("petition.cosponsored", petition, actor=by)
    _submit_when_backed(petition)
    return True


@transaction.atomic
def publish_petition(petition: Petition, *, by: User, office: Office | None = None) -> Petition:
    """A moderator publishes it; one addressed to the authority as a whole is routed here to
    the office that answers it."""
    if not can_moderate(by):
        raise PermissionDenied(_("Only moderators publish or reject petitions."))
    office = office or petition.office
    if office is None:
        raise ValidationError({"office": _("Choose the office that answers this petition.")})
    if office.authority_id != petition.authority_id:
        raise ValidationError({"office": _("Choose an office of the petition's authority.")})
    if petition.closes_on <= timezone.localdate():
        raise ValidationError(_("Its closing date has passed: it cannot be published."))
    try:
        LIFECYCLE.move(
            petition, "publish", office=office, published_at=timezone.now(), moderated_by=by
        )
    except TransitionError as error:
        raise ValidationError(_("This petition is not awaiting moderation.")) from error
    audit.record("petition.published", petition, actor=by, office=office.pk)
    notify_many(
        User.objects.filter(pk=petition.author_id),
        kind=notifying.MODERATED,
        event="published",
        subject=petition.title,
        target=petition,
        url=petition.get_absolute_url(),
    )
    return petition


@transaction.atomic
def reject_petition(petition: Petition, *, by: User, reason: str) -> Petition:
    if not can_moderate(by):
        raise PermissionDenied(_("Only moderators publish or reject petitions."))
    reason = _text(
        reason,
        field="reason",
        limit=REASON_MAX_LENGTH,
        empty=_("Give the reason for rejecting it."),
    )
    try:
        LIFECYCLE.move(petition, "reject", reject_reason=reason, moderated_by=by)
    except TransitionError as error:
        raise ValidationError(_("This petition is not awaiting moderation.")) from error
    audit.record("petition.rejected", petition, actor=by, reason=reason)
    notify_many(
        User.objects.filter(pk=petition.author_id),
        kind=notifying.MODERATED,
        event="rejected",
        subject=petition.title,
        target=petition,
        url=petition.get_absolute_url(),
        excerpt=reason,
    )
    return petition


def area_of(person):
    """The directory's area the person's home area names (the routing index, no query)."""
    named = " ".join((person.home_area or "").split()).casefold()
    if not named:
        return None
    for area in get_index().areas.values():
        names = {area.name_en, area.name_es, *area.alias_list}
        if named in {" ".join(name.split()).casefold() for name in names if name}:
            return area
    return None


def _may_sign(petition: Petition, by: User) -> None:
    if by.is_authenticated:
        check_may_take_part(by)
    if petition.state != PetitionState.OPEN or petition.is_withheld:
        if petition.state == PetitionState.CLOSED:
            raise ValidationError(_("This petition is closed."))
        raise ValidationError(_("This petition is not open for signatures."))
    if petition.is_closed():
        raise ValidationError(_("This petition is closed."))
    _check(signing_rule(by, petition))


class _AlreadySigned(Exception):
    """The person's signature is there already: the transaction is undone, nothing written."""


def sign_petition(
    petition: Petition, *, by: User, show_name: bool = False, address: str | None = None
) -> Signature | None:
    """Sign once; a second signature (even a parallel one) changes nothing and answers None.
    A signature by an account whose email is not confirmed counts once confirmed by the link
    emailed to it.

    The rules are read first; the signature's row is the transaction's first write, so a
    second signature undoes the transaction itself rather than a savepoint within it (two
    round trips fewer for every signature of a surge)."""
    _may_sign(petition, by)
    confirmed = by.verification != Verification.UNVERIFIED
    email = by.email or ""
    try:
        with transaction.atomic():
            try:
                signature = Signature.objects.create(
                    petition=petition,
                    person=by,
                    show_name=bool(show_name),
                    area=area_of(by),
                    email_domain=email.rpartition("@")[2].casefold()[:255],
                    network=network_of(address),
                    confirmed_at=timezone.now() if confirmed else None,
                )
            except IntegrityError as error:
                raise _AlreadySigned from error
            audit.record("petition.signed", petition, actor=by, confirmed=confirmed)
            if confirmed:
                _count(petition, signature)
            else:
                from agora.petitions.tasks import email_signature_confirmation

                transaction.on_commit(
                    lambda: email_signature_confirmation.enqueue(signature_id=signature.pk)
                )
    except _AlreadySigned:
        return None
    return signature


def _count(petition: Petition, signature: Signature) -> None:
    """Count a confirmed signature, only while the petition is open in the database: one that
    loses to closing is undone with the transaction. The update answers the new count (and
    whether each kind of threshold was reached), so nothing is read back; the thresholds are
    looked for only when the count may have reached one (`_may_reach`)."""
    table = Petition._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET "signature_count" = "signature_count" + 1 '  # noqa: S608
            'WHERE "id" = %s AND "state" = %s '
            'RETURNING "signature_count", "response_due_at", "debate_due_at"',
            [petition.pk, PetitionState.OPEN],
        )
        row = cursor.fetchone()
    if row is None:
        raise ValidationError(_("This petition is not open for signatures."))
    _tally(petition.pk, signature.area_id)
    petition.signature_count, petition.state = row[0], PetitionState.OPEN
    reached = {"response": row[1] is not None, "debate": row[2] is not None}
    if _may_reach(petition.authority_id, row[0], **reached):
        reach_thresholds(petition)


def _thresholds_key(authority_id: int) -> str:
    return f"petitions:thresholds:{authority_id}"


def thresholds_of(authority_id: int) -> list[tuple[int, str]]:
    """The authority's thresholds as (count, what it brings), kept in the cache until one is
    saved or deleted (`forget_thresholds`), and five minutes at most: every signature asks."""
    key = _thresholds_key(authority_id)
    found = cache.get(key)
    if found is None:
        found = list(
            Threshold.objects.filter(authority_id=authority_id)
            .order_by("count")
            .values_list("count", "brings")
        )
        cache.set(key, found, timeout=300)
    return found


def forget_thresholds(sender, instance, **_arguments) -> None:
    cache.delete(_thresholds_key(instance.authority_id))


def _may_reach(authority_id: int, count: int, *, response: bool, debate: bool) -> bool:
    """Whether this count may have reached a threshold not yet recorded: it is one's count
    exactly (counts rise by one, so exactly one signature meets each), or it is past one whose
    kind the petition has not reached yet (a threshold set after the count passed it)."""
    reached = {Brings.RESPONSE: response, Brings.DEBATE: debate}
    return any(
        needed == count or (needed < count and not reached.get(brings, False))
        for needed, brings in thresholds_of(authority_id)
    )


def _tally(petition_id: int, area_id: int | None) -> None:
    """One more counted signature from this area: a row per petition and area, made by the
    first and raised by the rest in one statement (PostgreSQL and SQLite both take it)."""
    table = AreaTally._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ("petition_id", "area_id", "area_key", "count") '  # noqa: S608
            "VALUES (%s, %s, %s, 1) "
            'ON CONFLICT ("petition_id", "area_key") DO UPDATE SET "count" = '
            f'"{table}"."count" + 1',
            [petition_id, area_id, area_id or 0],
        )


@transaction.atomic
def confirm_signature(token: str) -> Signature:
    """The emailed link: the signature counts from now on, once."""
    signature = (
        Signature.objects.select_related("petition").filter(confirm_token=token or "-").first()
    )
    if signature is None:
        raise ValidationError(_("This link is not valid."))
    petition = signature.petition
    if signature.confirmed_at is not None:
        return signature
    if petition.is_closed() or petition.state != PetitionState.OPEN:
        raise ValidationError(_("This petition is closed."))
    updated = Signature.objects.filter(pk=signature.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    if updated:
        signature.refresh_from_db(fields=["confirmed_at"])
        audit.record("petition.signature_confirmed", petition, actor=signature.person)
        if signature.invalidation_id is None:
            _count(petition, signature)
    return signature


def due_after(office: Office, start, days: int | None):
    """The moment `days` working days after `start` (the office's service level for
    answering when None), weekends and its authority's public holidays skipped."""
    if days is None:
        days = ServiceLevel.promise_of(office, start).answer_days
    return add_working_days(start, days, holidays_ahead(office, start))


def reach_thresholds(petition: Petition) -> list[Threshold]:
    """Record each of the authority's thresholds the count reached for the first time (a
    unique row: once however many signatures arrive together), start its clock, and tell the
    office's officials."""
    reached = []
    candidates = Threshold.objects.filter(
        authority_id=petition.authority_id, count__lte=petition.signature_count
    ).exclude(pk__in=ReachedThreshold.objects.filter(petition=petition).values("threshold"))
    now = timezone.now()
    for threshold in candidates.order_by("count"):
        due = due_after(petition.office, now, threshold.answer_days)
        try:
            with transaction.atomic():
                ReachedThreshold.objects.create(
                    petition=petition, threshold=threshold, reached_at=now, due_at=due
                )
        except IntegrityError:
            continue
        field = "response_due_at" if threshold.brings == Brings.RESPONSE else "debate_due_at"
        Petition.objects.filter(pk=petition.pk).update(**{field: due})
        setattr(petition, field, due)
        audit.record(
            "petition.threshold_reached",
            petition,
            threshold=threshold.count,
            brings=threshold.brings,
        )
        notify_many(
            officials_acting_for(petition.office),
            kind=notifying.THRESHOLD_REACHED,
            office=petition.office,
            event=threshold.brings,
            subject=petition.title,
            target=petition,
            url=petition.get_absolute_url(),
        )
        reached.append(threshold)
    return reached


def _domain_or_network(email_domain: str, network: str) -> Q:
    email_domain = (email_domain or "").strip().casefold()
    network = (network or "").strip()
    if bool(email_domain) == bool(network):
        raise ValidationError(_("Choose one email domain or one network range."))
    return Q(email_domain=email_domain) if email_domain else Q(network=network)


@transaction.atomic
def invalidate_signatures(
    petition: Petition, *, by: User, reason: str, email_domain: str = "", network: str = ""
) -> Invalidation:
    """Strike the petition's valid signatures from one email domain or one network range, for
    a recorded reason; the count is recomputed from the signatures in this transaction (the
    petition's row locked, so no signature counts in between)."""
    if not can_moderate(by):
        raise PermissionDenied(_("Only moderators invalidate signatures."))
    reason = _text(reason, field="reason", limit=REASON_MAX_LENGTH, empty=_("Give the reason."))
    chosen = _domain_or_network(email_domain, network)
    list(Petition.objects.select_for_update().filter(pk=petition.pk).values_list("pk"))
    invalidation = Invalidation.objects.create(
        petition=petition,
        by=by,
        reason=reason,
        email_domain=(email_domain or "").strip().casefold(),
        network=(network or "").strip(),
    )
    struck = Signature.objects.filter(chosen, petition=petition, invalidation__isnull=True).update(
        invalidation=invalidation
    )
    Invalidation.objects.filter(pk=invalidation.pk).update(count=struck)
    invalidation.count = struck
    recount(petition)
    audit.record(
        "petition.signatures_invalidated",
        petition,
        actor=by,
        count=struck,
        email_domain=invalidation.email_domain,
        network=invalidation.network,
        reason=reason,
    )
    return invalidation


def counted_signatures(petition: Petition):
    return Signature.objects.filter(
        petition=petition, confirmed_at__isnull=False, invalidation__isnull=True
    )


def recount(petition: Petition) -> int:
    """The count and the tallies by area, from the counted signatures again."""
    Petition.objects.filter(pk=petition.pk).update(
        signature_count=counted_signatures(petition).count()
    )
    AreaTally.objects.filter(petition=petition).delete()
    by_area = counted_signatures(petition).values("area").annotate(count=Count("pk"))
    AreaTally.objects.bulk_create(
        AreaTally(
            petition=petition, area_id=row["area"], area_key=row["area"] or 0, count=row["count"]
        )
        for row in by_area.order_by()
    )
    petition.refresh_from_db(fields=["signature_count"])
    return petition.signature_count


def signers_and_author(petition: Petition):
    return User.objects.filter(
        Q(pk=petition.author_id) | Q(pk__in=counted_signatures(petition).values("person"))
    )


def _tell_signers(petition: Petition, *, kind: str, by: User, excerpt: str) -> None:
    notify_many(
        signers_and_author(petition),
        kind=kind,
        office=petition.office,
        subject=petition.title,
        target=petition,
        url=petition.get_absolute_url(),
        excerpt=excerpt,
    )
    from agora.petitions.tasks import email_signers

    transaction.on_commit(lambda: email_signers.enqueue(petition_id=petition.pk, kind=kind))


def _office_only(petition: Petition, by: User) -> None:
    if not can_respond(by, petition):
        raise PermissionDenied(
            kinds.refusal(by, kinds.ANSWER)
            or _("Only the officials of the office the petition asks can do this.")
        )
    if not LIFECYCLE.allows("respond", petition.state):
        raise ValidationError(_("This petition is not published."))


@transaction.atomic
def respond_to_petition(petition: Petition, *, by: User, body: str) -> Petition:
    """The office's written response, published once on the petition and sent to its signers."""
    _office_only(petition, by)
    body = _text(body, field="body", limit=RESPONSE_MAX_LENGTH, empty=_("Write the response."))
    updated = Petition.objects.filter(pk=petition.pk, responded_at__isnull=True).update(
        response_body=body,
        response_html=render_markdown(body),
        responded_at=timezone.now(),
        responded_by=by,
    )
    if not updated:
        raise ValidationError(_("This petition has its response already."))
    petition.refresh_from_db()
    audit.record("petition.responded", petition, actor=by)
    _tell_signers(petition, kind=notifying.RESPONDED, by=by, excerpt=body)
    return petition


@transaction.atomic
def record_debate(
    petition: Petition,
    *,
    by: User,
    debated_on: date,
    decision: str,
    minutes_url: str = "",
    summary: str = "",
) -> Petition:
    """The outcome of the council's debate: its date, a link to the minutes, the decision."""
    _office_only(petition, by)
    if decision not in DebateDecision.values:
        raise ValidationError({"decision": _("Choose the decision.")})
    if debated_on is None:
        raise ValidationError({"debated_on": _("Give the day of the debate.")})
    if debated_on > timezone.localdate():
        raise ValidationError({"debated_on": _("Record a debate once it has taken place.")})
    minutes_url = (minutes_url or "").strip()
    if minutes_url and not minutes_url.startswith(("https://", "http://")):
        raise ValidationError({"minutes_url": _("Give the address of the minutes (https://…).")})
    summary = _text(summary, field="summary", limit=RESPONSE_MAX_LENGTH, empty="", required=False)
    updated = Petition.objects.filter(pk=petition.pk, debate_published_at__isnull=True).update(
        debate_on=debated_on,
        debate_decision=decision,
        debate_minutes_url=minutes_url[:200],
        debate_summary=summary,
        debate_published_at=timezone.now(),
    )
    if not updated:
        raise ValidationError(_("This petition's debate is recorded already."))
    petition.refresh_from_db()
    audit.record("petition.debated", petition, actor=by, decision=decision)
    _tell_signers(petition, kind=notifying.DEBATED, by=by, excerpt=summary)
    return petition


def close_due_petitions(today: date | None = None) -> int:
    """Close the open petitions whose closing date has passed; answers how many."""
    today = today or timezone.localdate()
    closed = 0
    for pk in Petition.objects.filter(state=PetitionState.OPEN, closes_on__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            if Petition.objects.filter(pk=pk, state=PetitionState.OPEN).update(
                state=PetitionState.CLOSED, closed_at=timezone.now()
            ):
                audit.record("petition.closed", Petition(pk=pk))
                closed += 1
    return closed
