"""Demo proposals for `agora seed`, in English and Spanish: two in the participatory budget's
proposals phase, written through the verbs; and, in "Safe routes to school" (its support
phase, threshold 2), two written in its earlier proposals phase, supported through the verbs
until one reaches the threshold and the roads office answers it."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from agora.accounts.models import User
from agora.core.text import render_markdown
from agora.processes.models import Process
from agora.proposals import services
from agora.proposals.models import Proposal, ProposalSettings

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


@transaction.atomic
def load_demo_proposals(*, force: bool = False) -> str:
    """Load the demo proposals when there are none and the demo processes exist."""
    handles = ["maria", "sam", "jonas", "lucia", "roads_office"]
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
    return f"Loaded {Proposal.objects.count()} demo proposals."
