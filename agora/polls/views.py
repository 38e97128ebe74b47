"""Poll pages: answering (a plain form, every question kind without JavaScript), the results
(SVG charts with a table of the same figures; the free-text answers for the staff) and the
staff's CSV export."""

import csv

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agora.polls import answers, queries, results, services
from agora.polls.models import Response
from agora.polls.permissions import can_manage_poll, can_respond, can_see_results, can_view_poll

COOKIE_AGE = 365 * 24 * 3600


def detail(request, pk: int):
    poll, sections, questions = queries.poll_with_questions(pk)
    if not can_view_poll(request.user, poll):
        raise Http404
    raw_cookie = request.COOKIES.get(queries.BROWSER_COOKIE, "")
    answered = queries.has_answered(poll, request.user, raw_cookie)
    decision = can_respond(request.user, poll)
    reading, refusal = answers.Reading(), ""
    if request.method == "POST" and decision and not answered:
        reading = answers.read(questions, request.POST)
        if not reading.errors:
            try:
                services.respond_to_poll(
                    poll,
                    by=request.user,
                    reading=reading,
                    browser_key=queries.browser_key(raw_cookie),
                    address=request.META.get("REMOTE_ADDR", ""),
                )
            except ValidationError as error:
                refusal = error.messages[0]
            else:
                return redirect("polls:thanks", pk=poll.pk)
    context = {
        "poll": poll,
        "groups": queries.grouped(sections, list(answers.fields(questions, reading).values())),
        "answered": answered,
        "decision": decision,
        "reading": reading,
        "refusal": refusal,
        "results_visible": can_see_results(request.user, poll, answered=answered),
        "manages": can_manage_poll(request.user, poll),
    }
    response = render(request, "polls/detail.html", context, status=400 if reading.errors else 200)
    if not request.user.is_authenticated and poll.allows_visitors and not raw_cookie:
        response.set_cookie(
            queries.BROWSER_COOKIE,
            queries.new_browser_cookie(),
            max_age=COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def thanks(request, pk: int):
    poll, _sections, _questions = queries.poll_with_questions(pk)
    if not can_view_poll(request.user, poll):
        raise Http404
    answered = queries.has_answered(
        poll, request.user, request.COOKIES.get(queries.BROWSER_COOKIE, "")
    )
    context = {
        "poll": poll,
        "answered": answered,
        "results_visible": can_see_results(request.user, poll, answered=answered),
    }
    return render(request, "polls/thanks.html", context)


def results_page(request, pk: int):
    poll, sections, questions = queries.poll_with_questions(pk)
    if not can_view_poll(request.user, poll):
        raise Http404
    answered = queries.has_answered(
        poll, request.user, request.COOKIES.get(queries.BROWSER_COOKIE, "")
    )
    if not can_see_results(request.user, poll, answered=answered):
        raise PermissionDenied(_("The results of this poll are not shown to you."))
    manages = can_manage_poll(request.user, poll)
    counted = results.count(poll, questions, with_texts=manages)
    context = {
        "poll": poll,
        "results": counted,
        "responses": Response.objects.filter(poll=poll).count(),
        "manages": manages,
        "texts_shown": results.TEXTS_SHOWN,
    }
    return render(request, "polls/results.html", context)


class _Echo:
    def write(self, value):
        return value


def export(request, pk: int):
    """Every response as a row of CSV, one column per question (a ranking's and a matrix's
    options each a column), streamed a thousand responses at a time. Named only when the poll
    is not anonymous."""
    poll, _sections, questions = queries.poll_with_questions(pk)
    if not can_manage_poll(request.user, poll):
        raise Http404
    columns: list[tuple[int, int | None, str]] = []
    for question in questions:
        if question.kind in ("ranking", "matrix"):
            columns += [
                (question.pk, option.pk, f"{question.text} — {option.label}")
                for option in question.options.all()
            ]
        else:
            columns.append((question.pk, None, question.text))

    def rows():
        header = [_("Response"), _("Submitted")]
        if not poll.is_anonymous:
            header.append(_("Respondent"))
        yield header + [title for _question, _option, title in columns]
        responses = (
            Response.objects.filter(poll=poll)
            .select_related("respondent")
            .order_by("pk")
            .prefetch_related("answers__option")
        )
        for response in responses.iterator(chunk_size=1000):
            cells: dict[tuple, list[str]] = {}
            for answer in response.answers.all():
                ranked = answer.option_id and answer.value is not None
                key = (answer.question_id, answer.option_id if ranked else None)
                shown = (
                    str(answer.value)
                    if ranked or answer.option_id is None and answer.value is not None
                    else answer.option.label
                    if answer.option_id
                    else answer.text
                )
                cells.setdefault(key, []).append(shown)
            row = [response.pk, response.submitted_at.isoformat()]
            if not poll.is_anonymous:
                row.append(response.respondent.handle if response.respondent else "")
            row += ["; ".join(cells.get((question, option), [])) for question, option, _ in columns]
            yield row

    writer = csv.writer(_Echo())
    streamed = StreamingHttpResponse(
        (writer.writerow(row) for row in rows()), content_type="text/csv; charset=utf-8"
    )
    streamed["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}.csv"'
    return streamed
