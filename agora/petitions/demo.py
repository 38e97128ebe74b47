"""Demo petitions for `agora seed`, in English and Spanish, in the "Safe routes to school"
process (its support phase runs, and anyone signed in may take part): the council's
thresholds (3 signatures: a written response from the office; 1,000: a debate in council);
an English petition to the roads office, co-sponsored, published, signed past its first
threshold and answered; and a Spanish one open for signatures. Written through the verbs;
the demo petitions need one co-sponsor each."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from agora.accounts.models import User
from agora.petitions import services
from agora.petitions.models import Brings, Petition, Threshold
from agora.processes.models import Process

SCHOOL = "safe-routes-to-school"


def _backed_and_published(petition: Petition, *, cosponsor: User, moderator: User) -> None:
    Petition.objects.filter(pk=petition.pk).update(cosponsors_needed=1)
    petition.refresh_from_db()
    services.ask_for_cosponsors(petition, by=petition.author)
    services.cosponsor(petition, token=petition.cosponsor_token, by=cosponsor)
    petition.refresh_from_db()
    services.publish_petition(petition, by=moderator)


@transaction.atomic
def load_demo_petitions(*, force: bool = False) -> str:
    """Load the demo petitions when there are none and the demo people and process exist."""
    handles = ["maria", "sam", "jonas", "lucia", "roads_office", "moderator"]
    people = {user.handle: user for user in User.objects.filter(handle__in=handles)}
    process = (
        Process.objects.filter(slug=SCHOOL)
        .select_related("office__authority")
        .prefetch_related("phases", "areas")
        .first()
    )
    if Petition.objects.exists() or len(people) < len(handles) or process is None:
        return ""
    for count, brings in ((3, Brings.RESPONSE), (1000, Brings.DEBATE)):
        Threshold.objects.get_or_create(
            authority=process.office.authority, brings=brings, defaults={"count": count}
        )
    today = timezone.localdate()
    lights = services.start_petition(
        by=people["sam"],
        title="Safe crossing lights on Riverside Avenue",
        asks="Install pedestrian crossing lights at the Riverside Avenue school crossing.",
        why="Cars reach **50 km/h** at the crossing children use every morning. Lights would "
        "stop the traffic while they cross.",
        process=process,
        closes_on=today + timedelta(days=60),
    )
    _backed_and_published(lights, cosponsor=people["jonas"], moderator=people["moderator"])
    for handle, show in (("maria", True), ("jonas", True), ("lucia", False)):
        services.sign_petition(lights, by=people[handle], show_name=show)
    services.respond_to_petition(
        lights,
        by=people["roads_office"],
        body="Crossing lights will be installed at Riverside Avenue during the school "
        "holidays. Until then, a crossing guard helps from 8:15 to 9:00.",
    )
    pavements = services.start_petition(
        by=people["maria"],
        title="Aceras más anchas en la calle del Río",
        asks="Ensanchar las aceras de la calle del Río entre el colegio y la plaza.",
        why="Las aceras miden menos de un metro: los niños caminan por la **calzada** a la "
        "entrada del colegio.",
        process=process,
        closes_on=today + timedelta(days=90),
    )
    _backed_and_published(pavements, cosponsor=people["lucia"], moderator=people["moderator"])
    services.sign_petition(pavements, by=people["sam"], show_name=True)
    return f"Loaded {Petition.objects.count()} demo petitions."
