"""/api/v1/processes: the list paged by cursor and filtered by state, a process with its
phases and what the current phase allows the caller, creating one with its phases (refused
in the one error shape when they overlap), following one; pinned query counts."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from agora.directory.index import get_index
from agora.processes.models import PhaseKind, Process, ProcessFollow
from tests.api.conftest import assert_error
from tests.helpers import assert_constant_queries, signed_in

INFO, SUPPORT, CLOSED = PhaseKind.INFORMATION, PhaseKind.SUPPORT, PhaseKind.CLOSED
API = "/api/v1/processes"


def test_the_list_filters_by_state_and_pages_by_cursor(client, town):
    for number in range(22):
        town.process((INFO, -3, 3), title_en=f"Open {number}")
    town.process((INFO, 3, 6), title_en="Upcoming")
    town.process((INFO, -3, 3), title_en="Draft", is_published=False)
    first = client.get(API).json()
    assert len(first["items"]) == 20 and first["items"][0]["title"] == "Upcoming"
    second = client.get(API, {"before": first["next_cursor"]}).json()
    assert [item["title"] for item in second["items"]] == ["Open 2", "Open 1", "Open 0"]
    assert second["next_cursor"] is None
    upcoming = client.get(API, {"state": "upcoming"}).json()["items"]
    assert [(item["title"], item["state"]) for item in upcoming] == [("Upcoming", "upcoming")]
    assert_error(client.get(API, {"state": "someday"}), 422, "invalid")


def test_a_process_says_what_the_current_phase_allows_the_caller(client, town):
    process = town.process((INFO, -20, -10), (SUPPORT, -10, 10), (CLOSED, 10, None))
    body = signed_in(town.outsider).get(f"{API}/{process.slug}").json()
    assert [phase["kind"] for phase in body["phases"]] == ["information", "support", "closed"]
    assert body["current_phase"]["kind"] == "support"
    assert body["phases"][1]["allows"] == [
        "comment",
        "support",
        "sign",
        "answer",
        "vote",
        "respond",
        "register",
    ]
    assert {row["action"]: (row["allowed"], row["reason"]) for row in body["now"]} == {
        "comment": (False, "outside_areas"),
        "support": (False, "outside_areas"),
        "respond": (False, "outside_areas"),
        "register": (False, "outside_areas"),
        "sign": (False, "outside_areas"),
        "answer": (False, "not_the_office"),
        "vote": (False, "outside_areas"),
    }
    mine = signed_in(town.verified).get(f"{API}/{process.slug}").json()
    assert [row["allowed"] for row in mine["now"]] == [True, True, True, False, True, True, True]
    anonymous = client.get(f"{API}/{process.slug}").json()
    assert {row["reason"] for row in anonymous["now"]} == {"not_signed_in"}
    assert anonymous["areas"] == [{"slug": "north", "name": "North"}]
    assert "<strong>new lanes</strong>" in anonymous["description_html"]


def test_a_process_reads_in_spanish_when_asked(client, town):
    process = town.process((INFO, -3, 3))
    body = client.get(f"{API}/{process.slug}", headers={"Accept-Language": "es"}).json()
    assert body["title"] == "Carriles bici para el norte"


def test_a_draft_or_a_missing_process_answers_404(client, town):
    process = town.process((INFO, -3, 3), is_published=False)
    assert_error(client.get(f"{API}/{process.slug}"), 404, "not_found")
    assert_error(client.get(f"{API}/nothing-here"), 404, "not_found")
    assert signed_in(town.official).get(f"{API}/{process.slug}").status_code == 200


def _new(town, **changes):
    start = timezone.now() + timedelta(days=1)
    body = {
        "title_en": "Quieter nights",
        "office": "cycling-unit",
        "areas": ["north"],
        "participation": "areas",
        "is_published": True,
        "phases": [
            {
                "kind": "information",
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(days=5)).isoformat(),
            },
            {"kind": "closed", "starts_at": (start + timedelta(days=5)).isoformat()},
        ],
    }
    body.update(changes)
    return json.dumps(body)


def test_an_official_creates_a_process_through_the_api(town):
    response = signed_in(town.official).post(API, _new(town), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "quieter-nights"
    assert [phase["ends_at"] is None for phase in body["phases"]] == [False, True]


def test_overlapping_phases_are_refused_in_the_one_error_shape(town):
    start = timezone.now()
    phases = [
        {
            "kind": "information",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(days=5)).isoformat(),
        },
        {
            "kind": "debate",
            "starts_at": (start + timedelta(days=2)).isoformat(),
            "ends_at": (start + timedelta(days=9)).isoformat(),
        },
    ]
    response = signed_in(town.official).post(
        API, _new(town, phases=phases), content_type="application/json"
    )
    error = assert_error(response, 422, "invalid_phases")
    assert error["message"] == "Phases 1 and 2 overlap: phase 2 starts before phase 1 ends."
    backwards = [
        {
            "kind": "information",
            "starts_at": start.isoformat(),
            "ends_at": (start - timedelta(days=1)).isoformat(),
        }
    ]
    response = signed_in(town.official).post(
        API, _new(town, phases=backwards), content_type="application/json"
    )
    assert (
        "Phase 1 ends before it starts" in assert_error(response, 422, "invalid_phases")["message"]
    )
    assert not Process.objects.exists()


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("verified", 403, "forbidden"),
        ("other_official", 403, "forbidden"),
    ],
)
def test_only_the_office_and_administrators_create_processes(client, town, role, status, code):
    caller = client if role == "anonymous" else signed_in(town.people[role])
    response = caller.post(API, _new(town), content_type="application/json")
    assert_error(response, status, code)
    assert not Process.objects.exists()


def test_following_a_process_through_the_api(town):
    process = town.process((INFO, -3, 3))
    caller = signed_in(town.verified)
    assert caller.post(f"{API}/{process.slug}/follow").status_code == 204
    assert ProcessFollow.objects.filter(follower=town.verified, process=process).exists()
    assert caller.delete(f"{API}/{process.slug}/follow").status_code == 204
    assert not ProcessFollow.objects.exists()


def test_the_list_and_a_process_take_a_fixed_number_of_queries(client, town):
    process = town.process((INFO, -20, -10), (SUPPORT, -10, 10), (CLOSED, 10, None))
    verified = signed_in(town.verified)
    get_index()  # held by each process once built

    def grow():
        for number in range(5):
            town.process((INFO, -3, 3), (SUPPORT, 3, 9), title_en=f"More {number}")
        process.areas.add(town.south, town.city)

    assert_constant_queries(
        {
            "list": lambda: client.get(API),
            "process": lambda: client.get(f"{API}/{process.slug}"),
            "process, signed in": lambda: verified.get(f"{API}/{process.slug}"),
        },
        grow,
        expected={"list": 3, "process": 5, "process, signed in": 7},
    )
