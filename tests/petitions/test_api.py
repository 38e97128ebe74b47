"""/api/v1/petitions: the list paged by cursor in a fixed number of queries; a petition with
its signatures by area; starting, collecting co-sponsors, co-signing, signing once (withdrawing
is not allowed), each refused in the one error shape."""

import json
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from agora.petitions.models import Petition, PetitionState, Signature
from tests.api.conftest import assert_error
from tests.helpers import assert_constant_queries, signed_in
from tests.moderation.conftest import rules  # noqa: F401 (a fixture)
from tests.petitions.conftest import a_draft, an_open_petition, residents, thresholds

API = "/api/v1/petitions"


def _post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_the_list_pages_in_a_fixed_number_of_queries(client, town):
    an_open_petition(town, title="First")

    def grow():
        for number in range(22):
            an_open_petition(town, title=f"Petition {number}")

    results = assert_constant_queries(lambda: client.get(API), grow, expected=2)
    first = results[1].json()
    assert first["items"][0]["title"] == "Petition 21" and len(first["items"]) == 20
    second = client.get(API, {"after": first["next_cursor"]}).json()
    seen = [item["id"] for item in first["items"] + second["items"]]
    assert len(seen) == len(set(seen)) == 23


def test_a_petition_with_its_signatures_by_area_and_a_hidden_draft(client, town):
    petition = an_open_petition(town)
    _post(signed_in(residents(1)[0]), f"{API}/{petition.pk}/sign", {"show_name": True})
    body = client.get(f"{API}/{petition.pk}").json()
    assert body["signature_count"] == 1
    assert body["by_area"] == [{"area": "North", "signatures": 1}]
    assert body["office"] == "cycling-unit" and body["cosponsor_token"] is None
    draft = a_draft(town, title="Draft")
    assert_error(client.get(f"{API}/{draft.pk}"), 404, "not_found")


def test_start_collect_and_cosponsor_through_the_api(town):
    author = signed_in(town.verified)
    body = {
        "title": "Shade",
        "asks": "Plant trees.",
        "why": "Too hot.",
        "office": "cycling-unit",
        "closes_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
    }
    assert_error(_post(author, API, {**body, "office": "nowhere"}), 422, "invalid")
    assert_error(_post(signed_in(town.signed_in), API, body), 403, "not_verified")
    with override_settings(AGORA_PETITION_COSPONSORS=1):
        created = _post(author, API, body)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    token = _post(author, f"{API}/{pk}/collect").json()["cosponsor_token"]
    (friend,) = residents(1)
    assert_error(
        _post(signed_in(friend), f"{API}/{pk}/cosponsor", {"token": "x"}), 403, "bad_token"
    )
    done = _post(signed_in(friend), f"{API}/{pk}/cosponsor", {"token": token})
    assert done.json() == {"cosponsor_count": 1, "state": "awaiting_moderation"}
    assert_error(_post(author, f"{API}/{pk}/collect"), 409, "wrong_state")


def test_signing_once_and_the_refusals(town):
    petition = an_open_petition(town)
    (person,) = residents(1)
    client = signed_in(person)
    signed = _post(client, f"{API}/{petition.pk}/sign")
    assert signed.status_code == 201
    assert signed.json() == {"signed": True, "counted": True, "signature_count": 1}
    assert_error(_post(client, f"{API}/{petition.pk}/sign"), 409, "already_signed")
    assert_error(client.delete(f"{API}/{petition.pk}/sign"), 405, "withdraw_not_allowed")
    assert_error(_post(signed_in(town.signed_in), f"{API}/{petition.pk}/sign"), 403, "not_verified")
    assert_error(
        _post(signed_in(town.official), f"{API}/{petition.pk}/sign"), 403, "office_takes_no_part"
    )
    Petition.objects.filter(pk=petition.pk).update(
        state=PetitionState.CLOSED, closes_on=timezone.localdate() - timedelta(days=1)
    )
    late = signed_in(residents(1, "Late")[0])
    assert_error(_post(late, f"{API}/{petition.pk}/sign"), 409, "closed")
    assert Signature.objects.count() == 1
    assert Petition.objects.get(pk=petition.pk).signature_count == 1


def test_a_signature_takes_a_fixed_number_of_queries(town, django_assert_num_queries):
    """The surge benchmark's request: what one signature costs the database. The session's
    account and the API's budget; the petition; the suspension and office rules; the
    signature, its audit entry, the count raised and read back in one statement, the tally by
    area; the thresholds are kept (`services.thresholds_of`) and looked for only when the
    count meets one. The savepoint and its release are the test's own transaction: in a
    request the signature's transaction is the outermost."""
    thresholds(town, response=50, debate=100)
    petition = an_open_petition(town)
    first, second = residents(2)
    _post(signed_in(first), f"{API}/{petition.pk}/sign")
    client = signed_in(second)
    with django_assert_num_queries(11):
        assert _post(client, f"{API}/{petition.pk}/sign").status_code == 201
    assert Petition.objects.get(pk=petition.pk).signature_count == 2


def test_a_threshold_is_reached_when_met_and_when_set_below_the_count(town):
    from agora.petitions.models import ReachedThreshold

    response, debate = thresholds(town, response=2, debate=3)
    petition = an_open_petition(town)
    people = residents(4)
    for person in people[:2]:
        _post(signed_in(person), f"{API}/{petition.pk}/sign")
    petition.refresh_from_db()
    assert petition.response_due_at is not None and petition.debate_due_at is None
    # The debate's threshold lowered below the count (a new generation of the kept list):
    # the next signature reaches it, although it does not meet it exactly.
    debate.count = 1
    debate.save()
    _post(signed_in(people[2]), f"{API}/{petition.pk}/sign")
    petition.refresh_from_db()
    assert petition.debate_due_at is not None
    reached = ReachedThreshold.objects.filter(petition=petition)
    assert sorted(reached.values_list("threshold__count", flat=True)) == [1, 2]
    _post(signed_in(people[3]), f"{API}/{petition.pk}/sign")
    assert reached.count() == 2 and Petition.objects.get(pk=petition.pk).signature_count == 4


def test_a_suspended_person_is_refused_as_suspended_and_nothing_changes(town, rules):  # noqa: F811
    from agora.moderation import services as moderation
    from agora.moderation.models import ModeratedItem
    from agora.social import services as social
    from tests.moderation.conftest import settled
    from tests.moderation.test_reports import report

    petition = an_open_petition(town)
    (person,) = residents(1)
    post = social.create_post(by=person, body="My thoughts on the plan.")
    report(post, settled())
    item = ModeratedItem.objects.get(kind="post", object_id=post.pk)
    moderation.decide(
        item, by=town.moderator, action="suspend", rule=rules[1], facts="Insults.", days=3
    )
    person.refresh_from_db()
    assert_error(_post(signed_in(person), f"{API}/{petition.pk}/sign"), 403, "suspended")
    assert Petition.objects.get(pk=petition.pk).signature_count == 0
