"""The polls part of the JSON API: a poll's results as its page shows them (403 `results_hidden`
when the owner's choice hides them from the caller), and answering (the form's field names as
a JSON object; 422 naming the questions answered wrongly, 409 for a second response, 403 with
the reason's code when the phase or the process's rule refuses)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA, SIGNED_IN
from agora.core.api.errors import ApiError, error_responses
from agora.core.refusals import Refused
from agora.polls import answers, queries, results, services
from agora.polls.models import Response
from agora.polls.permissions import can_manage_poll, can_see_results, can_view_poll

router = Router(tags=["polls"])


class OptionResult(Schema):
    label: str
    count: int = Field(description="Answers; on a ranking, Borda points.")
    share: int = Field(description="Percent of those who answered (of the points, ranking).")
    mean: float | None = Field(description="A matrix row's mean value.")


class QuestionResult(Schema):
    id: int
    kind: str
    text: str
    answered: int
    mean: float | None
    options: list[OptionResult]
    texts: list[str] = Field(description="The latest written answers, for the staff only.")


class PollResults(Schema):
    id: int
    title: str
    responses: int
    questions: list[QuestionResult]


class ResponseIn(Schema):
    answers: dict[str, str | int | list[str | int]] = Field(
        description="The form's field names: `q<id>` (an option's id, a value, a text, or a "
        "list of option ids), `q<id>-o<option>` for a rank or a matrix row's value."
    )


class ResponseOut(Schema):
    id: int
    poll: int


def _person(request):
    return getattr(request, "auth", None) or request.user


def _poll(request, pk: int):
    poll, _sections, questions = queries.poll_with_questions(pk)
    if not can_view_poll(_person(request), poll):
        raise Http404
    return poll, questions


@router.get(
    "/{poll_id}/results",
    auth=ANYONE,
    response={200: PollResults, **error_responses(403, 404, 422)},
    summary="A poll's results",
    description="Open to whoever the poll's owner chose: those who answered, everyone once it "
    "closes, or only the staff. Written answers are listed for the staff only.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def read_results(request, poll_id: int):
    person = _person(request)
    poll, questions = _poll(request, poll_id)
    answered = queries.has_answered(poll, person, "")
    if not can_see_results(person, poll, answered=answered):
        raise ApiError(403, "results_hidden", _("The results of this poll are not shown to you."))
    counted = results.count(poll, questions, with_texts=can_manage_poll(person, poll))
    return {
        "id": poll.pk,
        "title": poll.title,
        "responses": Response.objects.filter(poll=poll).count(),
        "questions": [
            {
                "id": result.question.pk,
                "kind": result.question.kind,
                "text": result.question.text,
                "answered": result.answered,
                "mean": result.mean,
                "options": [
                    {"label": bar.label, "count": bar.count, "share": bar.share, "mean": bar.mean}
                    for bar in result.bars
                ],
                "texts": result.texts,
            }
            for result in counted
        ],
    }


@router.post(
    "/{poll_id}/responses",
    auth=SIGNED_IN,
    response={201: ResponseOut, **error_responses(400, 403, 404, 409, 422, 429)},
    summary="Answer a poll",
    description="Once per person. Every required question must be answered.",
)
def respond(request, poll_id: int, body: ResponseIn):
    person = _person(request)
    poll, questions = _poll(request, poll_id)
    reading = answers.read(questions, body.answers)
    if reading.errors:
        by_id = {question.pk: question for question in questions}
        described = "; ".join(
            f"q{key}: {by_id[key].text}: {message}" for key, message in reading.errors.items()
        )
        raise ApiError(422, "invalid", described)
    try:
        response = services.respond_to_poll(poll, by=person, reading=reading)
    except Refused as refusal:
        raise ApiError(refusal.status, refusal.code, refusal.messages[0]) from refusal
    except ValidationError as error:
        raise ApiError(429, "rate_limited", error.messages[0]) from error
    return Status(201, {"id": response.pk, "poll": poll.pk})
