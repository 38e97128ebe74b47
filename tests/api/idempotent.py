"""The proof every API create owes: sent again with the same `Idempotency-Key` it gives the
first answer and creates nothing more; the same key with another body is a 422."""

import uuid

from tests.api.conftest import assert_error


def assert_idempotent(client, url: str, body, other_body, *, count, **post):
    """POST `body` to `url` with a fresh key, again, then `other_body` with the same key;
    `count()` says how many of the things it creates exist. Returns the first answer."""
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    first = client.post(url, body, headers=headers, **post)
    assert 200 <= first.status_code < 300, first.content
    made = count()
    again = client.post(url, body, headers=headers, **post)
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again["Idempotent-Replayed"] == "true"
    assert count() == made, "a retry created nothing more"
    assert_error(
        client.post(url, other_body, headers=headers, **post), 422, "idempotency_key_reused"
    )
    assert count() == made
    return first
