"""Every POST of the API's OpenAPI document is guarded by `Idempotency-Key`
(`core.idempotency`, a middleware over `AGORA_IDEMPOTENT_PATHS`): walked here, each refuses a
malformed key before its view runs. That a retry replays the first answer and writes nothing
more is proved for every POST of the schema, each called for real, in
tests/api/test_idempotent_every_create.py; the single case here (a post) counts what it
creates with `tests.api.idempotent.assert_idempotent`, as some apps' tests do for theirs."""

import re

import pytest

from agora.social.models import Post
from tests.api.conftest import assert_error
from tests.api.idempotent import assert_idempotent

pytestmark = pytest.mark.django_db


def posts_of_the_schema(client) -> list[str]:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    return [re.sub(r"\{[^}]+\}", "1", path) for path, ops in paths.items() if "post" in ops]


def test_every_post_of_the_schema_is_guarded_by_the_idempotency_key(token_client):
    posts = posts_of_the_schema(token_client)
    assert len(posts) > 30 and "/api/v1/announcements" in posts
    for url in posts:
        refused = token_client.post(url, {}, headers={"Idempotency-Key": "two words"})
        assert_error(refused, 400, "invalid_idempotency_key")


def test_a_post_sent_again_with_its_key_is_made_once(token_client):
    assert_idempotent(
        token_client,
        "/api/v1/posts",
        {"body": "Once only"},
        {"body": "Something else"},
        count=Post.objects.count,
        content_type="application/json",
    )
