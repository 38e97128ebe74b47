"""Demo proposals for `agora seed`, in English and Spanish: two in the participatory budget's
proposals phase, written through the verbs; in "Safe routes to school" (its support phase,
threshold 2), two written in its earlier proposals phase, supported through the verbs until
one reaches the threshold and the roads office answers it; and in the processes past their
proposals phase (debate, answers, results, closed), proposals written then, with a comment in
favour in the debate, and answers by their offices (one still awaited past its due date, so
the overdue flag and the accountability figures have something to show)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from agora.accounts.models import User
from agora.core.text import render_markdown
from agora.processes.models import Process
from agora.proposals import services
from agora.proposals.models import Proposal, ProposalSettings, ProposalState, Support

BUDGET = "participatory-budget-2027"
SCHOOL = "safe-routes-to-school"

# (author, title, body): written in the proposals phase of the budget, through `propose`.
BUDGET_PROPOSALS = [
    (
        "maria",
        "Bancos y sombra en el paseo del río",
        "Bancos cada 200 metros y **árboles** que den sombra en verano.",
    ),
]
# (author, title, body, days ago): written in the school process's earlier proposals phase.
SCHOOL_PROPOSALS = [
    (
        "sam",
        "A crossing guard at Riverside School",
        "Mornings at 8:30 are dangerous at the Riverside crossing. A **crossing guard** "
        "from 8:15 to 9:00 would make it safe.",
        20,
    ),
    (
        "maria",
        "Calles escolares cerradas al tráfico a la entrada",
        "Cerrar al tráfico la calle del colegio media hora a la entrada y a la salida.",
        18,
    ),
]


# (process, author, title, body, days ago, answer: (office account, kind, reasons) or None):
# written in the proposals phase of processes now past it.
LATER_PROPOSALS = [
    (
        "cleaner-streets-centro",
        "sam",
        "Bins with lids on Market Street",
        "Open bins on Market Street feed the **pigeons** and blow litter about. Bins with lids "
        "would keep the street clean.",
        30,
        None,
    ),
    (
        "cleaner-streets-centro",
        "maria",
        "Baldear la plaza Mayor después del mercado",
        "Los sábados la plaza queda sucia hasta el lunes. Baldearla al cerrar el mercado.",
        29,
        None,
    ),
    (
        "recycling-points",
        "lucia",
        "Recogida de aceite usado en cada barrio",
        "Un contenedor de **aceite usado** en cada barrio, junto a los de vidrio.",
        60,
        None,  # reached its threshold and waits for its answer past the due date
    ),
    (
        "recycling-points",
        "sam",
        "A battery drop-off at the library",
        "Used batteries end up in the bins. A drop-off box at the library would catch them.",
        58,
        ("waste_office", "planned", "Drop-off boxes go into every library next month."),
    ),
    (
        "affordable-housing-plan",
        "maria",
        "Alquiler asequible en los solares vacíos",
        "Hay solares municipales vacíos desde hace años: que se construya vivienda de "
        "alquiler asequible en ellos.",
        90,
        (
            "housing_office",
            "accepted",
            "El plan incluye 120 viviendas de alquiler asequible en tres solares municipales.",
        ),
    ),
    (
        "bus-network-2026",
        "jonas",
        "A night bus to the hospital",
        "Night shifts at the hospital start at 22:00 and end at 6:00, when no bus runs.",
        120,
        (
            "roads_office",
            "rejected",
            "The night lines of 2026 have no budget left; the hospital route is on the list "
            "for 2027.",
        ),
    ),
]


def _later_proposals(people: dict, now) -> None:
    """The proposals of the processes past their proposals phase (see LATER_PROPOSALS)."""
    processes = {
        process.slug: process
        for process in Process.objects.filter(slug__in={row[0] for row in LATER_PROPOSALS})
    }
    for slug, author, title, body, days_ago, answer in LATER_PROPOSALS:
        process = processes.get(slug)
        if process is None:
            continue
        proposal = Proposal.objects.create(
            process=process,
            author=people[author],
            title=title,
            body=body,
            body_html=render_markdown(body),
            created_at=now - timedelta(days=days_ago),
        )
        if process.slug == "recycling-points":
            # Supported in the support phase, so the answer clock started then.
            ProposalSettings.objects.get_or_create(
                process=process, defaults={"support_threshold": 2, "answer_days": 10}
            )
            for supporter in ("maria", "jonas"):
                Support.objects.create(proposal=proposal, person=people[supporter], process=process)
            Proposal.objects.filter(pk=proposal.pk).update(
                support_count=2,
                state=ProposalState.AWAITING_ANSWER,
                threshold_reached_at=now - timedelta(days=days_ago - 20),
                answer_due_at=now - timedelta(days=days_ago - 34),
            )
            proposal.refresh_from_db()
        if answer:
            office, kind, reasons = answer
            services.answer_proposal(proposal, by=people[office], answer=kind, reasons=reasons)
    bins = Proposal.objects.get(title=LATER_PROPOSALS[0][2])
    services.comment_on_proposal(
        bins,
        by=people["maria"],
        body="Yes: the pigeons empty the open bins every morning.",
        alignment="in_favour",
    )


@transaction.atomic
def load_demo_proposals(*, force: bool = False) -> str:
    """Load the demo proposals when there are none and the demo processes exist."""
    handles = ["maria", "sam", "jonas", "lucia", "roads_office", "waste_office", "housing_office"]
    people = {user.handle: user for user in User.objects.filter(handle__in=handles)}
    found = Process.objects.filter(slug__in=[BUDGET, SCHOOL]).prefetch_related("phases")
    processes = {process.slug: process for process in found}
    if Proposal.objects.exists() or len(people) < len(handles) or len(processes) < 2:
        return ""
    budget, school = processes[BUDGET], processes[SCHOOL]
    for author, title, body in BUDGET_PROPOSALS:
        services.propose(budget, by=people[author], title=title, body=body)
    ProposalSettings.objects.create(process=school, support_threshold=2, answer_days=10)
    now = timezone.now()
    written = []
    for author, title, body, days_ago in SCHOOL_PROPOSALS:
        written.append(
            Proposal.objects.create(
                process=school,
                author=people[author],
                title=title,
                body=body,
                body_html=render_markdown(body),
                created_at=now - timedelta(days=days_ago),
            )
        )
    guard, streets = written
    for supporter in ("maria", "jonas", "lucia"):
        services.support_proposal(guard, by=people[supporter])
    services.support_proposal(streets, by=people["sam"])
    services.answer_proposal(
        guard,
        by=people["roads_office"],
        answer="accepted",
        reasons="A crossing guard starts at Riverside School on the first Monday of next "
        "month, from 8:15 to 9:00 on school days.",
    )
    _later_proposals(people, now)
    return f"Loaded {Proposal.objects.count()} demo proposals."
