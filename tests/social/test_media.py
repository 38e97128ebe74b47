"""Media from YouTube, Flickr and Instagram: a local card until the person asks, then that
network's frame on that page view only (or on every page once remembered), with the content
security policy admitting that network's frame host and no other."""

import pytest
from django.test import Client

from agora.social import services
from agora.social.embeds import media_in
from tests.factories import UserFactory
from tests.helpers import main_part

pytestmark = pytest.mark.django_db

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
PHOTO = "https://www.flickr.com/photos/villaverde/53012345678"


def frames_allowed(response) -> str:
    policy = response["Content-Security-Policy"]
    parts = [part.strip() for part in policy.split(";")]
    return next((part for part in parts if part.startswith("frame-src")), "")


@pytest.mark.parametrize(
    ("text", "frames"),
    [
        (f"Watch {VIDEO} now", ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]),
        (
            "https://youtu.be/dQw4w9WgXcQ?t=3",
            ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"],
        ),
        (
            "https://youtube.com/shorts/abcdefghijk",
            ["https://www.youtube-nocookie.com/embed/abcdefghijk"],
        ),
        (PHOTO, ["https://www.flickr.com/photos/villaverde/53012345678/player/"]),
        (
            "https://www.instagram.com/p/C1a2B3c4D5e/",
            ["https://www.instagram.com/p/C1a2B3c4D5e/embed/"],
        ),
        ("https://example.org/youtube.com/watch?v=dQw4w9WgXcQ", []),
        ("No links here, youtube is a word.", []),
        (f"{VIDEO} and again {VIDEO}", ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]),
    ],
)
def test_the_links_that_make_a_card(text, frames):
    assert [media.frame_url for media in media_in(text)] == frames


@pytest.fixture
def post():
    return services.create_post(by=UserFactory(), body=f"The new square: {VIDEO} and {PHOTO}")


def test_until_asked_a_post_shows_cards_and_no_frame(post):
    response = Client().get(f"/posts/{post.pk}/")
    page = main_part(response)
    assert "<iframe" not in page
    assert "Load content from YouTube" in page and "Load content from Flickr" in page
    assert f'href="{VIDEO}"' in page
    assert frames_allowed(response) == ""


def test_asking_loads_that_networks_content_for_that_post_on_this_view_only(post):
    visitor = Client()
    response = visitor.post(
        "/media/consent",
        {"network": "youtube", "post": post.pk, "next": f"/posts/{post.pk}/"},
    )
    assert response.status_code == 302
    assert (
        response["Location"] == f"/posts/{post.pk}/?load=youtube%3A{post.pk}#post-{post.pk}-media"
    )
    loaded = visitor.get(response["Location"].split("#")[0])
    page = main_part(loaded)
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page
    assert "Load content from Flickr" in page  # the other network still waits
    assert frames_allowed(loaded) == "frame-src https://www.youtube-nocookie.com"
    assert "agora_media_consent" not in visitor.cookies
    again = visitor.get(f"/posts/{post.pk}/")
    assert "<iframe" not in main_part(again) and frames_allowed(again) == ""


def test_remembered_consent_loads_that_network_everywhere_until_withdrawn(post):
    visitor = Client()
    visitor.post(
        "/media/consent",
        {"network": "flickr", "post": post.pk, "next": "/latest/", "remember": "1"},
    )
    assert visitor.cookies["agora_media_consent"].value == "flickr"
    response = visitor.get(f"/posts/{post.pk}/")
    page = main_part(response)
    assert 'src="https://www.flickr.com/photos/villaverde/53012345678/player/"' in page
    assert "youtube-nocookie" not in page
    assert frames_allowed(response) == "frame-src https://www.flickr.com"
    assert "Stop loading content from Flickr on this device" in page
    visitor.post(
        "/media/consent",
        {"network": "flickr", "post": post.pk, "next": f"/posts/{post.pk}/", "forget": "1"},
    )
    assert "<iframe" not in main_part(visitor.get(f"/posts/{post.pk}/"))


def test_a_consent_for_elsewhere_or_for_no_network_loads_nothing(post):
    visitor = Client()
    response = visitor.post(
        "/media/consent", {"network": "tracker", "post": post.pk, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/latest/#post-{post.pk}-media"
    assert "<iframe" not in main_part(visitor.get(f"/posts/{post.pk}/?load=tracker:{post.pk}"))
    assert Client().get("/media/consent").status_code == 405
