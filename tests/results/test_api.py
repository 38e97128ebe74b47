"""/api/v1/results: the list of a process's results filtered by status and paged by cursor in
a fixed number of queries; a result with its updates, cases and origins; making a result and
writing an update, each refused in the one error shape (another office, progress 101, dropped
without a reason, a proposal not accepted) with nothing changed."""

import json

from agora.results.models import Result, ResultUpdate
from tests.api.conftest import assert_error
from tests.helpers import assert_constant_queries, signed_in
from tests.results.conftest import a_case, a_proposal, a_result, accepted_proposal, answers_process

API = "/api/v1/results"


def post(person, url, body):
    return signed_in(person).post(url, json.dumps(body), content_type="application/json")


def test_the_list_filters_and_pages_in_a_fixed_number_of_queries(client, town):
    process = answers_process(town)
    a_result(process, town.official, "Benches", status="done")

    def grow():
        for number in range(25):
            a_result(process, town.official, f"Lamp {number}", progress=number)

    found = assert_constant_queries(
        lambda: client.get(API, {"process": process.slug}), grow, expected=3
    )
    first = found[1].json()
    assert [item["title"] for item in first["items"][:2]] == ["Lamp 24", "Lamp 23"]
    assert first["items"][0]["progress"] == 24 and first["items"][0]["office"] == "cycling-unit"
    second = client.get(API, {"process": process.slug, "before": first["next_cursor"]}).json()
    seen = [item["id"] for item in first["items"] + second["items"]]
    assert len(seen) == len(set(seen)) == 26 and second["next_cursor"] is None
    done = client.get(API, {"process": process.slug, "status": "done"}).json()
    assert [item["title"] for item in done["items"]] == ["Benches"]
    assert_error(client.get(API, {"process": "nowhere"}), 422, "invalid")
    assert_error(client.get(API, {"process": process.slug, "status": "late"}), 422, "invalid")


def test_a_result_with_its_updates_cases_and_origins(client, town):
    process = answers_process(town)
    proposal = accepted_proposal(process, town.verified)
    case = a_case(town)
    result = a_result(process, town.official, origins_of=[proposal], cases=[case])
    body = client.get(f"{API}/{result.pk}").json()
    assert body["origins"] == [
        {
            "kind": "proposal",
            "id": proposal.pk,
            "title": proposal.title,
            "url": f"/proposals/{proposal.pk}/",
        }
    ]
    assert body["cases"] == [case.reference] and body["updates"] == []
    assert_error(client.get(f"{API}/{result.pk + 99}"), 404, "not_found")


def test_the_office_makes_a_result_and_updates_it_through_the_api(town):
    process = answers_process(town)
    proposal = accepted_proposal(process, town.verified)
    case = a_case(town)
    sent = {
        "process": process.slug,
        "title": "Cycle lane",
        "description": "Kerbs.",
        "status": "in_progress",
        "progress": 20,
        "cases": [case.reference],
        "origins": [{"kind": "proposal", "id": proposal.pk}],
    }
    created = post(town.official, API, sent)
    assert created.status_code == 201, created.content
    result = created.json()
    assert result["progress"] == 20 and result["origins"][0]["id"] == proposal.pk
    url = f"{API}/{result['id']}/updates"
    updated = post(town.official, url, {"body": "Half done.", "progress": 50})
    assert updated.status_code == 201, updated.content
    assert updated.json()["progress"] == 50 and updated.json()["updates"][0]["progress"] == 50
    dropped = post(town.official, url, {"body": "Stopped.", "status": "dropped"})
    assert "Say why the result is dropped." in assert_error(dropped, 422, "invalid")["message"]
    assert_error(post(town.official, url, {"body": "Big.", "progress": 101}), 422, "invalid")
    refused = post(town.other_official, url, {"body": "Ours.", "progress": 90})
    assert_error(refused, 403, "not_the_office")
    assert_error(post(town.verified, API, {**sent, "origins": []}), 403, "not_the_office")
    again = post(town.official, API, sent)
    assert "has its result already" in assert_error(again, 422, "invalid")["message"]
    assert Result.objects.get().progress == 50 and ResultUpdate.objects.count() == 1


def test_bad_origins_and_cases_are_refused(town):
    process = answers_process(town)
    waiting = a_proposal(process, town.verified)
    sent = {"process": process.slug, "title": "Cycle lane", "description": "Kerbs."}
    for extra, words in [
        ({"origins": [{"kind": "proposal", "id": waiting.pk}]}, "Only an accepted proposal"),
        ({"origins": [{"kind": "petition", "id": 1}]}, "unknown petition"),
        ({"cases": ["ZZZZ-ZZZZ"]}, "No case has the reference"),
        ({"office": "nowhere"}, "unknown nowhere"),
        ({"status": "dropped"}, "Say why"),
    ]:
        refused = post(town.official, API, {**sent, **extra})
        assert words in assert_error(refused, 422, "invalid")["message"], extra
    assert not Result.objects.exists()
