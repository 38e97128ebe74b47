"""Demo budgets for `agora seed`, in English and Spanish: one in voting in the "Safe routes to
school" process (its support phase runs, and anyone signed in may vote; a knapsack ballot of
250,000 euros, counted by equal shares), with Sam's ballot cast, its projects in the
process's area and topic and the crossing patrol made of the accepted proposal of a crossing
guard; and one counted by the
Method of Equal Shares in the closed "Bus network 2026" process, with 60 demo ballots (no
accounts: voter ids, as an imported budget has)."""

from decimal import Decimal

from django.db import transaction

from agora.accounts.models import User
from agora.budgets import services
from agora.budgets.models import BallotKind, Budget, Project, Rule
from agora.processes.models import Process
from agora.proposals.models import AnswerKind, Proposal, ProposalState

SCHOOL = "safe-routes-to-school"
BUSES = "bus-network-2026"

SCHOOL_PROJECTS = [
    ("crossing-lights", "Crossing lights on Riverside Avenue", 90_000,
     "Push-button lights at the school crossing children use every morning."),
    ("wider-pavement", "A wider pavement on Mill Lane", 120_000,
     "Two metres more for prams, wheelchairs and children walking in groups."),
    ("bike-racks", "Covered bike racks at three schools", 30_000,
     "Sixty covered places, so more pupils can cycle."),
    ("school-street", "A car-free school street at drop-off times", 45_000,
     "Bollards and signs close Elm Road to cars for half an hour twice a day."),
    ("speed-humps", "Speed humps on Canal Road", 25_000,
     "Four humps where drivers now reach 50 km/h."),
    ("lollipop", "A school crossing patrol for two years", 60_000,
     "A trained person helps children across at the busiest junction."),
]  # fmt: skip

BUS_PROJECTS = [
    ("shelters", "New bus shelters with seats", 80_000),
    ("night-line", "A night bus line on weekends", 150_000),
    ("step-free", "Step-free boarding at ten stops", 120_000),
    ("real-time", "Real-time arrival screens", 60_000),
    ("bike-bus", "Bike racks at the bus interchange", 20_000),
    ("minibus", "An on-demand minibus for the hills", 110_000),
]
#: (how many ballots, the projects they approve)
BUS_BALLOTS = [
    (14, ["night-line", "real-time"]),
    (12, ["step-free", "shelters"]),
    (10, ["minibus", "step-free"]),
    (9, ["shelters", "bike-bus", "real-time"]),
    (8, ["night-line"]),
    (7, ["minibus"]),
]


def _projects(budget: Budget, rows) -> None:
    Project.objects.bulk_create(
        [
            Project(
                budget=budget,
                key=row[0],
                title=row[1],
                cost=Decimal(row[2]),
                description=row[3] if len(row) > 3 else "",
                position=position,
            )
            for position, row in enumerate(rows)
        ]
    )


@transaction.atomic
def load_demo_budgets(*, force: bool = False) -> str:
    """Load the demo budgets when there are none and the demo process and people exist."""
    school = Process.objects.filter(slug=SCHOOL).first()
    buses = Process.objects.filter(slug=BUSES).first()
    sam = User.objects.filter(handle="sam").first()
    if Budget.objects.exists() or school is None or buses is None or sam is None:
        return ""
    voting = Budget.objects.create(
        process=school,
        title_en="Safe routes to school: 250,000 euros",
        title_es="Caminos escolares seguros: 250.000 euros",
        amount=Decimal(250_000),
        currency="EUR",
        ballot_kind=BallotKind.APPROVAL,
        knapsack=True,
        minimum_share=50,
        rule=Rule.EQUAL_SHARES_ADD1,
    )
    _projects(voting, SCHOOL_PROJECTS)
    voting.projects.update(area=school.areas.first(), topic=school.topics.first())
    guard = Proposal.objects.filter(
        process=school, state=ProposalState.ANSWERED, answer=AnswerKind.ACCEPTED
    ).first()
    if guard is not None:
        voting.projects.filter(key="lollipop").update(proposal=guard)
    services.cast_ballot(voting, sam, ["crossing-lights", "bike-racks", "speed-humps"])
    counted = Budget.objects.create(
        process=buses,
        title_en="Bus network 2026: neighbourhood budget",
        title_es="Red de autobuses 2026: presupuesto vecinal",
        amount=Decimal(300_000),
        currency="EUR",
        ballot_kind=BallotKind.APPROVAL,
        maximum_projects=3,
        rule=Rule.EQUAL_SHARES,
        is_closed=True,
    )
    _projects(counted, BUS_PROJECTS)
    number = 0
    for times, chosen in BUS_BALLOTS:
        for _time in range(times):
            number += 1
            counted.ballots.create(voter_key=f"demo-{number}", projects=chosen)
    services.count_budget(counted)
    return "Loaded 2 demo budgets: one in voting, one counted by equal shares."
