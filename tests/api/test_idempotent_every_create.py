"""Every POST of the API's OpenAPI document, called for real with an `Idempotency-Key`: the
same call again gives the first answer word for word, marked `Idempotent-Replayed: true`,
and writes no row anywhere; the same key with another body is a 422. `CALLS` says how to
make each one succeed (the world it needs, who calls it, two bodies); a POST added to the
schema without an entry there fails `test_every_post_of_the_schema_has_an_entry`."""

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.test import Client, override_settings
from django.utils import timezone

from agora.accounts import services as account_services
from agora.conversations import services as conversation_services
from agora.notifications.models import Notification
from agora.petitions import services as petition_services
from agora.processes.models import PhaseKind
from agora.proposals.notifying import ANSWERED
from agora.social import announcements
from agora.social import services as social
from tests.api.conftest import assert_error, bearer
from tests.budgets.test_ballot import a_budget
from tests.directory.factories import ResponsibilityFactory
from tests.helpers import signed_in
from tests.petitions.conftest import a_draft, an_open_petition
from tests.polls.conftest import build_survey
from tests.processes.conftest import Town, build_town
from tests.proposals.conftest import a_proposal, proposals_process, residents, support_process
from tests.results.conftest import a_result, answers_process
from tests.social.helpers import image_upload

pytestmark = pytest.mark.django_db

API = "/api/v1"


@dataclass
class Call:
    """One successful call: who makes it, where, and two bodies that both would succeed.
    A body is a dict sent as JSON, None for no body at all, or (for a multipart form) a
    function that makes the form afresh (an uploaded file is read once)."""

    client: Client
    url: str
    body: Any
    other: Any

    def send(self, body, key: str):
        headers = {"Idempotency-Key": key}
        if callable(body):
            return self.client.post(self.url, body(), headers=headers)
        data = b"" if body is None else json.dumps(body)
        return self.client.post(self.url, data, content_type="application/json", headers=headers)


def token(person) -> Client:
    """A client that sends a fresh personal access token of `person`, and has no session."""
    _token, secret = account_services.create_access_token(person, name="retries")
    return Client(headers=bearer(secret))


# Bodiless POSTs are sent with no body first and `{}` as the other: a different body, which
# the key must refuse before the view reads anything.
NO_BODY, OTHER_BODY = None, {}


def _people(town: Town, verb: str) -> Call:
    return Call(
        token(town.verified), f"{API}/people/{town.signed_in.handle}/{verb}", NO_BODY, OTHER_BODY
    )


def _post(town: Town):
    return social.create_post(by=town.signed_in, body="The river walk needs shade.")


def _announcement(town: Town):
    return announcements.publish_announcement(
        by=town.official, office=town.cycling_unit, body="The lane is closed tonight."
    )


def _case(town: Town):
    from agora.cases import services as case_services

    return case_services.submit_case(
        by=town.verified,
        topic=town.cycling,
        is_public=True,
        kind="report",
        title="Cars park on the cycle lane",
        description="Every morning.",
    )


def _conversation(town: Town):
    return conversation_services.open_conversation(
        owner=town.official, question="Parks?", seeds=["More trees", "Fewer cars"]
    )


def _awaiting_moderation(town: Town):
    with override_settings(AGORA_PETITION_COSPONSORS=0):
        petition = a_draft(town)
        petition_services.ask_for_cosponsors(petition, by=petition.author)
    return petition


def _signed_petition(town: Town):
    petition = an_open_petition(town)
    for person in residents(2, prefix="Signer"):
        petition_services.sign_petition(petition, by=person)
    return petition


def _notification(town: Town):
    return Notification.objects.create(
        recipient=town.verified, kind=ANSWERED, subject="More benches", url="/"
    )


def _collecting(town: Town):
    with override_settings(AGORA_PETITION_COSPONSORS=2):
        petition = a_draft(town)
        return petition_services.ask_for_cosponsors(petition, by=petition.author)


CASE = {"kind": "report", "title": "Streetlight out", "description": "Dark for a week."}

