"""The proof-of-work challenge (`core.challenge`) on sign-up and on a visitor's first statement
in a conversation: a right answer passes once, a wrong, replayed or expired one is refused with
a message and what was typed kept; without JavaScript the form is accepted after the wait."""

import json
import re
import time
from datetime import timedelta

import altcha
import pytest
from django.utils import timezone

from agora.accounts.models import Role, User
from agora.conversations import services as conversation_services
from agora.conversations.models import Statement
from agora.core import challenge as challenge_module
from agora.core.models import SpentChallenge
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "lantern-orchard-velvet-93"


@pytest.fixture
def challenge_on(settings):
    settings.AGORA_CHALLENGE = True
    settings.AGORA_CHALLENGE_COST = 10  # a cheap derivation: the tests solve it in Python
    settings.AGORA_CHALLENGE_WAIT_SECONDS = 30


def solved(page_html: str) -> str:
    """Solves the challenge the page carries, as the browser's worker would."""
    found = re.search(r'challenge="([^"]+)"', page_html).group(1).replace("&quot;", '"')
    challenge = altcha.Challenge.from_dict(json.loads(found))
    solution = altcha.solve_challenge(challenge)
    return altcha.Payload(challenge, solution).to_base64()


def wait_token(page_html: str) -> str:
    return re.search(r'name="challenge_wait" value="([^"]+)"', page_html).group(1)


def sign_up(client, **fields):
    data = {
        "email": "new.resident@example.org",
        "username": "new_resident",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **fields,
    }
    return client.post("/accounts/signup/", data)


def test_the_suite_signs_up_without_the_challenge(client):
    page = client.get("/accounts/signup/").content.decode()
    assert "altcha-widget" not in page
    assert sign_up(client).status_code == 302


def test_a_right_answer_signs_up_once_and_cannot_be_used_again(client, challenge_on):
    page = client.get("/accounts/signup/").content.decode()
    assert "altcha-widget" in page and "Show you are a person" in page
    payload = solved(page)

    response = sign_up(client, altcha=payload)

    assert response.status_code == 302
    assert User.objects.filter(handle="new_resident").exists()
    client.logout()
    again = sign_up(client, altcha=payload, email="other@example.org", username="other_one")
    text = again.content.decode()
    assert again.status_code == 200
    assert "This check was already used. Tick the box again, then send." in text
    assert 'value="other@example.org"' in text and 'value="other_one"' in text
    assert not User.objects.filter(handle="other_one").exists()


def test_a_wrong_answer_is_refused_and_keeps_what_was_typed(client, challenge_on):
    payload = solved(client.get("/accounts/signup/").content.decode())
    decoded = altcha.Payload.from_base64(payload)
    decoded.solution.counter += 1  # another counter: its key does not match
    response = sign_up(client, altcha=decoded.to_base64())
    text = response.content.decode()
    assert "The check did not pass. Tick the box again, then send." in text
    assert 'value="new.resident@example.org"' in text and 'value="new_resident"' in text
    assert not User.objects.exists()
    for junk in ("not base64 at all", "e30=", "x" * 5000):
        assert "The check did not pass" in sign_up(client, altcha=junk).content.decode()
    assert not User.objects.exists()


def test_an_expired_answer_and_no_answer_are_refused(client, challenge_on, settings):
    settings.AGORA_CHALLENGE_MINUTES = 1
    payload = solved(client.get("/accounts/signup/").content.decode())
    later = time.time() + 120
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("altcha.v2.time.time", lambda: later)
        assert "The check has expired" in sign_up(client, altcha=payload).content.decode()
    assert "Tick the box to show you are a person" in sign_up(client).content.decode()
    assert not User.objects.exists()


def test_without_javascript_the_form_passes_after_the_wait(client, challenge_on, monkeypatch):
    page = client.get("/accounts/signup/").content.decode()
    assert "the form is accepted 30 seconds after this page was shown" in page
    token = wait_token(page)

    early = sign_up(client, challenge_wait=token).content.decode()
    assert "wait 30 more seconds" in early or "wait 29 more seconds" in early
    assert 'value="new_resident"' in early
    assert wait_token(early) == token, "the wait counts from when the page was first shown"

    started = time.time()
    monkeypatch.setattr(challenge_module.time, "time", lambda: started + 31)
    assert sign_up(client, challenge_wait=token).status_code == 302
    assert User.objects.filter(handle="new_resident").exists()
    client.logout()
    again = sign_up(
        client, challenge_wait=token, email="other@example.org", username="other_one"
    ).content.decode()
    assert "This check was already used" in again
    assert wait_token(again) != token, "a spent token is replaced by a fresh one"


def test_a_mistake_elsewhere_does_not_spend_the_answer(client, challenge_on):
    UserFactory(handle="taken_name")
    payload = solved(client.get("/accounts/signup/").content.decode())
    refused = sign_up(client, altcha=payload, username="taken_name")
    assert "This handle is not available" in refused.content.decode()
    assert not SpentChallenge.objects.exists()
    assert sign_up(client, altcha=payload).status_code == 302


def test_spent_answers_are_forgotten_after_they_expire(challenge_on, monkeypatch):
    SpentChallenge.objects.create(digest="old", expires_at=timezone.now() - timedelta(hours=1))
    monkeypatch.setattr(challenge_module, "PRUNE_ONE_IN", 1)
    challenge_module._spend("an answer", timezone.now() + timedelta(hours=1))
    assert list(SpentChallenge.objects.values_list("digest", flat=True)) == [
        challenge_module._digest("an answer")
    ]


@pytest.fixture
def open_conversation(db):
    owner = UserFactory(role=Role.MODERATOR)
    conversation = conversation_services.open_conversation(
        owner=owner,
        question="Where should the new bench go?",
        seeds=["Benches belong in the shade."],
        allow_anonymous=True,
    )
    return conversation


def test_a_visitors_first_statement_needs_the_challenge_then_their_token_is_enough(
    client, challenge_on, open_conversation
):
    path = f"/conversations/{open_conversation.pk}/"
    page = client.get(path).content.decode()
    assert page.count("altcha-widget") == 4  # the vote and the statement forms, open and close

    refused = client.post(f"{path}statements/", {"text": "Near the fountain, in the shade."})
    assert refused.status_code == 400
    assert "Near the fountain, in the shade." in refused.content.decode()
    assert "Tick the box to show you are a person" in refused.content.decode()
    assert not Statement.objects.filter(text__startswith="Near the fountain").exists()

    payload = solved(page)
    sent = client.post(
        f"{path}statements/", {"text": "Near the fountain, in the shade.", "altcha": payload}
    )
    assert sent.status_code == 302
    assert Statement.objects.filter(text="Near the fountain, in the shade.").exists()
    assert "altcha-widget" not in client.get(path).content.decode()
    client.post(f"{path}statements/", {"text": "By the library steps, facing south."})
    assert Statement.objects.filter(text="By the library steps, facing south.").exists()
