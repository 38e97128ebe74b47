"""The pages other apps add parts to (the home page, an office's, a topic's and an area's page,
one's own profile) and the notifications list, seen as a resident would: on a 320 px phone and
a desktop, in English and in Spanish, each part in its place and in the reader's language, axe
clean, nothing wider than the screen. Screenshots land in var/screenshots/ to look at."""

from pathlib import Path

import pytest

from agora.cases import services as case_services
from agora.conversations import services as conversation_services
from agora.directory import services as directory_services
from agora.directory.demo import DEMO_DIRECTORY
from agora.directory.models import Area, Office, Topic
from agora.social import services as social_services
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}

# path -> the words each language must show there, in the order the page shows them.
PAGES = {
    "home": (
        "/",
        ["Recent questions and reports", "Open conversations"],
        ["Preguntas y avisos recientes", "Conversaciones abiertas"],
    ),
    "office": (
        "/directory/offices/public-lighting/",
        ["Unfollow", "Cases received", "Announcements", "Night works"],
        ["Dejar de seguir", "Casos recibidos", "Anuncios", "Night works"],
    ),
    "topic": (
        "/directory/topics/streetlights/",
        ["Unfollow", "Recent posts about this topic", "Night works"],
        ["Dejar de seguir", "Publicaciones recientes sobre este tema", "Night works"],
    ),
    "area": ("/directory/areas/{area}/", ["Follow"], ["Seguir"]),
    "profile": ("/@{handle}/", ["What you follow", "Public Lighting"], ["Lo que sigues"]),
    "notifications": ("/notifications/", ["follows you."], ["te sigue."]),
}


@pytest.fixture
def a_lived_in_city(transactional_db):
    directory_services.import_directory_file(DEMO_DIRECTORY)
    office = Office.objects.get(slug="public-lighting")
    official = UserFactory(display_name="Lucía Luz", role="official")
    directory_services.add_official(office, official)
    social_services.create_post(
        by=official, body="Night works on Calle Mayor #streetlights", office=office
    )
    case_services.submit_case(
        by=UserFactory(),
        kind="report",
        title="Dark lamp on Calle Mayor",
        description="The lamp at number 12 has been out for a week.",
        topic=Topic.objects.get(slug="streetlights"),
    )
    conversation_services.open_conversation(
        owner=UserFactory(role="moderator"), question="More trees?"
    )
    readers = {
        "en": UserFactory(handle="reader_en", preferred_language="en"),
        "es": UserFactory(handle="reader_es", preferred_language="es"),
    }
    for reader in readers.values():
        social_services.follow_source(office, by=reader)
        social_services.follow_source(Topic.objects.get(slug="streetlights"), by=reader)
        social_services.follow(reader, by=official)
    return readers, Area.objects.order_by("pk").first()


def test_the_assembled_pages_read_right_on_a_phone_and_a_desktop(open_tab, a_lived_in_city):
    for language in ("en", "es"):
        readers, area = a_lived_in_city
        reader = readers[language]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for viewport_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            tab = open_tab(viewport=viewport)
            tab.log_in_as(reader)
            for name, (path, english, spanish) in PAGES.items():
                tab.page.goto(tab.url(path.format(area=area.slug, handle=reader.handle)))
                tab.audit()
                tab.assert_fits_width()
                text = tab.page.locator("main").inner_text()
                words = english if language == "en" else spanish
                places = [text.find(word) for word in words]
                assert -1 not in places, f"{name} ({language}) lacks {words[places.index(-1)]!r}"
                assert places == sorted(places), f"{name} ({language}) shows {words} out of order"
                tab.page.screenshot(
                    path=str(SCREENSHOTS / f"{name}-{viewport_name}-{language}.png"), full_page=True
                )
