"""Where a form sends a person back to: its `next` on this site, never anywhere else."""

import pytest
from django.test import RequestFactory

from agora.core.navigation import next_url


def posted(next_value: str | None):
    data = {} if next_value is None else {"next": next_value}
    return RequestFactory().post("/somewhere/", data, HTTP_HOST="testserver")


@pytest.mark.parametrize(
    "target", ["/posts/3/#post-3-by", "/home/?filter=people", "http://testserver/cases/"]
)
def test_an_address_on_this_site_is_where_the_person_goes_back(target):
    assert next_url(posted(target), "/fallback/") == target


@pytest.mark.parametrize(
    "target",
    [None, "", "https://evil.example/", "//evil.example/home/", "javascript:alert(1)"],
)
def test_anything_else_goes_to_the_fallback(target):
    assert next_url(posted(target), "/fallback/") == "/fallback/"


def test_the_fallback_may_be_a_url_name():
    assert next_url(posted("https://evil.example/"), "notifications:list") == "/notifications/"
