"""Demo meetings for `agora seed`, in English and Spanish: a town hall of the "Safe routes to
school" process next week with its two seats taken and one person waiting, and a walk of the
roads office held last month, with its minutes, attendance and the proposals it looked at."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from agora.accounts.models import User
from agora.meetings import queries, services
from agora.meetings.models import Meeting, Mode
from agora.processes.models import Process

SCHOOL = "safe-routes-to-school"


@transaction.atomic
def load_demo_meetings(*, force: bool = False) -> str:
    handles = ["maria", "jonas", "lucia", "roads_office"]
    people = {user.handle: user for user in User.objects.filter(handle__in=handles)}
    process = Process.objects.filter(slug=SCHOOL).select_related("office").first()
    if Meeting.objects.exists() or len(people) < len(handles) or process is None:
        return ""
    start = (timezone.now() + timedelta(days=7)).replace(hour=18, minute=0, second=0, microsecond=0)
    town_hall = Meeting.objects.create(
        process=process,
        title_en="Town hall: safe routes to school",
        title_es="Asamblea: caminos seguros al colegio",
        description_en="The roads office presents the survey's first figures and hears you.",
        description_es="La oficina de vías presenta las primeras cifras de la encuesta y "
        "le escucha.",
        agenda_en="Welcome\nWhat the survey says\nYour questions\nNext steps",
        agenda_es="Bienvenida\nQué dice la encuesta\nSus preguntas\nPróximos pasos",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        mode=Mode.HYBRID,
        address="Riverside Primary School, Riverside Avenue 12",
        latitude="40.416800",
        longitude="-3.703800",
        online_url="https://meet.example.org/safe-routes",
        capacity=2,
        step_free=True,
        sign_language=True,
        childcare=True,
        accessibility_en="The hall is on the ground floor; a hearing loop is fitted.",
        accessibility_es="La sala está en la planta baja; tiene bucle magnético.",
    )
    for handle in ("maria", "jonas", "lucia"):
        services.register_for_meeting(town_hall, by=people[handle])
    walked = timezone.now() - timedelta(days=30)
    walk = Meeting.objects.create(
        office=process.office,
        title_en="Walk of the school routes",
        title_es="Recorrido de los caminos escolares",
        starts_at=walked,
        ends_at=walked + timedelta(hours=1),
        address="Market Square",
    )
    services.publish_minutes(
        walk,
        by=people["roads_office"],
        minutes_en="We walked the three routes. Riverside Avenue needs crossing lights first.",
        minutes_es="Recorrimos los tres caminos. La Avenida Ribera necesita semáforos primero.",
    )
    services.record_attendance(walk, by=people["roads_office"], attended=set(), unnamed=14)
    # The walk looked at the process's first proposals (seeded before meetings).
    proposals, _results = queries.discussable(walk)
    for proposal in proposals.filter(process=process).order_by("pk")[:2]:
        services.link_discussed(walk, by=people["roads_office"], proposal_id=proposal.pk)
    return "Loaded 2 demo meetings, one with a waiting list."
