"""/api/v1/proposals: the list with the page's filters and sorts, paged by cursor, in a fixed
number of queries; a proposal; proposing, supporting, withdrawing and answering, each
refused in the one error shape with the reason of `can_act`."""

import json

from agora.proposals.models import Proposal, ProposalState
from tests.api.conftest import assert_error
from tests.helpers import assert_constant_queries, signed_in
from tests.proposals.conftest import a_proposal, proposals_process, residents, support_process

API = "/api/v1/proposals"


def test_the_list_filters_sorts_and_pages_in_a_fixed_number_of_queries(client, town):
    process = support_process(town, threshold=50)
    a_proposal(process, town.verified, "Benches", topic=town.cycling)

    def grow():
        for number in range(25):
            a_proposal(process, town.verified, f"Idea {number}", support_count=number)

    fetch = {
        "newest": lambda: client.get(API, {"process": process.slug}),
        "supported": lambda: client.get(API, {"process": process.slug, "sort": "supported"}),
    }
    results = assert_constant_queries(fetch, grow, expected={"newest": 3, "supported": 3})
    first = results["supported"][1].json()
    assert [item["title"] for item in first["items"][:2]] == ["Idea 24", "Idea 23"]
    second = client.get(
        API, {"process": process.slug, "sort": "supported", "after": first["next_cursor"]}
    ).json()
    seen = [item["id"] for item in first["items"] + second["items"]]
    assert len(seen) == len(set(seen)) == 26
    topic = client.get(API, {"process": process.slug, "topic": "cycling"}).json()
    assert [item["title"] for item in topic["items"]] == ["Benches"]


def test_a_proposal_and_a_missing_one(client, town):
    process = support_process(town)
    proposal = a_proposal(process, town.verified)
    body = client.get(f"{API}/{proposal.pk}").json()
    assert body["state"] == "published" and body["process"] == process.slug
    assert_error(client.get(f"{API}/{proposal.pk + 99}"), 404, "not_found")


def test_proposing_through_the_api_and_the_refusal_outside_the_phase(town):
    process = proposals_process(town)
    body = {"process": process.slug, "title": "Benches", "body": "More benches.", "topic": None}
    created = signed_in(town.verified).post(API, json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["title"] == "Benches"
    other = support_process(town, title_en="Later")
    late = signed_in(town.verified).post(
        API, json.dumps({**body, "process": other.slug}), content_type="application/json"
    )
    assert_error(late, 403, "outside_phase")
    too_long = signed_in(town.verified).post(
        API, json.dumps({**body, "title": "t" * 151}), content_type="application/json"
    )
    assert too_long.status_code == 422
    assert Proposal.objects.count() == 1


def test_supporting_withdrawing_and_answering_through_the_api(town):
    process = support_process(town, threshold=1)
    proposal = a_proposal(process, town.verified)
    (someone,) = residents(1)
    url = f"{API}/{proposal.pk}/support"
    body = signed_in(someone).post(url).json()
    assert body["changed"] is True and body["support_count"] == 1
    assert body["state"] == "awaiting_answer"
    again = signed_in(someone).post(url).json()
    assert again["changed"] is False and again["support_count"] == 1
    assert_error(signed_in(town.official).post(url), 403, "office_takes_no_part")
    answer = {"answer": "rejected", "reasons": ""}
    wrong = signed_in(town.other_official).post(
        f"{API}/{proposal.pk}/answer", json.dumps(answer), content_type="application/json"
    )
    assert_error(wrong, 403, "not_the_office")
    missing = signed_in(town.official).post(
        f"{API}/{proposal.pk}/answer", json.dumps(answer), content_type="application/json"
    )
    assert missing.status_code == 422
    answered = signed_in(town.official).post(
        f"{API}/{proposal.pk}/answer",
        json.dumps({"answer": "accepted", "reasons": "Yes."}),
        content_type="application/json",
    )
    assert answered.status_code == 200
    assert answered.json()["answer_office"] == "cycling-unit"
    closed = signed_in(someone).delete(url)  # an answered proposal keeps its supports
    assert closed.status_code == 422
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.ANSWERED
    assert Proposal.objects.get(pk=proposal.pk).support_count == 1


def test_similar_proposals_for_a_title_being_typed(client, town, django_assert_num_queries):
    process = support_process(town)
    a_proposal(process, town.verified, "Benches on the square")
    a_proposal(process, town.verified, "A cycle lane")
    a_proposal(process, town.verified, "Hidden benches", moderation_state="hidden")
    url = f"{API}/similar"
    with django_assert_num_queries(3):
        found = client.get(url, {"process": process.slug, "title": "More BENCHES please"}).json()
    assert [item["title"] for item in found] == ["Benches on the square"]
    assert found[0]["state_label"] == "Published" and found[0]["url"].startswith("/proposals/")
    assert client.get(url, {"process": process.slug, "title": "Go"}).json() == []
    assert_error(client.get(url, {"process": "nowhere", "title": "Benches"}), 422, "invalid")
