"""Polls and surveys: every kind of question answered through the form, one response per person
held by the database, wrong answers refused with what was typed kept, results shown as the
owner chose (to a second account too), visitors once per browser within a rate limit, the
staff's export, and the pages' query counts pinned."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agora.core.refusals import Refused
from agora.polls import answers, services
from agora.polls.models import Poll, Response, ResultsShown
from agora.processes.models import Phase, PhaseKind
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in

pytestmark = pytest.mark.django_db


def answer(survey, person, data=None):
    return signed_in(person).post(
        reverse("polls:detail", args=[survey.poll.pk]), data or survey.good_answers()
    )


def exported(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def questions(poll):
    return list(poll.questions.prefetch_related("options").order_by("position"))


def test_every_kind_of_question_is_answered_through_the_form_and_counted(survey):
    response = answer(survey, survey.town.signed_in)
    assert response.status_code == 302
    assert response["Location"] == reverse("polls:thanks", args=[survey.poll.pk])
    results = reverse("polls:results", args=[survey.poll.pk])
    page = main_part(signed_in(survey.town.signed_in).get(results))
    assert "1 response." in page
    staff = signed_in(survey.town.official)
    data = staff.get(f"/api/v1/polls/{survey.poll.pk}/results").json()
    by_kind = {question["kind"]: question for question in data["questions"]}
    assert [o["count"] for o in by_kind["single"]["options"]] == [0, 1, 0]
    assert [o["count"] for o in by_kind["multiple"]["options"]] == [1, 0, 1, 0]
    # Borda: first of three is worth 3 points, second 2.
    assert [o["count"] for o in by_kind["ranking"]["options"]] == [2, 0, 3]
    assert by_kind["scale"]["mean"] == 4
    assert [o["mean"] for o in by_kind["matrix"]["options"]] == [2, 5]
    assert by_kind["short_text"]["texts"] == ["Mill Lane"]
    assert by_kind["long_text"]["texts"] == ["More light\nunder the bridge"]


def test_one_response_per_person_is_held_by_the_database(survey):
    person = survey.town.signed_in
    Response.objects.create(poll=survey.poll, respondent=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(poll=survey.poll, respondent=person)
    reading = answers.read(questions(survey.poll), survey.good_answers())
    with pytest.raises(Refused) as refused:
        services.respond_to_poll(survey.poll, by=person, reading=reading)
    assert refused.value.code == "already_answered"
    assert Response.objects.filter(poll=survey.poll).count() == 1


def test_wrong_answers_are_refused_with_a_message_and_what_was_typed_is_kept(survey):
    data = survey.good_answers()
    q = survey.q
    data[f"q{q['multiple'].pk}"] = [str(survey.option("multiple", i)) for i in range(3)]
    data[f"q{q['ranking'].pk}-o{survey.option('ranking', 0)}"] = "3"  # a gap: 1, 3
    del data[f"q{q['single'].pk}"]
    data[f"q{q['scale'].pk}"] = "9"
    page = main_part(answer(survey, survey.town.signed_in, data), status=400)
    assert "Choose at most 2." in page
    assert "without gaps or repeats" in page
    assert "Answer this question." in page
    assert "Choose a value on the scale." in page
    assert 'value="Mill Lane"' in page  # what was typed stays
    assert "More light\nunder the bridge</textarea>" in page
    assert f'value="{survey.option("multiple", 0)}" checked' in page
    assert not Response.objects.exists()


def test_answering_outside_the_phases_that_allow_it_is_refused(survey):
    poll = survey.poll
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    page = main_part(answer(survey, survey.town.signed_in))
    assert "This poll is closed." in page
    assert not Response.objects.exists()
    Poll.objects.filter(pk=poll.pk).update(closes_at=None)
    Phase.objects.filter(process=poll.process).update(kind=PhaseKind.PROPOSALS)
    page = main_part(answer(survey, survey.town.signed_in))
    assert "The current phase of the process does not allow this." in page
    assert not Response.objects.exists()


def test_results_are_shown_as_the_owner_chose_also_to_a_second_account(survey):
    poll, town = survey.poll, survey.town
    url = reverse("polls:results", args=[poll.pk])
    answer(survey, town.signed_in)
    other = signed_in(town.verified)
    assert signed_in(town.signed_in).get(url).status_code == 200
    assert other.get(url).status_code == 403  # has not answered
    assert other.get(f"/api/v1/polls/{poll.pk}/results").json()["error"]["code"] == "results_hidden"
    Poll.objects.filter(pk=poll.pk).update(results_shown=ResultsShown.NEVER)
    assert signed_in(town.signed_in).get(url).status_code == 403
    assert signed_in(town.official).get(url).status_code == 200
    Poll.objects.filter(pk=poll.pk).update(
        results_shown=ResultsShown.AFTER_CLOSING, closes_at=timezone.now() - timedelta(days=1)
    )
    assert Client().get(url).status_code == 200
    # Written answers are for the staff only.
    assert "Mill Lane" not in main_part(other.get(url))
    assert "Mill Lane" in main_part(signed_in(town.official).get(url))


def test_visitors_answer_once_per_browser_and_within_the_rate_limit(survey, settings):
    poll = survey.poll
    url = reverse("polls:detail", args=[poll.pk])
    refused = main_part(Client().get(url))
    assert "Log in to take part." in refused
    Poll.objects.filter(pk=poll.pk).update(allows_visitors=True)
    browser = Client()
    browser.get(url)  # sets the browser's cookie
    assert browser.post(url, survey.good_answers()).status_code == 302
    assert "You have answered this poll." in main_part(browser.get(url))
    stored = Response.objects.get()
    assert stored.respondent is None
    assert stored.browser_key and stored.browser_key != browser.cookies["agora_poll_browser"].value
    settings.AGORA_POLL_VISITOR_RATE = "1/h"
    first, second = Client(), Client()
    for visitor in (first, second):
        visitor.get(url)
    assert first.post(url, survey.good_answers()).status_code == 302
    page = main_part(second.post(url, survey.good_answers()))
    assert "You are doing this too often." in page
    assert Response.objects.count() == 2


def test_the_staff_export_every_response_as_csv_named_only_when_not_anonymous(survey):
    poll, town = survey.poll, survey.town
    answer(survey, town.signed_in)
    url = reverse("polls:export", args=[poll.pk])
    assert signed_in(town.verified).get(url).status_code == 404
    rows = exported(signed_in(town.official).get(url))
    assert len(rows) == 2
    assert "Respondent" not in rows[0]
    assert "Mill Lane" in rows[1]
    assert "Bike" in rows[1]  # the single choice's label
    Poll.objects.filter(pk=poll.pk).update(is_anonymous=False)
    rows = exported(signed_in(town.official).get(url))
    assert rows[0][2] == "Respondent"
    assert rows[1][2] == town.signed_in.handle


def test_the_api_answers_a_poll_once_and_refuses_bad_answers_in_the_error_shape(survey):
    poll, town = survey.poll, survey.town
    client = signed_in(town.verified)
    url = f"/api/v1/polls/{poll.pk}/responses"
    bad = client.post(url, {"answers": {}}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid"
    assert f"q{survey.q['single'].pk}" in bad.json()["error"]["message"]
    good = client.post(url, {"answers": survey.good_answers()}, content_type="application/json")
    assert good.status_code == 201, good.content
    again = client.post(url, {"answers": survey.good_answers()}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_answered"
    assert Client().post(url, {"answers": {}}, content_type="application/json").status_code == 401


def test_the_poll_pages_and_the_results_endpoint_make_a_fixed_number_of_queries(survey):
    poll, town = survey.poll, survey.town
    answer(survey, town.signed_in)
    staff = signed_in(town.official)
    person = signed_in(town.signed_in)

    def grow():
        reading = answers.read(questions(poll), survey.good_answers())
        for person in UserFactory.create_batch(3):
            services.respond_to_poll(poll, by=person, reading=reading)

    assert_constant_queries(
        {
            "form": lambda: staff.get(reverse("polls:detail", args=[poll.pk])),
            "results": lambda: person.get(reverse("polls:results", args=[poll.pk])),
            "staff results": lambda: staff.get(reverse("polls:results", args=[poll.pk])),
            "api": lambda: staff.get(f"/api/v1/polls/{poll.pk}/results"),
        },
        grow,
        expected={"form": 10, "results": 13, "staff results": 14, "api": 14},
    )


def test_an_api_answer_sent_again_with_its_idempotency_key_is_kept_once(survey):
    from tests.api.idempotent import assert_idempotent

    assert_idempotent(
        signed_in(survey.town.verified),
        f"/api/v1/polls/{survey.poll.pk}/responses",
        {"answers": survey.good_answers()},
        {"answers": {}},
        count=Response.objects.count,
        content_type="application/json",
    )
