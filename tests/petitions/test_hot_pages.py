"""In a surge a petition's page is answered to cookieless visitors from each process's hot copy
(core.pagecache.HotPagesMiddleware): with no query, each visitor with a CSRF token of their own
and the headers the page was first sent with; never to someone signed in, nor for longer than
the copy's seconds."""

import re

from django.test import Client
from django.urls import reverse

from agora.core.pagecache import HotPagesMiddleware
from agora.petitions import views
from tests.helpers import main_part, signed_in
from tests.petitions.conftest import an_open_petition


def _tokens(response) -> list[str]:
    return re.findall(
        r'name="(?:csrfmiddlewaretoken|form_once)" value="(\w+)"', response.content.decode()
    )


def test_a_visitor_is_answered_from_the_hot_copy_with_tokens_of_their_own(
    town, django_assert_num_queries, monkeypatch
):
    petition = an_open_petition(town, title="Shade on the river walk")
    url = petition.get_absolute_url()
    visitor = Client()
    first = visitor.get(url)
    assert "Shade on the river walk" in main_part(first)
    visitor.cookies.clear()  # another visitor, through the same process
    with django_assert_num_queries(0):
        second = visitor.get(url)
    assert "Shade on the river walk" in main_part(second)
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "Vary"):
        assert second[header] == first[header]
    assert int(second["Content-Length"]) == len(second.content)
    secret = second.cookies["csrftoken"].value
    assert secret != first.cookies["csrftoken"].value
    assert _tokens(second) and not set(_tokens(second)) & set(_tokens(first))
    # The token the copy carries is good for the visitor's own cookie: the language form posts.
    form_token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', second.content.decode())
    answer = Client(enforce_csrf_checks=True)
    answer.cookies["csrftoken"] = secret
    sent = answer.post(
        reverse("accounts:set_language"), {"language": "es", "csrfmiddlewaretoken": form_token[1]}
    )
    assert sent.status_code == 302
    # A visitor who comes back keeps their CSRF cookie; the copy is in the language asked for.
    with django_assert_num_queries(0):
        again = visitor.get(url)
    assert "csrftoken" not in again.cookies
    spanish = visitor.get(url, headers={"accept-language": "es"})
    assert spanish["Content-Language"] == "es" and "firmas" in main_part(spanish)


def test_never_for_someone_signed_in_nor_past_its_seconds(town, monkeypatch):
    petition = an_open_petition(town, title="Shade on the river walk")
    url = petition.get_absolute_url()
    now = [1000.0]
    monkeypatch.setattr(HotPagesMiddleware, "clock", staticmethod(lambda: now[0]))
    member = signed_in(town.verified)
    member.get(url)  # kept for visitors by nobody: a signed-in person's page
    assert 'name="show_name"' in main_part(member.get(url))  # their own page, with the form
    visitor = Client()
    visitor.get(url)
    petition.title = "Shade and water on the river walk"
    petition.save()
    views.READERS_PAGES.invalidate()
    assert "Shade and water" not in main_part(visitor.get(url))  # the hot copy, two seconds
    assert "Shade and water" in main_part(member.get(url))
    now[0] += views.HOT_SECONDS
    assert "Shade and water" in main_part(visitor.get(url))


def test_a_host_the_site_refuses_is_not_answered_from_the_copy(client, town):
    petition = an_open_petition(town)
    url = petition.get_absolute_url()
    assert client.get(url).status_code == 200
    client.cookies.clear()
    assert client.get(url, headers={"host": "evil.example"}).status_code == 400
