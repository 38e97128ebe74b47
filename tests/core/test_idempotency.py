"""Idempotent writes in the API (`core.idempotency`): a retry with the same Idempotency-Key
creates nothing more and gets the first answer; the same key with another request is a 422;
keys belong to their caller; failures release the key; a key in use answers 409."""

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from agora.core.models import IdempotencyKey
from agora.social.models import Post, PostImage
from tests.api.conftest import assert_error
from tests.factories import UserFactory
from tests.social.helpers import api_client, image_upload

pytestmark = pytest.mark.django_db


def post(client, body, key=None):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(
        "/api/v1/posts", data=json.dumps(body), content_type="application/json", headers=headers
    )


def test_a_retry_with_the_same_key_creates_nothing_more_and_gets_the_first_answer():
    client = api_client(UserFactory())
    first = post(client, {"body": "The fountain is dry."}, key="retry-7f3a")
    again = post(client, {"body": "The fountain is dry."}, key="retry-7f3a")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Post.objects.count() == 1
    post(client, {"body": "The fountain is dry."}, key="another-key")
    post(client, {"body": "The fountain is dry."})  # no key: every send is a new post
    assert Post.objects.count() == 3


def test_the_same_key_with_another_request_is_refused_and_changes_nothing():
    client = api_client(UserFactory())
    post(client, {"body": "Bins on Monday."}, key="k1")
    refused = post(client, {"body": "Bins on Tuesday."}, key="k1")
    error = assert_error(refused, 422, "idempotency_key_reused")
    assert "different request" in error["message"]
    assert list(Post.objects.values_list("body", flat=True)) == ["Bins on Monday."]


def test_keys_belong_to_their_caller():
    one, other = api_client(UserFactory()), api_client(UserFactory())
    mine = post(one, {"body": "Mine."}, key="shared-key")
    theirs = post(other, {"body": "Mine."}, key="shared-key")
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs
    assert theirs.json()["id"] != mine.json()["id"]
    assert Post.objects.count() == 2


def test_a_refused_request_releases_its_key_so_the_corrected_one_runs():
    client = api_client(UserFactory())
    assert_error(post(client, {"body": "x" * 5001}, key="fix-me"), 422, "invalid")
    assert not IdempotencyKey.objects.exists()
    fixed = post(client, {"body": "Shorter."}, key="fix-me")
    assert fixed.status_code == 201 and Post.objects.count() == 1


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "ñandú"])
def test_a_key_that_is_not_one_is_a_400(key):
    client = api_client(UserFactory())
    assert_error(post(client, {"body": "Hello."}, key=key), 400, "invalid_idempotency_key")
    assert not Post.objects.exists()


def test_a_key_in_use_is_a_409_and_a_dead_claim_or_an_old_key_is_taken_over(settings):
    person = UserFactory()
    client = api_client(person)
    post(client, {"body": "First."}, key="busy")
    caller = IdempotencyKey.objects.get().caller
    IdempotencyKey.objects.update(status=None, body=b"")  # as if it were still running
    assert_error(post(client, {"body": "First."}, key="busy"), 409, "request_in_progress")
    assert Post.objects.count() == 1

    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert post(client, {"body": "First."}, key="busy").status_code == 201  # the claim died
    assert Post.objects.count() == 2

    hours = settings.AGORA_IDEMPOTENCY_HOURS
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=hours, minutes=1))
    assert post(client, {"body": "Second."}, key="busy").status_code == 201  # past its time
    assert Post.objects.count() == 3
    assert IdempotencyKey.objects.get(caller=caller, key="busy").status == 201


def test_a_multipart_post_with_images_is_kept_by_its_key():
    client = api_client(UserFactory())

    def send(color):
        return client.post(
            "/api/v1/posts/with-images",
            data={
                "body": "A broken lamp",
                "visibility": "public",
                "images": [image_upload("lamp.png", color=color)],
                "alt_text": ["The lamp post"],
            },
            headers={"Idempotency-Key": "lamp-1"},
        )

    first, again = send((10, 10, 10)), send((10, 10, 10))
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert PostImage.objects.count() == 1
    assert_error(send((200, 10, 10)), 422, "idempotency_key_reused")  # another picture
    assert PostImage.objects.count() == 1


def test_a_session_keeps_keys_only_for_requests_that_pass_the_csrf_check():
    person = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    forged = post(client, {"body": "Forged."}, key="session-key")
    assert forged.status_code == 403 and not IdempotencyKey.objects.exists()
    client.get("/")  # the page sets the CSRF cookie, as the site's script finds it
    token = client.cookies["csrftoken"].value
    headers = {"Idempotency-Key": "session-key", "X-CSRFToken": token}
    for _time in range(2):
        answer = client.post(
            "/api/v1/posts",
            data=json.dumps({"body": "From the page."}),
            content_type="application/json",
            headers=headers,
        )
        assert answer.status_code == 201
    assert Post.objects.count() == 1


def test_a_visitor_gets_no_replay_and_nothing_is_kept():
    answer = post(Client(), {"body": "Anonymous."}, key="visitor-key")
    assert answer.status_code == 401 and not IdempotencyKey.objects.exists()


def test_a_replay_costs_one_query(django_assert_num_queries):
    client = api_client(UserFactory())
    post(client, {"body": "Once."}, key="cheap")
    with django_assert_num_queries(1):  # the key's row, with its answer
        post(client, {"body": "Once."}, key="cheap")


@pytest.mark.django_db(transaction=True)
def test_two_parallel_sends_with_one_key_create_one_post():
    """Two connections, two threads, a barrier: one runs, the other is told it is running
    or gets its answer. On SQLite writes are serialised anyway; the point is PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's connections")
    client = api_client(UserFactory())
    barrier = threading.Barrier(2)
    answers = []

    def send():
        barrier.wait()
        answers.append(post(client, {"body": "Twice at once."}, key="race").status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Post.objects.count() == 1
    assert sorted(answers) in ([201, 201], [201, 409])


def test_keys_past_their_time_are_swept_now_and_then(monkeypatch, settings):
    from agora.core import idempotency

    client = api_client(UserFactory())
    post(client, {"body": "Old."}, key="old")
    IdempotencyKey.objects.update(
        created_at=timezone.now() - timedelta(hours=settings.AGORA_IDEMPOTENCY_HOURS + 1)
    )
    monkeypatch.setattr(idempotency, "PRUNE_ONE_IN", 1)
    post(client, {"body": "New."}, key="new")
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
