"""A demo survey for `agora seed`, in English and Spanish, in the "Safe routes to school"
process (its support phase runs): one question of every kind in two sections, answered by two
demo residents through the verb, its results shown to those who answered."""

from django.db import transaction

from agora.accounts.models import User
from agora.polls import answers, services
from agora.polls.models import Option, Poll, Question, QuestionKind, Section
from agora.processes.models import Process

SCHOOL = "safe-routes-to-school"

CHOICES = {
    "walk": ("Walking", "A pie"),
    "bike": ("Cycling", "En bicicleta"),
    "bus": ("Bus", "En autobús"),
    "car": ("Car", "En coche"),
}


def _question(poll, section, position, kind, text_en, text_es, options=(), **more) -> Question:
    question = Question.objects.create(
        poll=poll,
        section=section,
        position=position,
        kind=kind,
        text_en=text_en,
        text_es=text_es,
        **more,
    )
    Option.objects.bulk_create(
        Option(question=question, position=index, label_en=en, label_es=es)
        for index, (en, es) in enumerate(options)
    )
    return question


@transaction.atomic
def load_demo_polls(*, force: bool = False) -> str:
    """Load the demo survey when there is none and the demo people and process exist."""
    people = {user.handle: user for user in User.objects.filter(handle__in=["maria", "jonas"])}
    process = Process.objects.filter(slug=SCHOOL).prefetch_related("phases").first()
    if Poll.objects.exists() or len(people) < 2 or process is None:
        return ""
    poll = Poll.objects.create(
        process=process,
        title_en="How do children get to school?",
        title_es="¿Cómo llegan los niños al colegio?",
        intro_en="Five minutes to tell the roads office how your family travels and what "
        "would make the way safer.",
        intro_es="Cinco minutos para contar a la oficina de vías cómo viaja su familia y qué "
        "haría el camino más seguro.",
    )
    today = Section.objects.create(poll=poll, position=0, title_en="Today", title_es="Hoy")
    wishes = Section.objects.create(
        poll=poll, position=1, title_en="What would help", title_es="Qué ayudaría"
    )
    mostly = _question(
        poll,
        today,
        0,
        QuestionKind.SINGLE,
        "How do they mostly travel?",
        "¿Cómo viajan la mayoría de los días?",
        CHOICES.values(),
    )
    also = _question(
        poll,
        today,
        1,
        QuestionKind.MULTIPLE,
        "Which other ways do they use?",
        "¿Qué otras formas usan?",
        CHOICES.values(),
        is_required=False,
        max_choices=3,
    )
    safe = _question(
        poll,
        today,
        2,
        QuestionKind.SCALE,
        "How safe does the way feel?",
        "¿Qué tan seguro se siente el camino?",
        low_label_en="not at all",
        low_label_es="nada",
        high_label_en="completely",
        high_label_es="totalmente",
    )
    crossings = _question(
        poll,
        today,
        3,
        QuestionKind.MATRIX,
        "How safe is each crossing?",
        "¿Qué tan seguro es cada cruce?",
        [("Riverside Avenue", "Avenida Ribera"), ("Market Square", "Plaza del Mercado")],
        low_label_en="dangerous",
        low_label_es="peligroso",
        high_label_en="safe",
        high_label_es="seguro",
    )
    ranked = _question(
        poll,
        wishes,
        4,
        QuestionKind.RANKING,
        "Rank what would help most",
        "Ordene lo que más ayudaría",
        [
            ("Crossing lights", "Semáforos"),
            ("Wider pavements", "Aceras más anchas"),
            ("A school bus", "Un autobús escolar"),
        ],
        max_choices=3,
    )
    street = _question(
        poll,
        wishes,
        5,
        QuestionKind.SHORT_TEXT,
        "Which street worries you most?",
        "¿Qué calle le preocupa más?",
        is_required=False,
    )
    _question(
        poll,
        wishes,
        6,
        QuestionKind.LONG_TEXT,
        "Anything else?",
        "¿Algo más?",
        is_required=False,
    )
    questions = list(poll.questions.prefetch_related("options").order_by("position"))
    option = {q.pk: [o.pk for o in q.options.all()] for q in questions}
    for person, (first, second, value, street_name) in {
        "maria": (0, 1, 2, "Riverside Avenue"),
        "jonas": (1, 0, 4, "Mill Lane"),
    }.items():
        data = {
            f"q{mostly.pk}": str(option[mostly.pk][first]),
            f"q{also.pk}": [str(option[also.pk][second])],
            f"q{safe.pk}": str(value),
            f"q{crossings.pk}-o{option[crossings.pk][0]}": str(value),
            f"q{crossings.pk}-o{option[crossings.pk][1]}": "3",
            f"q{ranked.pk}-o{option[ranked.pk][first]}": "1",
            f"q{ranked.pk}-o{option[ranked.pk][2]}": "2",
            f"q{street.pk}": street_name,
        }
        reading = answers.read(questions, data)
        services.respond_to_poll(poll, by=people[person], reading=reading)
    return "Loaded a demo survey with two responses."
