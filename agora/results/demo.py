"""Demo results for `agora seed`, in English and Spanish, made and updated through the verbs:
in "Safe routes to school", the crossing guard of the demo's accepted proposal, under way;
in the affordable housing plan (its results phase), a renovation under way, an advice desk
that is done and modular homes that were dropped, with their reason. María and Sam follow
some of them."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from agora.accounts.models import User
from agora.processes.models import Process
from agora.results import origins, services
from agora.results.models import Result, ResultStatus, ResultUpdate
from agora.social.services import follow_source

SCHOOL = "safe-routes-to-school"
HOUSING = "affordable-housing-plan"

# (process, office official, title, description, [(days ago, text, status, progress,
# reason)], followers); the first comes from the school process's accepted proposal.
DEMO_RESULTS = [
    (
        SCHOOL,
        "roads_office",
        "A crossing guard at Riverside School",
        "A crossing guard at the Riverside crossing from 8:15 to 9:00 on school days, as "
        "the accepted proposal asks.",
        [
            (9, "The post is advertised; interviews next week.", ResultStatus.IN_PROGRESS, 25, ""),
            (
                2,
                "The guard is hired and trained. **First day: Monday.**",
                ResultStatus.IN_PROGRESS,
                75,
                "",
            ),
        ],
        ["maria"],
    ),
    (
        HOUSING,
        "housing_office",
        "Rehabilitación de 40 viviendas en la calle Mayor",
        "Aislamiento, ascensores y ventanas nuevas en los bloques 2 a 6 de la calle Mayor.",
        [
            (40, "Proyecto aprobado por la junta de gobierno.", ResultStatus.IN_PROGRESS, 10, ""),
            (12, "Obras de los bloques 2 y 3 terminadas; empiezan las del 4.", "", 35, ""),
        ],
        ["maria", "sam"],
    ),
    (
        HOUSING,
        "housing_office",
        "Housing advice desk at the library",
        "Free advice on rents, repairs and housing aid, twice a week at the central library.",
        [
            (30, "The desk opens on Tuesdays and Thursdays, 17:00 to 20:00.", "done", None, ""),
        ],
        ["sam"],
    ),
    (
        HOUSING,
        "housing_office",
        "Viviendas modulares en el solar de la estación",
        "Veinte viviendas modulares de alquiler asequible en el solar junto a la estación.",
        [
            (
                20,
                "El estudio del suelo encontró restos de la antigua vía.",
                ResultStatus.DROPPED,
                None,
                "El suelo necesita una descontaminación que cuesta más que las viviendas. El "
                "presupuesto pasa a la rehabilitación de la calle Mayor.",
            ),
        ],
        [],
    ),
]


@transaction.atomic
def load_demo_results(*, force: bool = False) -> str:
    """Load the demo results when there are none and the demo processes exist."""
    handles = ["roads_office", "housing_office", "maria", "sam"]
    people = {user.handle: user for user in User.objects.filter(handle__in=handles)}
    found = Process.objects.filter(slug__in=[SCHOOL, HOUSING]).select_related("office")
    processes = {process.slug: process for process in found}
    if Result.objects.exists() or len(people) < len(handles) or len(processes) < 2:
        return ""
    # The demo's accepted proposal (or whatever the apps above offer as waiting to become a
    # result there), through the registry: results does not know proposals.
    waiting = origins.waiting_in(processes[SCHOOL], limit=1)
    accepted = waiting[0][1] if waiting else None
    now = timezone.now()
    for number, (slug, by, title, description, updates, followers) in enumerate(DEMO_RESULTS):
        result = services.create_result(
            processes[slug],
            by=people[by],
            title=title,
            description=description,
            origins_of=[accepted] if number == 0 and accepted is not None else [],
        )
        first = updates[0][0] + 1
        Result.objects.filter(pk=result.pk).update(created_at=now - timedelta(days=first))
        for follower in followers:
            follow_source(result, by=people[follower])
        for days_ago, body, status, progress, reason in updates:
            update = services.add_update(
                result, by=people[by], body=body, status=status, progress=progress, reason=reason
            )
            moment = now - timedelta(days=days_ago)
            ResultUpdate.objects.filter(pk=update.pk).update(created_at=moment)
            Result.objects.filter(pk=result.pk).update(updated_at=moment)
    return f"Loaded {Result.objects.count()} demo results."
