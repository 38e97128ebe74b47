"""A survey with one question of every kind, in a process of the processes' test town whose
support phase runs (anyone signed in may take part)."""

from dataclasses import dataclass

import pytest

from agora.polls.models import Option, Poll, Question, QuestionKind, Section
from agora.processes.models import Participation, PhaseKind
from tests.processes.conftest import Town, build_town


@dataclass
class Survey:
    town: Town
    poll: Poll
    q: dict  # questions by a short name

    def option(self, name: str, index: int) -> int:
        return list(self.q[name].options.order_by("position"))[index].pk

    def good_answers(self) -> dict:
        """A complete, valid response, as the form sends it."""
        q = self.q
        return {
            f"q{q['single'].pk}": str(self.option("single", 1)),
            f"q{q['multiple'].pk}": [str(self.option("multiple", i)) for i in (0, 2)],
            f"q{q['ranking'].pk}-o{self.option('ranking', 2)}": "1",
            f"q{q['ranking'].pk}-o{self.option('ranking', 0)}": "2",
            f"q{q['scale'].pk}": "4",
            f"q{q['matrix'].pk}-o{self.option('matrix', 0)}": "2",
            f"q{q['matrix'].pk}-o{self.option('matrix', 1)}": "5",
            f"q{q['short'].pk}": "Mill Lane",
            f"q{q['long'].pk}": "More light\nunder the bridge",
        }


def add_question(poll, section, position, kind, text, options=(), **more) -> Question:
    question = Question.objects.create(
        poll=poll,
        section=section,
        position=position,
        kind=kind,
        text_en=text,
        text_es=f"ES {text}",
        **more,
    )
    for index, label in enumerate(options):
        Option.objects.create(
            question=question, position=index, label_en=label, label_es=f"ES {label}"
        )
    return question


def build_survey(town: Town, **fields) -> Survey:
    process = town.process(
        (PhaseKind.SUPPORT, -1, 10), participation=Participation.SIGNED_IN, slug="survey-town"
    )
    poll = Poll.objects.create(
        process=process, title_en="How do you travel?", title_es="¿Cómo viaja?", **fields
    )
    first = Section.objects.create(poll=poll, position=0, title_en="Travel", title_es="Viajes")
    second = Section.objects.create(poll=poll, position=1, title_en="Ideas", title_es="Ideas")
    q = {
        "single": add_question(
            poll, first, 0, QuestionKind.SINGLE, "Mostly?", ["Walk", "Bike", "Bus"]
        ),
        "multiple": add_question(
            poll,
            first,
            1,
            QuestionKind.MULTIPLE,
            "Also?",
            ["Walk", "Bike", "Bus", "Car"],
            min_choices=1,
            max_choices=2,
        ),
        "ranking": add_question(
            poll,
            first,
            2,
            QuestionKind.RANKING,
            "Rank these",
            ["Lights", "Pavements", "Buses"],
            max_choices=3,
        ),
        "scale": add_question(
            poll, first, 3, QuestionKind.SCALE, "How safe?", low_label_en="no", high_label_en="yes"
        ),
        "matrix": add_question(
            poll, second, 4, QuestionKind.MATRIX, "Each crossing?", ["Riverside", "Market"]
        ),
        "short": add_question(poll, second, 5, QuestionKind.SHORT_TEXT, "Which street?"),
        "long": add_question(
            poll, second, 6, QuestionKind.LONG_TEXT, "Anything else?", is_required=False
        ),
    }
    return Survey(town=town, poll=poll, q=q)


@pytest.fixture
def survey(db) -> Survey:
    return build_survey(build_town())
