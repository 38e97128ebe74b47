"""What a suspension stops: writing, supporting, signing and voting, asked by every app that
offers one of them (`check_may_take_part`), and being reached by or reaching others through
notifications (a barrier in notifications' registry). What a limit narrows: who sees what the
person writes (`limited_authors`, which the read paths of posts and comments ask)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.core.prepared import load
from agora.core.refusals import Refused
from agora.core.templatetags.moments import day
from agora.moderation.models import AccountLimit, ItemState, ModeratedItem, Suspension


class Suspended(Refused):
    def __init__(self, suspension: Suspension) -> None:
        if suspension.until is None:
            message = _("Your account is suspended: you cannot write, support, sign or vote.")
        else:
            message = _(
                "Your account is suspended until %(until)s: you cannot write, support, sign or "
                "vote until then."
            ) % {"until": day(suspension.until)}
        super().__init__(
            message + " " + _("Your notifications hold the reasons and how to appeal."),
            code="suspended",
            status=403,
        )


def suspension_of(person) -> Suspension | None:
    if not person.is_authenticated:
        return None
    return _suspension_of_id(person.pk)


def _suspension_of_id(person_id: int) -> Suspension | None:
    """The latest suspension in force, in a statement compiled once (`core.prepared.load`):
    every write, support, signature and vote asks it."""
    found = load(
        ("suspension in force",),
        {"person": "int", "now": "datetime"},
        lambda stand_ins: (
            Suspension.in_force(now=stand_ins["now"])
            .filter(person_id=stand_ins["person"])
            .order_by("-created_at")[:1]
        ),
        person=person_id,
        now=timezone.now(),
    )
    return found[0][0] if found else None


def check_may_take_part(person) -> None:
    """Raise `Suspended` (a form shows it; the API answers 403 `suspended`) while the person
    is suspended. One query."""
    check_may_take_part_by_id(person.pk if person.is_authenticated else None)


def check_may_take_part_by_id(person_id: int | None) -> None:
    """The same for an account known by its id (None: nobody signed in, nothing to check)."""
    suspension = _suspension_of_id(person_id) if person_id is not None else None
    if suspension is not None:
        raise Suspended(suspension)


def limited_authors():
    """The people whose accounts are limited now, as a subquery of ids: a read path shows
    their posts and comments only to their followers and themselves. No query of its own; the
    database's clock, not a parameter, so a statement compiled once (`core.prepared`) stays
    true."""
    return AccountLimit.objects.filter(
        Q(until__isnull=True) | Q(until__gt=Now()), lifted_at__isnull=True
    ).values("person")


def limit_of(person) -> AccountLimit | None:
    if not person.is_authenticated:
        return None
    return AccountLimit.in_force().filter(person=person).order_by("-created_at").first()


def kept_apart(person, field: str) -> Q:
    """Notifications' barrier: what a suspended person does reaches nobody (notifications
    naming them are neither sent nor listed). A subquery of the same statement: no query of
    its own. (A suspended person's own actions are refused before anyone is told.)"""
    return Q(**{f"{field}__in": Suspension.in_force().values("person")})


def check_may_delete(content) -> None:
    """What moderators are deciding on, or decided on within the appeal window, is kept: its
    author may delete it once the window has passed (the record a decision rests on must
    outlive the appeal). Raise `Refused` (409 `kept_for_moderation`) until then."""
    item = ModeratedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(type(content)), object_id=content.pk
    ).first()
    if item is None:
        return
    window = timedelta(days=settings.AGORA_MODERATION_APPEAL_DAYS)
    if item.state != ItemState.DECIDED:
        message = _("Moderators are reviewing this: it is kept until they decide.")
    elif item.decided_at and timezone.now() < item.decided_at + window:
        message = _(
            "This is kept until %(until)s, while the moderators' decision may be appealed: you "
            "can delete it after that."
        ) % {"until": day(item.decided_at + window)}
    else:
        return
    raise Refused(message, code="kept_for_moderation", status=409)
