"""What every page promises: a strict content security policy, no inline script or style,
landmarks and a skip link, and nothing from another origin."""

import re

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
SIGNED_IN_PAGES = ["/settings/profile/", "/settings/tokens/", "/settings/verification/"]


def all_pages(client):
    for url in PAGES:
        yield url, client.get(url)
    person = UserFactory()
    client.force_login(person)
    for url in [*SIGNED_IN_PAGES, f"/@{person.handle}/"]:
        yield url, client.get(url)


def test_every_page_sends_a_strict_content_security_policy(client):
    for url, response in all_pages(client):
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy, url
        assert "script-src 'self'" in policy, url
        assert "unsafe-inline" not in policy, url
        assert "frame-ancestors 'none'" in policy, url


def test_no_page_has_inline_script_or_style_or_another_origin(client):
    for url, response in all_pages(client):
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"<style", html), url
        assert not re.search(r'(src|href)="(https?:)?//', html), url


def test_every_page_has_landmarks_a_skip_link_and_a_language(client):
    for url, response in all_pages(client):
        html = response.content.decode()
        assert re.search(r'<html lang="(en|es)"', html), url
        assert '<a class="skip-link" href="#main">' in html, url
        for landmark in ("<header", '<main id="main"', "<nav", "<footer"):
            assert landmark in html, (url, landmark)
        assert html.count("<h1") == 1, url


def test_unknown_pages_get_the_site_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
