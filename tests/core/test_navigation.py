"""Where a form sends a person back to: its `next` on this site, never anywhere else."""

import pytest
from django.test import RequestFactory

from agora.core.navigation import next_url
from agora.social import services
from tests.factories import UserFactory


def posted(next_value: str | None):
    data = {} if next_value is None else {"next": next_value}
    return RequestFactory().post("/somewhere/", data, HTTP_HOST="testserver")


@pytest.mark.parametrize("target", ["/posts/3/#post-3-by", "/home/?filter=people", "/"])
def test_a_path_on_this_site_is_where_the_person_goes_back(target):
    assert next_url(posted(target), "/fallback/") == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example/home/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "account_logout",
        "foo",
        "http://testserver/cases/",
    ],
)
def test_anything_else_goes_to_the_fallback(target):
    assert next_url(posted(target), "/fallback/") == "/fallback/"


def test_the_fallback_may_be_a_url_name():
    assert next_url(posted("https://evil.example/"), "notifications:list") == "/notifications/"


@pytest.mark.django_db
def test_a_bare_word_as_next_is_no_error_but_the_fallback(client):
    """A redirect takes a bare word for a URL name: `next=foo` once answered 500."""
    person = UserFactory()
    post = services.create_post(by=UserFactory(), body="Hello")
    client.force_login(person)
    response = client.post(f"/posts/{post.pk}/like", {"next": "foo"})
    assert response.status_code == 302 and response["Location"] == f"/posts/{post.pk}/"
