"""/api/v1/petitions: the moderators' verbs (publish, reject with a reason, invalidate a set of
signatures with a reason) and the office's (the written response, the debate's outcome), each
run by every role with the expected answer written out, and bad input answering the one error
shape with nothing changed."""

import json
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from agora.core.models import AuditEntry
from agora.petitions.models import Invalidation, Petition, PetitionState, Signature
from tests.api.conftest import assert_error
from tests.helpers import signed_in
from tests.petitions.conftest import a_draft, an_open_petition, residents

API = "/api/v1/petitions"

ROLES = ("anonymous", "signed_in", "author", "official", "other_official", "moderator")
ROLES += ("administrator",)


def _client(town, role: str, petition) -> Client:
    if role == "anonymous":
        return Client()
    if role == "author":
        return signed_in(petition.author)
    return signed_in(getattr(town, role))


def _post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _awaiting(town) -> Petition:
    with override_settings(AGORA_PETITION_COSPONSORS=0):
        petition = a_draft(town)
        from agora.petitions import services

        services.ask_for_cosponsors(petition, by=petition.author)
    assert petition.state == PetitionState.AWAITING_MODERATION
    return petition


def _signed(town, petition, count: int = 3) -> list:
    people = residents(count, prefix=f"Signer {petition.pk}")
    for person in people:
        assert _post(signed_in(person), f"{API}/{petition.pk}/sign").status_code == 201
    return people


def _expect(response, expected):
    """`expected` is a status (the verb was done) or (status, code) (refused in the shape)."""
    if isinstance(expected, tuple):
        assert_error(response, *expected)
    else:
        assert response.status_code == expected, response.content


# What each role gets, verb by verb. A petition awaiting moderation is not found by those who
# may not see it (anyone but its author and the moderators).
NOT_LOGGED_IN = (401, "not_authenticated")
HIDDEN = (404, "not_found")
NOT_A_MODERATOR = (403, "not_a_moderator")
NOT_THE_OFFICE = (403, "not_the_office")

MODERATING = {
    "anonymous": NOT_LOGGED_IN,
    "signed_in": HIDDEN,
    "author": NOT_A_MODERATOR,
    "official": HIDDEN,
    "other_official": HIDDEN,
    "moderator": 200,
    "administrator": 200,
}
INVALIDATING = {
    "anonymous": NOT_LOGGED_IN,
    "signed_in": NOT_A_MODERATOR,
    "author": NOT_A_MODERATOR,
    "official": NOT_A_MODERATOR,
    "other_official": NOT_A_MODERATOR,
    "moderator": 200,
    "administrator": 200,
}
ANSWERING = {
    "anonymous": NOT_LOGGED_IN,
    "signed_in": NOT_THE_OFFICE,
    "author": NOT_THE_OFFICE,
    "official": 200,
    "other_official": NOT_THE_OFFICE,
    "moderator": NOT_THE_OFFICE,
    "administrator": NOT_THE_OFFICE,
}


def test_the_error_codes_of_the_table_are_the_apis(db):
    # The anonymous cell: the API's own 401 code, whatever the verb.
    response = _post(Client(), f"{API}/1/publish")
    assert_error(response, *NOT_LOGGED_IN)


@pytest.mark.parametrize("role", ROLES)
def test_publish_by_each_role(town, role):
    petition = _awaiting(town)
    response = _post(_client(town, role, petition), f"{API}/{petition.pk}/publish")
    _expect(response, MODERATING[role])
    petition.refresh_from_db()
    if MODERATING[role] == 200:
        assert response.json()["state"] == "open" == petition.state
        assert response.json()["office"] == "cycling-unit"
        assert petition.published_at is not None
    else:
        assert petition.state == PetitionState.AWAITING_MODERATION
        assert petition.published_at is None


@pytest.mark.parametrize("role", ROLES)
def test_reject_by_each_role(town, role):
    petition = _awaiting(town)
    response = _post(
        _client(town, role, petition), f"{API}/{petition.pk}/reject", {"reason": "Off topic."}
    )
    _expect(response, MODERATING[role])
    petition.refresh_from_db()
    if MODERATING[role] == 200:
        assert response.json()["state"] == "rejected" == petition.state
        assert petition.reject_reason == "Off topic."
    else:
        assert petition.state == PetitionState.AWAITING_MODERATION
        assert petition.reject_reason == ""


@pytest.mark.parametrize("role", ROLES)
def test_invalidate_by_each_role(town, role):
    petition = an_open_petition(town)
    _signed(town, petition, 3)
    response = _post(
        _client(town, role, petition),
        f"{API}/{petition.pk}/invalidate",
        {"reason": "A burst from one provider.", "email_domain": "example.org"},
    )
    _expect(response, INVALIDATING[role])
    petition.refresh_from_db()
    if INVALIDATING[role] == 200:
        assert response.json() == {"invalidated": 3, "signature_count": 0}
        assert petition.signature_count == 0
        invalidation = Invalidation.objects.get(petition=petition)
        assert invalidation.reason == "A burst from one provider." and invalidation.count == 3
        assert not petition.area_tallies.exists()
    else:
        assert petition.signature_count == 3
        assert not Invalidation.objects.exists()
        assert not Signature.objects.filter(invalidation__isnull=False).exists()


