"""The directory's areas as GeoJSON for the map's script: from Agora's own origin, names in the
reader's language, malformed boundaries left off, and no query once the index is built."""

import json

import pytest
from django.test import Client

from agora.directory.index import invalidate
from tests.directory.conftest import DemoDirectoryTestCase
from tests.directory.test_ask_map import build_city, polygon, square

URL = "/directory/areas.geojson"


class DemoAreasGeoJSONTests(DemoDirectoryTestCase):
    def test_the_districts_with_their_names_kinds_and_links(self):
        response = self.client.get(URL)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"
        collection = json.loads(response.content)
        assert collection["type"] == "FeatureCollection"
        by_slug = {feature["id"]: feature for feature in collection["features"]}
        assert {"centro", "norte", "riverside", "hillside"} <= set(by_slug)
        centro = by_slug["centro"]
        assert centro["geometry"]["type"] in {"Polygon", "MultiPolygon"}
        assert centro["properties"]["kind"] == self.area("centro").kind
        assert centro["properties"]["url"] == "/directory/areas/centro/"
        assert centro["properties"]["name"] == self.area("centro").name_en

    def test_names_and_kinds_in_spanish(self):
        response = self.client.get(URL, HTTP_ACCEPT_LANGUAGE="es")
        by_slug = {feature["id"]: feature for feature in json.loads(response.content)["features"]}
        norte = self.area("norte")
        assert norte.name_es and norte.name_es != norte.name_en
        assert by_slug["norte"]["properties"]["name"] == norte.name_es
        assert by_slug["norte"]["properties"]["kind_label"] == "Distrito"
        english = json.loads(self.client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content)
        assert {f["id"]: f for f in english["features"]}["norte"]["properties"]["name"] == (
            norte.name_en
        )


@pytest.mark.django_db
def test_malformed_boundaries_are_left_off_and_outer_places_come_first():
    build_city(2, point={"type": "Point", "coordinates": [0.05, 40.05]}, nowhere=None)
    collection = json.loads(Client().get(URL).content)
    assert [feature["id"] for feature in collection["features"]] == [
        "city",
        "district-0",
        "district-1",
    ]
    assert collection["features"][1]["geometry"] == polygon(square(0, 40, 0.05, 40.1))


@pytest.mark.django_db
@pytest.mark.parametrize("districts", [2, 20])
def test_the_geojson_reads_in_constant_queries(districts, django_assert_num_queries):
    build_city(districts)
    client = Client()
    invalidate()
    # A changed directory: the index's four queries, and nothing more whatever its size.
    with django_assert_num_queries(4):
        response = client.get(URL)
    assert len(json.loads(response.content)["features"]) == districts + 1
    with django_assert_num_queries(0):
        response = client.get(URL, HTTP_ACCEPT_LANGUAGE="es")
    assert len(json.loads(response.content)["features"]) == districts + 1


@pytest.mark.django_db
def test_only_safe_methods():
    assert Client().post(URL).status_code == 405
