"""Storing budgets: importing a Pabulib file as a closed, counted budget; casting a ballot (one
per person, the last one counts); counting a budget from its stored ballots."""

from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from agora.budgets import counting, pabulib
from agora.budgets.models import Ballot, Budget, Project

BATCH = 2000


def profile_of_budget(budget: Budget) -> counting.Profile:
    """The budget's projects and stored ballots as a counting profile (two queries)."""
    items = [
        counting.Item(key, float(cost))
        for key, cost in budget.projects.order_by("position").values_list("key", "cost")
    ]
    ballots = budget.ballots.order_by("pk").values_list("projects", "points").iterator(BATCH)
    return counting.Profile(budget.ballot_kind, items, ballots, budget.amount)


def count_budget(budget: Budget) -> counting.Outcome:
    """Count the stored ballots by the budget's rule and keep the result on the budget."""
    outcome = counting.count(
        profile_of_budget(budget), budget.rule, minimum_votes=budget.minimum_votes
    )
    budget.result = outcome.as_dict()
    budget.counted_at = timezone.now()
    budget.save(update_fields=["result", "counted_at"])
    return outcome


@transaction.atomic
def import_election(
    path: str | Path,
    *,
    process,
    rule: str = counting.RULES[1],
    minimum_votes: int = 0,
    title_en: str = "",
    title_es: str = "",
) -> Budget:
    """A closed budget in `process` with the file's projects and ballots, counted by `rule`.
    Raises PabulibError (and stores nothing) when the file cannot be counted."""
    election = pabulib.read(path)
    if rule not in counting.RULES:
        raise ValueError(f"unknown rule {rule!r}")
    source = f"{Path(path).name}: {election.description}".strip(": ")
    budget = Budget.objects.create(
        process=process,
        title_en=title_en or election.description or Path(path).stem,
        title_es=title_es,
        amount=election.budget,
        currency=election.currency,
        ballot_kind=election.vote_type,
        rule=rule,
        minimum_votes=minimum_votes,
        is_closed=True,
        source=source[:300],
    )
    Project.objects.bulk_create(
        [
            Project(
                budget=budget,
                key=project.id,
                title=(project.name or project.id)[:300],
                cost=project.cost,
                position=position,
            )
            for position, project in enumerate(election.projects)
        ],
        batch_size=BATCH,
    )
    Ballot.objects.bulk_create(
        [
            Ballot(
                budget=budget,
                voter_key=ballot.voter_id or str(number),
                projects=list(ballot.projects),
                points=None if ballot.points is None else list(ballot.points),
            )
            for number, ballot in enumerate(election.ballots, start=1)
        ],
        batch_size=BATCH,
    )
    count_budget(budget)
    return budget


def cast_ballot(budget: Budget, voter, projects: list[str], points: list[int] | None = None):
    """Keep `voter`'s ballot in `budget`, replacing any earlier one: the last one counts. The
    ballot page's checks (eligibility, the phase, limits) come before this. Two ballots cast
    at once by one person leave one: the unique constraint refuses the second insert, which
    then updates the row the first one made."""
    values = {"projects": projects, "points": points}
    updated = Ballot.objects.filter(budget=budget, voter=voter).update(
        **values, cast_at=timezone.now()
    )
    if not updated:
        try:
            with transaction.atomic():
                return Ballot.objects.create(budget=budget, voter=voter, **values)
        except IntegrityError:
            Ballot.objects.filter(budget=budget, voter=voter).update(
                **values, cast_at=timezone.now()
            )
    return Ballot.objects.get(budget=budget, voter=voter)
