"""A NUL character in an address is "not found", in pages and in the API, on PostgreSQL too
(which refuses NUL in text and once turned these into 500s)."""

import json

import pytest

from agora.social import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/tags/%00/", "/@ada%00/", "/directory/offices/%00/", "/cases/inbox/%00/"],
)
def test_a_page_address_with_nul_is_not_found(client, path):
    client.force_login(UserFactory())
    response = client.get(path)
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/tags/%00/posts"),
        ("get", "/api/v1/directory/offices/%00"),
        ("get", "/api/v1/directory/topics/%00/posts"),
        ("get", "/api/v1/profiles/%00"),
        ("post", "/api/v1/directory/office/%00/follow"),
    ],
)
def test_an_api_address_with_nul_is_not_found_in_the_apis_own_words(client, method, path):
    client.force_login(UserFactory())
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert json.loads(response.content)["error"]["code"] == "not_found"


def test_addresses_without_nul_are_untouched(client):
    services.create_post(by=UserFactory(), body="Benches in the #parks")
    assert "Benches in the" in client.get("/tags/parks/").content.decode()
    assert client.get("/api/v1/tags/parks/posts").status_code == 200