CALLS = {
    "/me/tokens": lambda town: Call(
        signed_in(town.verified), f"{API}/me/tokens", {"name": "laptop"}, {"name": "phone"}
    ),
    "/people/{handle}/follow": lambda town: _people(town, "follow"),
    "/people/{handle}/connection": lambda town: _people(town, "connection"),
    "/people/{handle}/block": lambda town: _people(town, "block"),
    "/people/{handle}/mute": lambda town: _people(town, "mute"),
    "/posts": lambda town: Call(
        token(town.verified), f"{API}/posts", {"body": "Once only"}, {"body": "Something else"}
    ),
    "/posts/with-images": lambda town: Call(
        token(town.verified),
        f"{API}/posts/with-images",
        lambda: {"body": "A dark street", "images": [image_upload()], "alt_text": ["A lamp"]},
        lambda: {"body": "A dark street", "images": [image_upload()], "alt_text": ["Dark"]},
    ),
    "/posts/{post_id}/like": lambda town: Call(
        token(town.verified), f"{API}/posts/{_post(town).pk}/like", NO_BODY, OTHER_BODY
    ),
    "/posts/{post_id}/shares": lambda town: Call(
        token(town.verified),
        f"{API}/posts/{_post(town).pk}/shares",
        {"body": "Worth reading"},
        {"body": ""},
    ),
    "/announcements": lambda town: Call(
        token(town.official),
        f"{API}/announcements",
        lambda: {"office": town.cycling_unit.slug, "body": "The lane is closed tonight"},
        lambda: {"office": town.cycling_unit.slug, "body": "The lane is open again"},
    ),
    "/announcements/{post_id}/corrections": lambda town: Call(
        token(town.official),
        f"{API}/announcements/{_announcement(town).pk}/corrections",
        {"body": "The lane is closed tomorrow.", "note": "The day was wrong."},
        {"body": "The lane is closed on Monday.", "note": "The day was wrong."},
    ),
    "/posts/{post_id}/comments": lambda town: Call(
        token(town.verified),
        f"{API}/posts/{_post(town).pk}/comments",
        {"body": "Agreed"},
        {"body": "Not so sure"},
    ),
    "/comments/{comment_id}/like": lambda town: Call(
        token(town.verified),
        f"{API}/comments/"
        + str(social.comment_on_post(_post(town), by=town.outsider, body="Yes, trees.").pk)
        + "/like",
        NO_BODY,
        OTHER_BODY,
    ),
    "/directory/{kind}/{slug}/follow": lambda town: Call(
        token(town.verified),
        f"{API}/directory/offices/{town.cycling_unit.slug}/follow",
        NO_BODY,
        OTHER_BODY,
    ),
    "/notifications/read": lambda town: Call(
        token(town.verified),
        f"{API}/notifications/read",
        {"ids": [_notification(town).pk]},
        {"ids": None},
    ),
    "/notifications/{notification_id}/read": lambda town: Call(
        token(town.verified),
        f"{API}/notifications/{_notification(town).pk}/read",
        NO_BODY,
        OTHER_BODY,
    ),
    "/reports": lambda town: Call(
        token(town.verified),
        f"{API}/reports",
        report := {
            "kind": "post",
            "id": _post(town).pk,
            "reason": "spam",
            "explanation": "It sells shoes.",
            "good_faith": True,
        },
        {**report, "explanation": "It sells hats."},
    ),
    "/cases": lambda town: Call(
        token(town.verified),
        f"{API}/cases",
        {**CASE, "topic": town.cycling.slug},
        {**CASE, "topic": town.cycling.slug, "title": "Two streetlights out"},
    ),
    "/cases/{case_id}/follow": lambda town: Call(
        token(town.signed_in), f"{API}/cases/{_case(town).pk}/follow", NO_BODY, OTHER_BODY
    ),
    "/cases/{case_id}/comments": lambda town: Call(
        token(town.verified),
        f"{API}/cases/{_case(town).pk}/comments",
        {"body": "Still there today."},
        {"body": "Gone today."},
    ),
    "/cases/{case_id}/{action}": lambda town: Call(
        token(town.official),
        f"{API}/cases/{_case(town).pk}/acknowledge",
        {},
        {"text": "On our list."},
    ),
    "/conversations/{conversation_id}/votes": lambda town: Call(
        token(town.verified),
        f"{API}/conversations/{(conversation := _conversation(town)).pk}/votes",
        {"statement": conversation.statements.first().pk, "vote": "agree"},
        {"statement": conversation.statements.first().pk, "vote": "disagree"},
    ),
    "/conversations/{conversation_id}/statements": lambda town: Call(
        token(town.verified),
        f"{API}/conversations/{_conversation(town).pk}/statements",
        {"text": "Benches by the pond"},
        {"text": "A fountain"},
    ),
    "/processes": lambda town: Call(
        token(town.administrator),
        f"{API}/processes",
        {"title_en": "Benches", "office": town.cycling_unit.slug},
        {"title_en": "Fountains", "office": town.cycling_unit.slug},
    ),
    "/processes/{slug}/follow": lambda town: Call(
        token(town.verified),
        f"{API}/processes/{support_process(town).slug}/follow",
        NO_BODY,
        OTHER_BODY,
    ),
    "/proposals": lambda town: Call(
        token(town.verified),
        f"{API}/proposals",
        proposal := {
            "process": proposals_process(town).slug,
            "title": "A lane on Main Street",
            "body": "With kerbs.",
        },
        {**proposal, "title": "A lane on Mill Lane"},
    ),
    "/proposals/{proposal_id}/support": lambda town: Call(
        token(residents(1)[0]),
        f"{API}/proposals/{a_proposal(support_process(town), town.verified).pk}/support",
        NO_BODY,
        OTHER_BODY,
    ),
    "/proposals/{proposal_id}/answer": lambda town: Call(
        token(town.official),
        f"{API}/proposals/{a_proposal(support_process(town), town.verified).pk}/answer",
        {"answer": "accepted", "reasons": "Yes."},
        {"answer": "rejected", "reasons": "No."},
    ),
    "/proposals/{proposal_id}/comments": lambda town: Call(
        token(town.verified),
        f"{API}/proposals/{a_proposal(support_process(town), town.outsider).pk}/comments",
        {"body": "Good idea", "alignment": "in_favour"},
        {"body": "Bad idea", "alignment": "against"},
    ),
    "/proposals/{proposal_id}/merge": lambda town: Call(
        token(town.official),
        f"{API}/proposals/{a_proposal(process := support_process(town), town.outsider).pk}/merge",
        {"into": a_proposal(process, town.verified, "Kerbs on Main Street").pk},
        {"into": a_proposal(process, town.verified, "Bollards on Main Street").pk},
    ),
    "/petitions": lambda town: Call(
        token(town.verified),
        f"{API}/petitions",
        petition := {
            "title": "Shade on the river walk",
            "asks": "Plant trees.",
            "why": "It is hot.",
            "closes_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "office": town.cycling_unit.slug,
        },
        {**petition, "title": "Benches on the river walk"},
    ),
    "/petitions/{petition_id}/collect": lambda town: Call(
        token(town.verified), f"{API}/petitions/{a_draft(town).pk}/collect", NO_BODY, OTHER_BODY
    ),
    "/petitions/{petition_id}/cosponsor": lambda town: Call(
        token(town.outsider),
        f"{API}/petitions/{(collecting := _collecting(town)).pk}/cosponsor",
        {"token": collecting.cosponsor_token},
        {"token": collecting.cosponsor_token + " "},
    ),
    "/petitions/{petition_id}/sign": lambda town: Call(
        token(residents(1)[0]),
        f"{API}/petitions/{an_open_petition(town).pk}/sign",
        {"show_name": False},
        {"show_name": True},
    ),
    "/petitions/{petition_id}/publish": lambda town: Call(
        token(town.moderator),
        f"{API}/petitions/{_awaiting_moderation(town).pk}/publish",
        {},
        {"office": town.cycling_unit.slug},
    ),
    "/petitions/{petition_id}/reject": lambda town: Call(
        token(town.moderator),
        f"{API}/petitions/{_awaiting_moderation(town).pk}/reject",
        {"reason": "It asks for something already done."},
        {"reason": "It is off topic."},
    ),
    "/petitions/{petition_id}/invalidate": lambda town: Call(
        token(town.moderator),
        f"{API}/petitions/{_signed_petition(town).pk}/invalidate",
        {"reason": "Made up accounts.", "email_domain": "example.org"},
        {"reason": "Made up accounts.", "network": "203.0.113.0/24"},
    ),
    "/petitions/{petition_id}/response": lambda town: Call(
        token(town.official),
        f"{API}/petitions/{an_open_petition(town).pk}/response",
        {"body": "We will plant them in spring."},
        {"body": "We will not."},
    ),
    "/petitions/{petition_id}/debate": lambda town: Call(
        token(town.official),
        f"{API}/petitions/{an_open_petition(town).pk}/debate",
        debate := {"debated_on": timezone.localdate().isoformat(), "decision": "adopted"},
        {**debate, "decision": "referred"},
    ),
    "/budgets/{budget_id}/ballot": lambda town: Call(
        token(town.verified),
        f"{API}/budgets/"
        + str(a_budget(town.process((PhaseKind.SUPPORT, -1, 10)), minimum_projects=1).pk)
        + "/ballot",
        {"projects": ["racks", "lights"]},
        {"projects": ["racks"]},
    ),
    "/polls/{poll_id}/responses": lambda town: Call(
        token(town.verified),
        f"{API}/polls/{(survey := build_survey(town)).poll.pk}/responses",
        {"answers": survey.good_answers()},
        {"answers": {**survey.good_answers(), f"q{survey.q['short'].pk}": "Elm Street"}},
    ),
    "/results": lambda town: Call(
        token(town.official),
        f"{API}/results",
        result := {
            "process": answers_process(town).slug,
            "title": "Cycle lane",
            "description": "Kerbs.",
        },
        {**result, "title": "Bus lane"},
    ),
    "/results/{result_id}/updates": lambda town: Call(
        token(town.official),
        f"{API}/results/{a_result(answers_process(town), by=town.official).pk}/updates",
        {"body": "Half done.", "progress": 50},
        {"body": "Nearly done.", "progress": 90},
    ),
}

