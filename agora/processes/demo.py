"""Demo processes for `agora seed`: one standing in each kind of phase (information,
proposals, debate, support, answers, results, closed), in English and Spanish, created by the
demo officials through the services like real ones, followed by demo residents, and a piece of
news on one of them."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from agora.accounts.models import User
from agora.directory.models import Area, Office, Topic
from agora.processes import services
from agora.processes.models import Participation, PhaseKind, Process
from agora.social.services import follow_source

PHASE_DAYS = 21

# (slug, office, by, rule, areas, topics, current kind, English, Spanish)
DEMO_PROCESSES = [
    (
        "new-mobility-plan",
        "roads-mobility",
        "roads_office",
        Participation.VERIFIED,
        ["villaverde"],
        ["mobility", "cycling", "buses"],
        PhaseKind.INFORMATION,
        (
            "New mobility plan",
            "How we will move around Villaverde in the next ten years: buses, bikes, walking "
            "and parking. Read the **diagnosis** first; proposals open next.",
        ),
        (
            "Nuevo plan de movilidad",
            "Cómo nos moveremos por Villaverde en los próximos diez años: autobuses, bicis, "
            "a pie y aparcamiento. Lee primero el **diagnóstico**; después se abren las "
            "propuestas.",
        ),
    ),
    (
        "participatory-budget-2027",
        "roads-mobility",
        "roads_office",
        Participation.VERIFIED,
        ["villaverde"],
        ["roads", "street-furniture"],
        PhaseKind.PROPOSALS,
        (
            "Participatory budget 2027",
            "Two million euros for the streets residents choose. Propose what your "
            "neighbourhood needs.",
        ),
        (
            "Presupuestos participativos 2027",
            "Dos millones de euros para las calles que elijan los vecinos. Propón lo que "
            "necesita tu barrio.",
        ),
    ),
    (
        "cleaner-streets-centro",
        "waste-cleaning",
        "waste_office",
        Participation.AREAS,
        ["centro"],
        ["street-cleaning", "bins"],
        PhaseKind.DEBATE,
        (
            "Cleaner streets in Centro",
            "For the residents of Centro: when should streets be washed, and where do bins belong?",
        ),
        (
            "Calles más limpias en Centro",
            "Para los vecinos de Centro: ¿cuándo baldear las calles y dónde poner los "
            "contenedores?",
        ),
    ),
    (
        "safe-routes-to-school",
        "roads-mobility",
        "roads_office",
        Participation.SIGNED_IN,
        ["riverside"],
        ["cycling", "pavements"],
        PhaseKind.SUPPORT,
        (
            "Safe routes to school",
            "Which crossings and pavements in Riverside to make safe first. Support the "
            "proposals you want done.",
        ),
        (
            "Caminos escolares seguros",
            "Qué cruces y aceras de La Ribera hacer seguros primero. Apoya las propuestas "
            "que quieras ver hechas.",
        ),
    ),
    (
        "recycling-points",
        "waste-cleaning",
        "waste_office",
        Participation.VERIFIED,
        ["villaverde"],
        ["recycling"],
        PhaseKind.ANSWERS,
        (
            "A recycling point for every block",
            "The proposals that reached their threshold are being answered by the office.",
        ),
        (
            "Un punto de reciclaje en cada manzana",
            "La oficina está respondiendo a las propuestas que alcanzaron el umbral.",
        ),
    ),
    (
        "affordable-housing-plan",
        "housing",
        "housing_office",
        Participation.VERIFIED,
        ["villaverde"],
        ["housing-planning", "social-housing"],
        PhaseKind.RESULTS,
        (
            "Affordable housing plan",
            "What came of the accepted proposals: follow the works as they progress.",
        ),
        (
            "Plan de vivienda asequible",
            "Qué ha sido de las propuestas aceptadas: sigue las obras según avanzan.",
        ),
    ),
    (
        "bus-network-2026",
        "roads-mobility",
        "roads_office",
        Participation.VERIFIED,
        ["villaverde"],
        ["buses"],
        PhaseKind.CLOSED,
        (
            "Bus network 2026",
            "The new bus lines were chosen with residents and run since September.",
        ),
        (
            "Red de autobuses 2026",
            "Las nuevas líneas se eligieron con los vecinos y funcionan desde septiembre.",
        ),
    ),
]

PHASE_TITLES = {
    PhaseKind.INFORMATION: ("What we know", "Lo que sabemos"),
    PhaseKind.PROPOSALS: ("Your proposals", "Tus propuestas"),
}


def demo_phases(current: str, now) -> list[services.PhaseInput]:
    """Every kind of phase in order, each three weeks long, with `current` running now (a
    week into it) and the closed phase open-ended."""
    kinds = list(PhaseKind.values)
    index = kinds.index(current)
    phases = []
    for position, kind in enumerate(kinds):
        starts = now + timedelta(days=PHASE_DAYS * (position - index) - 7)
        starts = starts.replace(hour=9, minute=0, second=0, microsecond=0)
        ends = None if kind == PhaseKind.CLOSED else starts + timedelta(days=PHASE_DAYS)
        title_en, title_es = PHASE_TITLES.get(kind, ("", ""))
        phases.append(
            services.PhaseInput(
                kind=kind, starts_at=starts, ends_at=ends, title_en=title_en, title_es=title_es
            )
        )
    return phases


@transaction.atomic
def load_demo_processes(*, force: bool = False) -> str:
    """Load the demo processes when there are none and the demo officials and directory
    exist."""
    handles = ["roads_office", "waste_office", "housing_office", "maria", "sam", "jonas"]
    people = {user.handle: user for user in User.objects.filter(handle__in=handles)}
    if Process.objects.exists() or len(people) < len(handles) or not Office.objects.exists():
        return ""
    now = timezone.now()
    for slug, office, by, rule, areas, topics, current, english, spanish in DEMO_PROCESSES:
        process = services.create_process(
            by=people[by],
            slug=slug,
            title_en=english[0],
            description_en=english[1],
            title_es=spanish[0],
            description_es=spanish[1],
            office=Office.objects.get(slug=office),
            participation=rule,
            is_published=True,
            areas=Area.objects.filter(slug__in=areas),
            topics=Topic.objects.filter(slug__in=topics),
            phases=demo_phases(current, now),
        )
        for follower in ("maria", "sam"):
            follow_source(process, by=people[follower])
        if current == PhaseKind.PROPOSALS:
            services.post_process_news(
                process,
                by=people[by],
                body="Proposals are open until the end of the month. Meet us at the library "
                "on Thursday at 18:00 if you want help writing yours.",
            )
    # The phases running now are announced to the followers, as the worker would.
    services.announce_started_phases(now=now)
    return f"Loaded {Process.objects.count()} demo participation processes."
