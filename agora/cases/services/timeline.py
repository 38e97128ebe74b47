"""A case's timeline: adding an event to it, and telling the case's followers of the events
they hear of."""

from django.db.models import Q

from agora.accounts.models import User
from agora.cases.actions import ANNOUNCED_EVENTS
from agora.cases.models import Case, CaseEvent, EventKind
from agora.cases.notifying import CASE_ARRIVED, CASE_UPDATE
from agora.cases.permissions import is_submitter
from agora.directory.models import Office
from agora.directory.permissions import officials_acting_for
from agora.notifications.services import notify_many


def add_event(case: Case, kind: str, by=None, **fields) -> CaseEvent:
    actor = by if by is not None and by.is_authenticated else None
    event = CaseEvent.objects.create(case=case, kind=kind, actor=actor, **fields)
    if kind in ANNOUNCED_EVENTS:
        _announce(case, event, actor)
    if kind in (EventKind.ROUTED, EventKind.TRANSFERRED):
        _tell_the_office(case, event, actor)
    return event


def followers_to_tell(case: Case):
    """The people who follow the case and may still see it. A private case's news reaches only
    its resident and the officials of the office accountable now, whoever else once followed
    it."""
    people = User.objects.filter(case_follows__case=case)
    if not case.is_public:
        people = people.filter(
            Q(pk=case.submitted_by_id) | Q(office_memberships__office_id=case.office_id)
        )
    return people


def _speaking_office(case: Case, event: CaseEvent, actor) -> Office | None:
    """The office a notification names: the one the case went to for routing and transfers,
    the accountable office for what its officials do, none for the resident's own steps."""
    if event.kind in (EventKind.ROUTED, EventKind.TRANSFERRED):
        return event.to_office
    if actor is not None and is_submitter(actor, case):
        return None
    return case.office


def _announce(case: Case, event: CaseEvent, actor) -> None:
    """Tell every follower but the one who did it, in a fixed number of queries."""
    notify_many(
        followers_to_tell(case),
        kind=CASE_UPDATE,
        actor=actor,
        name_actor=not (actor is not None and is_submitter(actor, case)),
        office=_speaking_office(case, event, actor),
        event=event.kind,
        subject=case.title,
        target=event,
        url=f"{case.get_absolute_url()}#event-{event.pk}",
        excerpt=event.text,
    )


def _tell_the_office(case: Case, event: CaseEvent, actor) -> None:
    """A case that arrives at an office (routed when it is new, or transferred) reaches the
    officials who act for that office, its parent offices' included: each sees it in an inbox.
    Followers of the case already hear of it as news; they are not told twice."""
    notify_many(
        officials_acting_for(event.to_office).exclude(case_follows__case=case),
        kind=CASE_ARRIVED,
        actor=actor,
        office=event.to_office,
        event=event.kind,
        subject=case.title,
        target=event,
        url=case.get_absolute_url(),
        excerpt=event.text or case.description,
    )
