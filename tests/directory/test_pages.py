"""The directory's pages: the offices, an office, a topic, an area, and "Who handles this?",
each in a constant number of queries and working without JavaScript."""

import re

import pytest
from django.test import Client

from agora.directory import services
from agora.directory.models import Office, OfficeRole, Topic
from tests.directory.conftest import DemoDirectoryTestCase
from tests.directory.factories import (
    AreaFactory,
    AuthorityFactory,
    OfficeFactory,
    ResponsibilityFactory,
    TopicFactory,
)
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part


class PageTests(DemoDirectoryTestCase):
    def test_the_index_shows_offices_under_their_authority_and_parent(self):
        html = main_part(self.client.get("/directory/"))
        assert '<h2 id="authority-villaverde">City of Villaverde</h2>' in html
        assert "Valle Alto Regional Government" in html
        street = html.index("Street Maintenance Unit")
        assert html.index("Roads and Mobility") < street < html.index("Street Maintenance West")

    def test_an_office_page_shows_its_responsibilities_contact_and_hours(self):
        html = main_part(self.client.get("/directory/offices/public-lighting/"))
        assert "<h1>Public Lighting Unit</h1>" in html
        assert "Street lighting" in html
        assert "Traffic lights belong to the Traffic and Parking Unit." in html
        assert 'href="mailto:lighting@villaverde.example"' in html
        assert "Monday to Friday" in html
        assert 'href="/directory/offices/roads-mobility/"' in html

    def test_an_office_page_names_its_officials_with_public_profiles_only(self):
        office = self.office("roads-mobility")
        visible = UserFactory(display_name="Ana Ruiz")
        hidden = UserFactory(display_name="Hidden Person", profile_visibility="private")
        services.add_official(office, visible, role=OfficeRole.HEAD, title="Head of Roads")
        services.add_official(office, hidden)
        html = main_part(self.client.get(office.get_absolute_url()))
        assert "Ana Ruiz" in html and "Head of Roads" in html
        assert "Hidden Person" not in html

    def test_the_office_page_speaks_spanish_to_a_spanish_reader(self):
        html = main_part(
            self.client.get("/directory/offices/public-lighting/", HTTP_ACCEPT_LANGUAGE="es")
        )
        assert "Unidad de Alumbrado Público" in html
        assert "De lunes a viernes" in html

    def test_topic_area_and_topic_list_pages(self):
        topic = main_part(self.client.get("/directory/topics/potholes/"))
        assert "Street Maintenance West Section" in topic
        area = main_part(self.client.get("/directory/areas/calle-mayor/"))
        assert "<h1>Calle Mayor</h1>" in area
        assert area.index("Villaverde") < area.index("Centro") < area.index("Old Town")
        listing = main_part(self.client.get("/directory/topics/"))
        assert 'href="/directory/topics/streetlights/"' in listing

    def test_unknown_entries_answer_404(self):
        for path in ("offices/nope/", "topics/nope/", "areas/nope/"):
            assert self.client.get(f"/directory/{path}").status_code == 404

    def test_who_handles_broken_streetlights_on_calle_mayor(self):
        response = self.client.get(
            "/directory/ask/", {"q": "who handles broken streetlights on Calle Mayor?"}
        )
        html = main_part(response)
        assert response.status_code == 200
        assert 'href="/directory/offices/public-lighting/">Public Lighting Unit</a>' in html
        assert "Street lighting in Calle Mayor: Public Lighting Unit is responsible" in html
        assert 'value="who handles broken streetlights on Calle Mayor?"' in html

    def test_a_chosen_area_is_used_and_kept_in_the_form(self):
        response = self.client.get("/directory/ask/", {"q": "bache", "area": "hillside"})
        html = main_part(response)
        assert "Street Maintenance East Section" in html
        assert '<option value="hillside" selected>' in html

    def test_an_uncertain_answer_lists_the_alternatives(self):
        html = main_part(self.client.get("/directory/ask/", {"q": "rats and a broken streetlight"}))
        assert "Not sure? It could also be:" in html
        assert "Public Lighting Unit" in html

    def test_a_sure_answer_does_not_list_alternatives(self):
        html = main_part(self.client.get("/directory/ask/", {"q": "pothole in the road"}))
        assert "Not sure?" not in html

    def test_words_nobody_handles_get_an_honest_answer(self):
        html = main_part(self.client.get("/directory/ask/", {"q": "xyzzy"}))
        assert "We could not tell which office handles this." in html

    def test_bad_input_gets_the_form_back_with_its_errors_and_changes_nothing(self):
        offices = Office.objects.count()
        for query in ({"q": ""}, {"q": "x" * 501}, {"q": "bins", "area": "atlantis"}):
            response = self.client.get("/directory/ask/", query)
            html = main_part(response)
            assert response.status_code == 200
            assert "Please correct the marked fields." in html
            assert 'aria-invalid="true"' in html
            assert "Responsible office" not in html
        assert Office.objects.count() == offices

    def test_the_empty_form_asks_the_question(self):
        html = main_part(self.client.get("/directory/ask/"))
        assert '<label for="id_q">What do you need?</label>' in html
        assert '<label for="id_area">Where?</label>' in html
        assert "Please correct" not in html

    def test_every_page_carries_the_nav_link_and_no_inline_script_or_style(self):
        for path in (
            "/directory/",
            "/directory/ask/?q=bins",
            "/directory/offices/roads-mobility/",
            "/directory/topics/",
            "/directory/topics/noise/",
            "/directory/areas/hillside/",
        ):
            html = self.client.get(path).content.decode()
            assert 'href="/directory/ask/">Who handles this?</a>' in html, path
            # Scripts only from this site's static files (the Share button's), never inline.
            scripts = re.findall(r"<script[^>]*>", html)
            assert all(re.fullmatch(r'<script src="/static/[^"]+" defer>', s) for s in scripts)
            assert "style=" not in html and "<style" not in html, path


