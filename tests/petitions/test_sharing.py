"""Share links on a petition's page, which is rendered once for every visitor who is not
signed in (`READERS_PAGES`): nothing of one visitor may show to another."""

import re

import pytest
from django.test import Client

from tests.core.test_sharing import share_part
from tests.helpers import main_part
from tests.petitions.conftest import a_draft, an_open_petition

pytestmark = pytest.mark.django_db


def without_token(html: str) -> str:  # and without the one-time form tokens
    return re.sub(r'name="(csrfmiddlewaretoken|form_once)" value="[^"]+"', "", html)


def test_a_cached_petition_page_shares_and_each_visitor_gets_their_own_server(town, settings):
    settings.SITE_URL = "https://agora.example.org"
    petition = an_open_petition(town)
    first, second = Client(), Client()
    first.cookies["agora_mastodon_server"] = "first.example"
    second.cookies["agora_mastodon_server"] = "second.example"
    pages = [main_part(visitor.get(petition.get_absolute_url())) for visitor in (first, second)]
    part = share_part(pages[0])
    assert "https://agora.example.org" + petition.get_absolute_url() in part.replace(
        "%3A", ":"
    ).replace("%2F", "/")
    # The same part for both, from the same cached page (each with a CSRF token of its own).
    assert without_token(part) == without_token(share_part(pages[1]))
    assert "first.example" not in pages[1] and "second.example" not in pages[0]
    for visitor, server in ((first, "first.example"), (second, "second.example")):
        answer = visitor.post(
            "/share/mastodon", {"path": petition.get_absolute_url(), "title": petition.title}
        )
        assert f"https://{server}/share?" in main_part(answer)


def test_a_petition_not_yet_public_has_no_share_links(town):
    petition = a_draft(town)
    client = Client()
    client.force_login(petition.author)
    assert not share_part(main_part(client.get(petition.get_absolute_url())))
