"""What a suspension stops: writing, supporting, signing and voting, asked by every app that
offers one of them (`check_may_take_part`), and being reached by or reaching others through
notifications (a barrier in notifications' registry)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from agora.core.refusals import Refused
from agora.moderation.models import Suspension


class Suspended(Refused):
    def __init__(self, suspension: Suspension) -> None:
        from agora.core.templatetags.moments import day

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
    return Suspension.in_force().filter(person=person).order_by("-created_at").first()


def check_may_take_part(person) -> None:
    """Raise `Suspended` (a form shows it; the API answers 403 `suspended`) while the person
    is suspended. One query."""
    suspension = suspension_of(person)
    if suspension is not None:
        raise Suspended(suspension)


def kept_apart(person, field: str) -> Q:
    """Notifications' barrier: what a suspended person does reaches nobody (notifications
    naming them are neither sent nor listed). A subquery of the same statement: no query of
    its own. (A suspended person's own actions are refused before anyone is told.)"""
    return Q(**{f"{field}__in": Suspension.in_force().values("person")})