def build_offices(count: int):
    parent = OfficeFactory(authority=AuthorityFactory())
    area = AreaFactory()
    add_units(parent, area, count)
    return parent, area


def add_units(parent, area, count: int):
    """`count` units under `parent`, each with a unit of its own, and as many topics `parent`
    answers for in `area`."""
    for _number in range(count):
        office = OfficeFactory(authority=parent.authority, parent=parent)
        ResponsibilityFactory(office=parent, topic=TopicFactory(), area=area)
        OfficeFactory(authority=parent.authority, parent=office)


@pytest.mark.django_db
def test_directory_pages_read_in_constant_queries():
    parent, area = build_offices(5)
    topic = parent.responsibilities.first().topic
    client = Client()
    client.get("/directory/ask/?q=x")  # builds the routing index once

    def add_45_units():
        add_units(parent, area, 45)
        client.get("/directory/ask/?q=x")  # and again, as the directory changed

    newest_before = Office.objects.latest("pk"), Topic.objects.latest("pk")
    pages = assert_constant_queries(
        {
            "index": lambda: client.get("/directory/"),
            "office": lambda: client.get(parent.get_absolute_url()),
            "topics": lambda: client.get("/directory/topics/"),
            "topic": lambda: client.get(topic.get_absolute_url()),
            "area": lambda: client.get(area.get_absolute_url()),
            "ask": lambda: client.get("/directory/ask/", {"q": topic.name_en}),
        },
        add_45_units,
        expected={
            "index": 2,  # authorities, offices
            # office, its responsibilities, units, officials, followers, case figures,
            # announcements, coming meetings
            "office": 8,
            "topics": 1,
            "topic": 5,  # topic, its units, its responsibilities, followers, posts
            "area": 5,  # area, its children, its responsibilities, followers, urgent pinned
            "ask": 0,  # routing answers from the cached index
        },
    )
    newest_after = Office.objects.latest("pk"), Topic.objects.latest("pk")
    for run, (office, new_topic) in enumerate((newest_before, newest_after)):
        shown = {name: main_part(responses[run]) for name, responses in pages.items()}
        assert f'href="{office.get_absolute_url()}"' in shown["index"]
        assert f'href="{office.parent.get_absolute_url()}"' in shown["office"]  # its unit
        assert f'href="{new_topic.get_absolute_url()}"' in shown["topics"]
        assert new_topic.name in shown["area"]
        assert parent.name in shown["topic"] and parent.name in shown["ask"]
    assert f'href="{newest_after[0].get_absolute_url()}"' not in main_part(pages["index"][0])