# The same paths sent another way their schema allows: a case as a multipart form with a photo.
MORE_CALLS = {
    "/cases (multipart, with a photo)": lambda town: Call(
        token(town.verified),
        f"{API}/cases",
        lambda: {**CASE, "topic": town.cycling.slug, "photo": image_upload(), "photo_alt": "Dark"},
        lambda: {**CASE, "topic": town.cycling.slug, "photo": image_upload(), "photo_alt": "Lamp"},
    ),
}

# POSTs of the schema left out of CALLS, each with the reason (none today: every POST is
# proven below).
EXCLUDED: dict[str, str] = {}


def posts_of_the_schema() -> set[str]:
    paths = Client().get(f"{API}/openapi.json").json()["paths"]
    return {path.removeprefix(API) for path, operations in paths.items() if "post" in operations}


def test_every_post_of_the_schema_has_an_entry():
    posts = posts_of_the_schema()
    assert len(posts) > 40
    missing = posts - CALLS.keys() - EXCLUDED.keys()
    assert not missing, f"POSTs without an entry in CALLS: {sorted(missing)}"
    assert not (CALLS.keys() | EXCLUDED.keys()) - posts, "entries for POSTs no longer there"
    assert not CALLS.keys() & EXCLUDED.keys()


def rows_of_every_table() -> dict[str, int]:
    """How many rows each table holds. None is left out: a replay is answered by the
    middleware before any view, throttle or audit runs, and the key's own row was written by
    the first call, so a retry that changes any count wrote something it must not."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


@pytest.fixture
def town(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # photos and images sent here
    town = build_town()
    ResponsibilityFactory(topic=town.cycling, area=town.city, office=town.cycling_unit)
    return town


@pytest.mark.parametrize("path", sorted(CALLS.keys() | MORE_CALLS.keys()))
def test_a_post_sent_again_with_its_key_is_made_once(town, path):
    call = {**CALLS, **MORE_CALLS}[path](town)
    key = uuid.uuid4().hex
    first = call.send(call.body, key)
    assert 200 <= first.status_code < 300, first.content
    assert "Idempotent-Replayed" not in first
    before = rows_of_every_table()
    again = call.send(call.body, key)
    assert rows_of_every_table() == before, "the retry wrote nothing"
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Idempotent-Replayed"] == "true"
    assert_error(call.send(call.other, key), 422, "idempotency_key_reused")
    assert rows_of_every_table() == before
