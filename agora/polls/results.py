"""A poll's results, counted from its answers in one grouped query whatever the number of
responses: per option (choices; a ranking's Borda points, a rank r of n worth n - r + 1), per
value of a scale, per row and value of a matrix. Free-text answers are only counted here; the
staff read them on the results page (the latest, `TEXTS_SHOWN` a poll) and in the export."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from agora.polls.models import CHOICE_KINDS, TEXT_KINDS, Answer, Poll, Question, QuestionKind

TEXTS_SHOWN = 200
CHART_WIDTH = 220  # the longest bar, in the SVG's units


@dataclass
class Bar:
    label: str
    count: int  # answers (or Borda points on a ranking)
    share: int = 0  # percent of the question's respondents (or of the points)
    width: int = 0
    y: int = 0
    mean: float | None = None  # a matrix row's mean value


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def chart_height(self) -> int:
        return 48 * len(self.bars) + 8

    @property
    def is_text(self) -> bool:
        return self.question.kind in TEXT_KINDS


def count(poll: Poll, questions: list[Question], *, with_texts: bool) -> list[QuestionResult]:
    tallies: dict[int, dict[tuple, int]] = defaultdict(dict)
    answered: dict[int, int] = {}
    grouped = (
        Answer.objects.filter(question__poll=poll)
        .values_list("question_id", "option_id", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    for question_id, option_id, value, n in grouped:
        tallies[question_id][option_id, value] = n
    for question_id, n in (
        Answer.objects.filter(question__poll=poll)
        .values_list("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    ):
        answered[question_id] = n
    texts: dict[int, list[str]] = defaultdict(list)
    if with_texts:
        latest = (
            Answer.objects.filter(question__poll=poll, option__isnull=True)
            .exclude(text="")
            .order_by("-id")
            .values_list("question_id", "text")[:TEXTS_SHOWN]
        )
        for question_id, text in latest:
            texts[question_id].append(text)
    return [
        _result(question, tallies[question.pk], answered.get(question.pk, 0), texts[question.pk])
        for question in questions
    ]


def _result(question: Question, tally: dict, answered: int, texts: list[str]) -> QuestionResult:
    result = QuestionResult(question=question, answered=answered, texts=texts)
    options = list(question.options.all())
    if question.kind in CHOICE_KINDS:
        for option in options:
            if question.kind == QuestionKind.RANKING:
                ranked = {value: n for (chosen, value), n in tally.items() if chosen == option.pk}
                points = sum((len(options) - rank + 1) * n for rank, n in ranked.items())
                result.bars.append(Bar(label=option.label, count=points))
            else:
                result.bars.append(Bar(label=option.label, count=tally.get((option.pk, None), 0)))
        whole = (
            sum(bar.count for bar in result.bars)
            if question.kind == QuestionKind.RANKING
            else answered
        )
        _scale_bars(result.bars, whole)
    elif question.kind == QuestionKind.SCALE:
        for value in question.scale:
            result.bars.append(Bar(label=str(value), count=tally.get((None, value), 0)))
        _scale_bars(result.bars, answered)
        if answered:
            total = sum(int(bar.label) * bar.count for bar in result.bars)
            result.mean = round(total / answered, 2)
    elif question.kind == QuestionKind.MATRIX:
        for option in options:
            given = {value: n for (option_id, value), n in tally.items() if option_id == option.pk}
            total = sum(given.values())
            mean = round(sum(value * n for value, n in given.items()) / total, 2) if total else None
            result.bars.append(Bar(label=option.label, count=total, mean=mean))
        span = question.scale_max - question.scale_min
        for index, bar in enumerate(result.bars):
            bar.y = 48 * index
            if bar.mean is not None:
                bar.width = round(CHART_WIDTH * (bar.mean - question.scale_min) / span)
    return result


def _scale_bars(bars: list[Bar], whole: int) -> None:
    for index, bar in enumerate(bars):
        bar.y = 48 * index
        bar.share = round(100 * bar.count / whole) if whole else 0
        bar.width = round(CHART_WIDTH * bar.count / whole) if whole else 0
