"""Share links: plain links to each network's share address on public pages only, and the
Mastodon form that checks the server is a host name, remembers it on the device, and cannot
be used by a link elsewhere to send people to a host of its choosing."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client

from agora.core.sharing import clean_server, share_links
from agora.social import services
from tests.factories import UserFactory
from tests.helpers import main_part
from tests.social.sources_helpers import build_directory

pytestmark = pytest.mark.django_db


def share_part(page: str) -> str:
    start = page.find('<details class="share">')
    return page[start : page.index("</details>", start)] if start >= 0 else ""


def test_an_office_page_has_share_links_built_on_its_public_address(settings):
    settings.SITE_URL = "https://agora.example.org"
    town = build_directory()
    part = share_part(main_part(Client().get(town.parks_office.get_absolute_url())))
    address = "https://agora.example.org" + town.parks_office.get_absolute_url()
    encoded = address.replace(":", "%3A").replace("/", "%2F")
    facebook = f"https://www.facebook.com/sharer/sharer.php?u={encoded}"
    assert f'href="{facebook}"' in part
    for label in ("X", "Sina Weibo", "VK", "Odnoklassniki", "WhatsApp", "Telegram", "LinkedIn"):
        assert f">{label}</a>" in part
    assert "<img" not in part and "<iframe" not in part  # nothing loads from a network
    assert 'rel="noopener noreferrer nofollow"' in part


def test_every_network_gets_the_address_and_the_title_but_nothing_else(settings):
    settings.SITE_URL = "https://agora.example.org"
    links = {key: href for key, _label, href in share_links("/offices/parks/", "Parks & more")}
    assert parse_qs(urlsplit(links["x"]).query) == {
        "url": ["https://agora.example.org/offices/parks/"],
        "text": ["Parks & more"],
    }
    assert links["email"] == (
        "mailto:?subject=Parks%20%26%20more&body=https%3A//agora.example.org/offices/parks/"
    )
    assert links["whatsapp"].startswith("https://wa.me/?text=Parks+%26+more+https")


def test_only_a_post_anyone_may_read_has_share_links():
    town = build_directory()
    person = UserFactory()
    open_post = services.create_post(by=person, body="Open to all")
    followers = services.create_post(by=person, body="For followers", visibility="followers")
    announcement = services.create_post(
        by=town.parks_official, office=town.parks_office, body="The park opens"
    )
    reader = Client()
    reader.force_login(person)
    assert share_part(main_part(reader.get(f"/posts/{open_post.pk}/")))
    assert share_part(main_part(reader.get(f"/posts/{announcement.pk}/")))
    assert not share_part(main_part(reader.get(f"/posts/{followers.pk}/")))


@pytest.mark.parametrize(
    ("typed", "server"),
    [
        ("mastodon.social", "mastodon.social"),
        ("  Mastodon.Social/ ", "mastodon.social"),
        ("https://social.example.org", "social.example.org"),
        ("@ana@social.example.org", "social.example.org"),
        ("social.example.org:8443", "social.example.org:8443"),
        ("not a host", None),
        ("evil.example/path?x=1", None),
        ("javascript:alert(1)", None),
        ("localhost", None),
        ("", None),
    ],
)
def test_a_mastodon_server_is_a_host_name(typed, server):
    assert clean_server(typed) == server


def test_sharing_on_mastodon_leads_to_the_persons_server_and_remembers_it(settings):
    settings.SITE_URL = "https://agora.example.org"
    town = build_directory()
    client = Client()
    response = client.post(
        "/share/mastodon",
        {"path": "/offices/parks-office/", "title": "Parks Office", "server": "Social.Example.org"},
    )
    # A link to follow, not a redirect: the policy keeps forms on this site.
    page = main_part(response)
    expected = "https://social.example.org/share?" + urlencode(
        {"text": "Parks Office https://agora.example.org/offices/parks-office/"}
    )
    assert f'href="{expected}"' in page.replace("&amp;", "&")
    assert "Continue to social.example.org" in page
    assert client.cookies["agora_mastodon_server"].value == "social.example.org"
    # The Share part is the same for everyone (pages may be cached for all): the server is
    # not in it; share.js fills it in from the cookie, and without the script the form's
    # button, its field left empty, uses the server the device remembers.
    page = share_part(main_part(client.get(town.parks_office.get_absolute_url())))
    assert "social.example.org" not in page
    response = client.post(
        "/share/mastodon", {"path": "/offices/parks-office/", "title": "Parks Office"}
    )
    assert f'href="{expected}"' in main_part(response).replace("&amp;", "&")


@pytest.mark.parametrize(
    ("path", "server", "message"),
    [
        ("/offices/parks/", "not a host", "is not the name of a server"),
        ("//evil.example/", "mastodon.social", "Only an address on this site"),
        ("https://evil.example/", "mastodon.social", "Only an address on this site"),
    ],
)
def test_a_wrong_server_or_address_is_refused_keeping_what_was_typed(path, server, message):
    client = Client()
    response = client.post("/share/mastodon", {"path": path, "title": "T", "server": server})
    page = main_part(response)  # the form again, as any form with an error
    assert message in page
    assert f'value="{server}"' in page
    assert "agora_mastodon_server" not in client.cookies


def test_no_link_elsewhere_can_make_the_share_redirect():
    assert Client().get("/share/mastodon?server=evil.example&path=/").status_code == 405
    forged = Client(enforce_csrf_checks=True).post(
        "/share/mastodon", {"path": "/", "server": "evil.example.org"}
    )
    assert forged.status_code == 403


def test_an_empty_server_without_one_remembered_asks_for_it():
    response = Client().post("/share/mastodon", {"path": "/", "title": "T", "server": " "})
    assert "Type the name of your Mastodon server" in main_part(response)