@pytest.mark.parametrize("role", ROLES)
def test_response_by_each_role(town, role):
    petition = an_open_petition(town)
    response = _post(
        _client(town, role, petition),
        f"{API}/{petition.pk}/response",
        {"body": "We will plant **forty** trees."},
    )
    _expect(response, ANSWERING[role])
    petition.refresh_from_db()
    if ANSWERING[role] == 200:
        assert "<strong>forty</strong>" in response.json()["response_html"]
        assert petition.responded_at is not None and petition.responded_by == town.official
    else:
        assert petition.responded_at is None and petition.response_body == ""


@pytest.mark.parametrize("role", ROLES)
def test_debate_by_each_role(town, role):
    petition = an_open_petition(town)
    body = {
        "debated_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "decision": "adopted_in_part",
        "minutes_url": "https://council.example/minutes/12",
        "summary": "Trees on the north bank first.",
    }
    response = _post(_client(town, role, petition), f"{API}/{petition.pk}/debate", body)
    _expect(response, ANSWERING[role])
    petition.refresh_from_db()
    if ANSWERING[role] == 200:
        assert response.json()["debate_decision"] == "adopted_in_part"
        assert response.json()["debate_minutes_url"] == body["minutes_url"]
        assert petition.debate_published_at is not None
    else:
        assert petition.debate_published_at is None and petition.debate_decision == ""


# Bad input: the one error shape, and nothing changed ---------------------------------------


def test_rejecting_without_a_reason_changes_nothing(town):
    petition = _awaiting(town)
    client = signed_in(town.moderator)
    entries = AuditEntry.objects.count()
    for body in ({}, {"reason": "   "}):
        error = assert_error(_post(client, f"{API}/{petition.pk}/reject", body), 422, "invalid")
        assert "reason" in error["message"]
    petition.refresh_from_db()
    assert petition.state == PetitionState.AWAITING_MODERATION and petition.reject_reason == ""
    assert AuditEntry.objects.count() == entries


def test_moderating_twice_is_a_conflict(town):
    petition = _awaiting(town)
    client = signed_in(town.moderator)
    assert _post(client, f"{API}/{petition.pk}/publish").status_code == 200
    assert_error(
        _post(client, f"{API}/{petition.pk}/reject", {"reason": "Late."}), 409, "wrong_state"
    )
    assert_error(_post(client, f"{API}/{petition.pk}/publish"), 409, "wrong_state")
    petition.refresh_from_db()
    assert petition.state == PetitionState.OPEN and petition.reject_reason == ""


def test_publishing_to_an_unknown_or_foreign_office_changes_nothing(town):
    from tests.directory.factories import OfficeFactory

    petition = _awaiting(town)
    client = signed_in(town.moderator)
    assert_error(
        _post(client, f"{API}/{petition.pk}/publish", {"office": "nowhere"}), 422, "invalid"
    )
    foreign = OfficeFactory(slug="elsewhere")
    error = assert_error(
        _post(client, f"{API}/{petition.pk}/publish", {"office": foreign.slug}), 422, "invalid"
    )
    assert "office" in error["message"]
    petition.refresh_from_db()
    assert petition.state == PetitionState.AWAITING_MODERATION


def test_invalidating_with_nothing_or_both_chosen_changes_nothing(town):
    petition = an_open_petition(town)
    _signed(town, petition, 2)
    client = signed_in(town.moderator)
    url = f"{API}/{petition.pk}/invalidate"
    for body in (
        {"reason": "Suspicious."},
        {"reason": "Suspicious.", "email_domain": "example.org", "network": "10.0.0.0/24"},
        {"email_domain": "example.org"},
    ):
        assert_error(_post(client, url, body), 422, "invalid")
    petition.refresh_from_db()
    assert petition.signature_count == 2
    assert not Invalidation.objects.exists()
    assert Signature.objects.filter(petition=petition, invalidation__isnull=True).count() == 2


def test_a_response_by_another_office_or_twice_changes_nothing(town):
    petition = an_open_petition(town)
    url = f"{API}/{petition.pk}/response"
    assert_error(
        _post(signed_in(town.other_official), url, {"body": "Not ours."}), 403, "not_the_office"
    )
    official = signed_in(town.official)
    assert_error(_post(official, url, {"body": ""}), 422, "invalid")
    petition.refresh_from_db()
    assert petition.responded_at is None and petition.response_body == ""
    assert _post(official, url, {"body": "Done."}).status_code == 200
    assert_error(_post(official, url, {"body": "Again."}), 409, "wrong_state")
    petition.refresh_from_db()
    assert petition.response_body == "Done."


def test_a_debate_in_the_future_or_without_a_decision_changes_nothing(town):
    petition = an_open_petition(town)
    url = f"{API}/{petition.pk}/debate"
    official = signed_in(town.official)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    error = assert_error(
        _post(official, url, {"debated_on": tomorrow, "decision": "adopted"}), 422, "invalid"
    )
    assert "debated_on" in error["message"]
    assert_error(
        _post(official, url, {"debated_on": tomorrow, "decision": "maybe"}), 422, "invalid"
    )
    assert_error(
        _post(
            official,
            url,
            {"debated_on": "2026-01-01", "decision": "adopted", "minutes_url": "ftp://x"},
        ),
        422,
        "invalid",
    )
    petition.refresh_from_db()
    assert petition.debate_published_at is None and petition.debate_decision == ""


def test_answering_a_draft_is_a_conflict(town):
    petition = _awaiting(town)
    # The office's official cannot see a petition awaiting moderation: not found, unchanged.
    assert_error(
        _post(signed_in(town.official), f"{API}/{petition.pk}/response", {"body": "Early."}),
        404,
        "not_found",
    )
    petition.refresh_from_db()
    assert petition.responded_at is None
