"""Routing a request in plain words to the responsible office, on the demo directory."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.directory.index import get_index
from agora.directory.routing import route
from agora.directory.text import edit_distance, fold, sounds_like, words
from tests.directory.conftest import DemoDirectoryTestCase


def test_words_are_folded_stripped_of_little_words_and_plurals():
    assert fold("Camión ÁRBOL") == "camion arbol"
    assert words("The streetlights are broken") == words("streetlight broken")
    assert words("las farolas") == words("farola")
    assert words("contenedores") == words("contenedor")


def test_edit_distance_counts_a_swap_as_one_and_stops_at_the_limit():
    assert edit_distance("streetlihgt", "streetlight", 2) == 1
    assert edit_distance("farola", "faroa", 1) == 1
    assert edit_distance("pothole", "library", 2) == 3


def test_words_said_alike_share_a_key():
    assert sounds_like("vache") == sounds_like("bache")
    assert sounds_like("yuvia") == sounds_like("lluvia")


class RoutingTests(DemoDirectoryTestCase):
    def test_broken_streetlights_on_calle_mayor_go_to_public_lighting(self):
        result = route("who handles broken streetlights on Calle Mayor?", None, "en")

        assert result.office.slug == "public-lighting"
        assert result.topic.slug == "streetlights"
        assert result.area.slug == "calle-mayor"
        assert result.area_from_text
        assert not result.uncertain
        assert result.reason == (
            "Street lighting in Calle Mayor: Public Lighting Unit is responsible, as it is "
            "for all of Villaverde."
        )

    def test_a_spanish_request_with_accents_and_a_typo_finds_its_office(self):
        result = route("la faroa de mi calle está apagada", None, "es")
        assert result.office.slug == "public-lighting"
        assert "Unidad de Alumbrado Público" in result.reason

    def test_a_chosen_district_decides_between_the_district_crews(self):
        west = route("pothole outside my house", self.area("centro"), "en")
        east = route("pothole outside my house", self.area("hillside"), "en")
        assert west.office.slug == "roads-west"
        assert east.office.slug == "roads-east"
        assert "Potholes and road surface in Hillside" in east.reason

    def test_a_district_named_in_the_text_counts_as_the_place(self):
        result = route("bache enorme en el Distrito 4", None, "es")
        assert result.area.slug == "hillside"
        assert result.office.slug == "roads-east"

    def test_a_chosen_area_wins_over_a_place_named_in_the_text(self):
        result = route("pothole in Hillside", self.area("centro"), "en")
        assert result.area.slug == "centro"
        assert not result.area_from_text
        assert result.office.slug == "roads-west"

    def test_a_request_about_two_things_offers_the_other_office_as_an_alternative(self):
        result = route("rats and a broken streetlight", None, "en")
        offices = {candidate.office.slug for candidate in result.candidates}
        assert {"environmental-health", "public-lighting"} <= offices
        assert result.uncertain
        assert result.alternatives

    def test_words_the_directory_does_not_know_get_no_answer(self):
        result = route("xyzzy plugh", None, "en")
        assert result.best is None
        assert result.office is None
        assert result.uncertain
        assert result.reason == ""

    def test_each_office_appears_once_among_the_candidates(self):
        result = route("bins rubbish recycling glass collection", None, "en")
        offices = [candidate.office.pk for candidate in result.candidates]
        assert len(offices) == len(set(offices))

    def test_routing_with_a_warm_index_asks_the_database_nothing(self):
        north = self.area("norte")
        get_index()
        with CaptureQueriesContext(connection) as queries:
            route("dog poo on the pavement", None, "en")
            route("ruido de un bar por la noche", north, "es")
        assert len(queries) == 0

    def test_a_new_keyword_is_routable_at_once(self):
        assert route("quokka", None, "en").best is None
        topic = self.topic("animals")
        topic.keywords_en += "; quokka"
        topic.save()
        assert route("quokka", None, "en").office.slug == "animal-welfare"

    def test_a_place_name_inside_a_topic_phrase_is_not_taken_for_the_place(self):
        result = route("¿dónde está el centro de salud más cercano?", None, "es")
        assert result.area is None
        assert result.office.slug == "regional-health"
        assert route("bache en el Centro", None, "es").area.slug == "centro"
