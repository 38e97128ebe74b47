"""The cases part of the JSON API: submitting, reading with the timeline, acting as the office,
lists in a constant number of queries, and errors in the API's one shape."""

import pytest

from agora.cases.models import Case, State
from tests.api.conftest import assert_error
from tests.directory.factories import OfficeFactory
from tests.helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db

NEW_CASE = {
    "kind": "report",
    "title": "Streetlight out",
    "description": "Dark for a week.",
    "topic": "street-lighting",
}


def test_a_resident_submits_a_case_and_reads_its_timeline(client, town):
    response = signed_in(town.resident, client).post(
        "/api/v1/cases", NEW_CASE, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["office"] == {"slug": "public-lighting", "name": "Public Lighting Unit"}
    assert [event["kind"] for event in body["events"]] == ["submitted", "routed"]
    assert body["events"][1]["to_office"]["slug"] == "public-lighting"
    assert body["events"][0]["actor"] is None  # the resident is not named on the case
    assert body["me_too"] == 0
    listed = client.get("/api/v1/cases").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"topic": "no-such-topic"}, 422, "unknown_topic"),
        ({"area": "atlantis"}, 422, "unknown_area"),
        ({"longitude": 1.0}, 422, "incomplete_location"),
        ({"description": "x" * 4001}, 422, "invalid"),
        ({"title": ""}, 422, "invalid"),
        ({"role": "admin"}, 422, "invalid"),
    ],
)
def test_bad_input_gets_the_error_shape_and_creates_nothing(client, town, changes, status, code):
    response = signed_in(town.resident, client).post(
        "/api/v1/cases", {**NEW_CASE, **changes}, content_type="application/json"
    )
    assert_error(response, status, code)
    assert not Case.objects.exists()


def test_anonymous_callers_cannot_submit(client, town):
    response = client.post("/api/v1/cases", NEW_CASE, content_type="application/json")
    assert response.status_code == 401
    assert not Case.objects.exists()


def test_the_office_acts_through_the_api_and_others_cannot(client, town):
    case = town.submit()
    url = f"/api/v1/cases/{case.pk}"
    signed_in(town.roads_official, client)
    assert_error(
        client.post(f"{url}/acknowledge", {}, content_type="application/json"), 403, "not_allowed"
    )
    signed_in(town.lighting_official, client)
    body = client.post(f"{url}/acknowledge", {}, content_type="application/json").json()
    assert body["state"] == State.ACKNOWLEDGED
    assert_error(
        client.post(f"{url}/acknowledge", {}, content_type="application/json"),
        409,
        "invalid_transition",
    )
    assert_error(
        client.post(f"{url}/transfer", {"office": "roads"}, content_type="application/json"),
        422,
        "missing_text",
    )
    body = client.post(
        f"{url}/transfer",
        {"office": "roads", "text": "Roads fix sign lamps."},
        content_type="application/json",
    ).json()
    assert body["office"]["slug"] == "roads" and body["transfers"] == 1
    transfer = body["events"][-1]
    assert transfer["from_office"]["slug"] == "public-lighting"
    assert transfer["text"] == "Roads fix sign lamps."


def test_a_private_case_answers_404_to_strangers(client, town):
    case = town.submit(is_public=False)
    assert_error(client.get(f"/api/v1/cases/{case.pk}"), 404, "not_found")
    assert signed_in(town.resident, client).get(f"/api/v1/cases/{case.pk}").status_code == 200


def test_the_inbox_is_for_the_office_only(client, town):
    town.submit()
    signed_in(town.roads_official, client)
    assert client.get("/api/v1/cases/offices/public-lighting/inbox").status_code == 404
    signed_in(town.lighting_official, client)
    body = client.get("/api/v1/cases/offices/public-lighting/inbox?state=new").json()
    assert body["count"] == 1


def test_an_offices_inbox_holds_its_parts_cases_as_the_page_does(client, town):
    unit = OfficeFactory(
        slug="lighting-north", parent=town.lighting_office, authority=town.lighting_office.authority
    )
    moved = town.submit(title="Lamp in the north")
    Case.objects.filter(pk=moved.pk).update(office=unit)
    town.submit(title="Lamp at the square")
    signed_in(town.lighting_official, client)
    items = client.get("/api/v1/cases/offices/public-lighting/inbox").json()["items"]
    assert {item["title"] for item in items} == {"Lamp in the north", "Lamp at the square"}
    items = client.get("/api/v1/cases/offices/lighting-north/inbox").json()["items"]
    assert [item["title"] for item in items] == ["Lamp in the north"]


def test_lists_read_in_a_constant_number_of_queries(client, town):
    signed_in(town.lighting_official, client)
    for number in range(5):
        town.submit(by=town.lighting_official, title=f"Lamp {number}")

    def add_more():
        for number in range(45):
            town.submit(by=town.lighting_official, title=f"More {number}")

    lists = assert_constant_queries(
        {
            "inbox": lambda: client.get("/api/v1/cases/offices/public-lighting/inbox"),
            "mine": lambda: client.get("/api/v1/cases"),
        },
        add_more,
        expected={"inbox": 7, "mine": 4},  # each also counts the request budget
    )
    for name in ("inbox", "mine"):
        few, many = (response.json() for response in lists[name])
        assert few["count"] == 5 and len(few["items"]) == 5
        assert many["count"] == 50 and len(many["items"]) == 50
