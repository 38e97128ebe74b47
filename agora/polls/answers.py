"""Reading a response from a submitted form: each question's field (`q<id>`, or `q<id>-o<option>`
for a ranking's ranks and a matrix's rows), checked against the question, into the answers to
store, with a message for every question answered wrongly and what was typed, to show again.

The same reader serves the page and the API (which sends the same names as a JSON object)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora.polls.models import (
    LONG_TEXT_MAX_LENGTH,
    SHORT_TEXT_MAX_LENGTH,
    Question,
    QuestionKind,
)


@dataclass
class Reading:
    answers: list[dict] = field(default_factory=list)  # Answer fields, without the response
    errors: dict[int, str] = field(default_factory=dict)  # question id -> message
    typed: dict[str, list[str]] = field(default_factory=dict)  # field name -> values


def _values(data, name: str) -> list[str]:
    if hasattr(data, "getlist"):
        values = data.getlist(name)
    else:
        value = data.get(name)
        values = value if isinstance(value, list) else ([] if value is None else [value])
    return [str(value).strip() for value in values if str(value).strip()]


def _integer(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def read(questions: list[Question], data) -> Reading:
    """`questions` with their options prefetched; `data` a QueryDict or a dict."""
    reading = Reading()
    for question in questions:
        message = _read_one(question, data, reading)
        if message:
            reading.errors[question.pk] = message
    if reading.errors:
        reading.answers = []
    return reading


def _read_one(question: Question, data, reading: Reading) -> str:
    name = f"q{question.pk}"
    options = {option.pk: option for option in question.options.all()}
    kind = question.kind
    if kind in (QuestionKind.RANKING, QuestionKind.MATRIX):
        given = {}
        for option_id in options:
            values = _values(data, f"{name}-o{option_id}")
            reading.typed[f"{name}-o{option_id}"] = values
            if values:
                given[option_id] = _integer(values[0])
        if not given:
            return _("Answer this question.") if question.is_required else ""
        if kind == QuestionKind.MATRIX:
            if any(value not in question.scale for value in given.values()):
                return _("Choose a value on the scale for each row.")
            if question.is_required and len(given) < len(options):
                return _("Answer every row.")
            for option_id, value in given.items():
                reading.answers.append(
                    {"question": question, "option": options[option_id], "value": value}
                )
            return ""
        ranks = sorted(given.values(), key=lambda rank: rank or 0)
        if None in ranks or ranks != list(range(1, len(ranks) + 1)):
            return _("Number your choices 1, 2, 3… without gaps or repeats.")
        if question.max_choices and len(ranks) > question.max_choices:
            return ngettext(
                "Rank at most %(count)d choice.",
                "Rank at most %(count)d choices.",
                question.max_choices,
            ) % {"count": question.max_choices}
        for option_id, rank in given.items():
            reading.answers.append(
                {"question": question, "option": options[option_id], "value": rank}
            )
        return ""
    values = _values(data, name)
    reading.typed[name] = values
    if not values:
        return _("Answer this question.") if question.is_required else ""
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        chosen = [options.get(_integer(value)) for value in values]
        if None in chosen or len(set(values)) != len(values):
            return _("Choose from the choices given.")
        if kind == QuestionKind.SINGLE and len(chosen) > 1:
            return _("Choose one.")
        if kind == QuestionKind.MULTIPLE:
            if len(chosen) < question.min_choices:
                return ngettext(
                    "Choose at least %(count)d.", "Choose at least %(count)d.", question.min_choices
                ) % {"count": question.min_choices}
            if question.max_choices and len(chosen) > question.max_choices:
                return ngettext(
                    "Choose at most %(count)d.", "Choose at most %(count)d.", question.max_choices
                ) % {"count": question.max_choices}
        reading.answers.extend({"question": question, "option": option} for option in chosen)
        return ""
    if kind == QuestionKind.SCALE:
        value = _integer(values[0])
        if value not in question.scale:
            return _("Choose a value on the scale.")
        reading.answers.append({"question": question, "value": value})
        return ""
    limit = SHORT_TEXT_MAX_LENGTH if kind == QuestionKind.SHORT_TEXT else LONG_TEXT_MAX_LENGTH
    text = "\n".join(values)
    if len(text) > limit:
        return ngettext(
            "Write at most %(count)d character.", "Write at most %(count)d characters.", limit
        ) % {"count": limit}
    reading.answers.append({"question": question, "text": text})
    return ""


@dataclass
class OptionField:
    option: object
    name: str  # the field of a ranking's rank or a matrix row's value
    checked: bool  # a choice ticked
    typed: str  # a rank or a row's value, as sent


@dataclass
class QuestionField:
    """What the form shows of a question: its field names and what was typed, and the error."""

    question: Question
    name: str
    error: str
    typed: str
    options: list[OptionField]


def fields(questions: list[Question], reading: Reading) -> dict[int, QuestionField]:
    shown = {}
    for question in questions:
        name = f"q{question.pk}"
        typed = reading.typed.get(name, [])
        options = []
        for option in question.options.all():
            option_name = f"{name}-o{option.pk}"
            options.append(
                OptionField(
                    option=option,
                    name=option_name,
                    checked=str(option.pk) in typed,
                    typed=(reading.typed.get(option_name) or [""])[0],
                )
            )
        shown[question.pk] = QuestionField(
            question=question,
            name=name,
            error=reading.errors.get(question.pk, ""),
            typed="\n".join(typed),
            options=options,
        )
    return shown
