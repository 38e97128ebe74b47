"""The budgets' background work: closing and counting the budgets whose vote is over (every
few minutes), the email confirming a ballot cast or changed, which lists what it holds, and
the one saying a ballot was withdrawn. Both are transactional, like the
petitions' signature confirmation: they go to every active account with an address, whatever
its notification settings, in the voter's language, once per version of the ballot."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from agora.accounts.models import User
from agora.budgets import services, wording
from agora.budgets.models import Ballot, BallotKind, Budget
from agora.budgets.services import ballot_version
from agora.core.tasks import schedule_once, send_rendered
from agora.processes import features
from agora.processes.models import Phase


def _reachable(person) -> bool:
    return person is not None and person.is_active and bool(person.email)


def _budget(budget_id: int) -> Budget | None:
    return (
        Budget.objects.select_related("process")
        .prefetch_related(Prefetch("process__phases", queryset=Phase.objects.all()))
        .filter(pk=budget_id)
        .first()
    )


def _send(person, budget: Budget, subject: str, template: str, context: dict, *, key: str):
    phase = features.current_phase(budget.process)
    return send_rendered(
        to=person.email,
        language=person.preferred_language,
        subject=subject,
        template=template,
        context={
            "budget": budget,
            "process": budget.process,
            "closes_at": phase.ends_at if phase else None,
            "link": settings.SITE_URL + budget.get_absolute_url(),
            **context,
        },
        key=key,
    )


def _lines(budget: Budget, ballot: Ballot) -> dict:
    """What the ballot holds, in words of the active language: a line per project (its
    title and cost, and its points or rank), the total against the budget."""
    projects = {project.key: project for project in budget.projects.all()}
    points = ballot.points or []
    lines, total = [], 0
    for position, key in enumerate(ballot.projects):
        project = projects.get(key)
        if project is None:  # a project taken off the budget since
            continue
        total += project.cost
        lines.append(
            {
                "title": project.title,
                "cost": wording.amount(project.cost, budget.currency),
                "rank": position + 1,
                "points": points[position] if position < len(points) else None,
            }
        )
    return {
        "lines": lines,
        "ranked": budget.ballot_kind == BallotKind.ORDINAL,
        "cumulative": budget.ballot_kind == BallotKind.CUMULATIVE,
        "given": sum(points),
        "total": wording.amount(total, budget.currency),
        "amount": wording.amount(budget.amount, budget.currency),
        "left": wording.amount(budget.amount - total, budget.currency),
    }


@task(queue_name="email")
def email_ballot(*, ballot_id: int, version: str) -> int:
    """Tell the voter what their ballot holds. A ballot changed or withdrawn since sends
    nothing here: the later version's email (or the withdrawal's) says what counts. Sent
    once per version, however often the task runs."""
    ballot = Ballot.objects.select_related("voter").filter(pk=ballot_id).first()
    if ballot is None or ballot_version(ballot) != version or not _reachable(ballot.voter):
        return 0
    budget = _budget(ballot.budget_id)
    person = ballot.voter
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Your ballot in “%(budget)s”") % {"budget": budget.title}
        context = _lines(budget, ballot)
    return _send(
        person,
        budget,
        subject,
        "budgets/email/ballot.txt",
        {"cast_at": ballot.cast_at, **context},
        key=f"budget-ballot-{ballot.pk}-{version}",
    )


@task(queue_name="email")
def email_ballot_withdrawn(*, ballot_id: int, version: str, budget_id: int, voter_id: int) -> int:
    """Tell the voter their ballot is withdrawn, unless they cast a new one since (its own
    email says what counts)."""
    budget = _budget(budget_id)
    if budget is None or Ballot.objects.filter(budget=budget, voter_id=voter_id).exists():
        return 0
    person = User.objects.filter(pk=voter_id).first()
    if not _reachable(person):
        return 0
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Your ballot in “%(budget)s” is withdrawn") % {"budget": budget.title}
    return _send(
        person,
        budget,
        subject,
        "budgets/email/withdrawn.txt",
        {},
        key=f"budget-ballot-{ballot_id}-{version}-withdrawn",
    )


#: How often the worker looks for budgets whose vote is over.
CLOSING_EVERY = timedelta(minutes=5)


@task(queue_name="default")
def close_budgets() -> int:
    """Close and count the budgets whose vote is over, then come back in a few minutes."""
    try:
        return services.close_due_budgets()
    finally:
        schedule_closing()


def schedule_closing() -> bool:
    return schedule_once(close_budgets, run_after=timezone.now() + CLOSING_EVERY)


def queue_closing() -> str:
    """The periodic job declared on the app's config: run once when the worker starts."""
    closed = services.close_due_budgets()
    schedule_closing()
    return f"Closed and counted {closed} budgets whose vote is over." if closed else ""
