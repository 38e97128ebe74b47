"""GET /api/v1/directory/route: "Who handles this?" for programs, open to everyone."""

import pytest
from django.test import Client

from agora.directory.models import Office
from tests.directory.conftest import DemoDirectoryTestCase
from tests.helpers import assert_constant_queries

URL = "/api/v1/directory/route"


class RouteApiTests(DemoDirectoryTestCase):
    def test_anyone_can_ask_who_handles_a_request(self):
        response = self.client.get(URL, {"q": "broken streetlights on Calle Mayor"})
        assert response.status_code == 200
        answer = response.json()
        assert answer["best"]["office"]["slug"] == "public-lighting"
        assert answer["best"]["office"]["url"].endswith("/directory/offices/public-lighting/")
        assert answer["best"]["topic"] == {"slug": "streetlights", "name": "Street lighting"}
        assert answer["best"]["area"] == {"slug": "villaverde", "name": "Villaverde"}
        assert answer["area"] == {"slug": "calle-mayor", "name": "Calle Mayor"}
        assert answer["area_from_text"] is True
        assert answer["uncertain"] is False
        assert answer["reason"].startswith("Street lighting in Calle Mayor:")
        assert "Traffic lights belong" in answer["best"]["excludes"]

    def test_the_area_and_language_parameters_are_used(self):
        answer = self.client.get(URL, {"q": "bache", "area": "hillside", "language": "es"}).json()
        assert answer["best"]["office"]["slug"] == "roads-east"
        # The directory's own names come in the language asked for.
        assert "Baches y firme de la calzada" in answer["reason"]
        assert "Las Lomas" in answer["reason"]
        assert "Sección Este de Conservación de Vías" in answer["reason"]

    def test_an_uncertain_answer_carries_alternatives(self):
        answer = self.client.get(URL, {"q": "rats and a broken streetlight"}).json()
        assert answer["uncertain"] is True
        assert "public-lighting" in [item["office"]["slug"] for item in answer["alternatives"]]

    def test_no_answer_is_an_empty_answer_not_an_error(self):
        answer = self.client.get(URL, {"q": "xyzzy"}).json()
        assert answer["best"] is None
        assert answer["alternatives"] == []
        assert answer["reason"] == ""

    def test_bad_input_gets_the_documented_error_and_creates_nothing(self):
        offices = Office.objects.count()
        cases = [
            ({}, "invalid", "q: This field is required."),
            ({"q": ""}, "invalid", "q: Use at least 1 character."),
            ({"q": "x" * 501}, "invalid", "q: Use at most 500 characters."),
            ({"q": "bins", "area": "atlantis"}, "unknown_area", "area: there is no area"),
            ({"q": "bins", "language": "fr"}, "invalid", "language: Choose one of"),
            ({"q": "a\x00b"}, "invalid", "NUL"),
        ]
        for params, code, message in cases:
            response = self.client.get(URL, params)
            assert response.status_code == 422, params
            error = response.json()["error"]
            assert error["code"] == code, params
            assert message in error["message"], params
        assert Office.objects.count() == offices


class OfficeApiTests(DemoDirectoryTestCase):
    def test_the_offices_are_listed_in_pages(self):
        answer = self.client.get("/api/v1/directory/offices", {"limit": 5}).json()
        assert answer["count"] == Office.objects.count()
        assert len(answer["items"]) == 5
        crew = self.client.get("/api/v1/directory/offices", {"limit": 100}).json()["items"]
        west = next(item for item in crew if item["slug"] == "roads-west")
        assert west["parent"] == "street-maintenance"
        assert west["authority"] == "villaverde"

    def test_an_office_carries_its_contact_points_and_responsibilities(self):
        response = self.client.get("/api/v1/directory/offices/public-lighting")
        assert response.status_code == 200
        office = response.json()
        assert office["email"] == "lighting@villaverde.example"
        assert office["opening_hours"].startswith("Monday to Friday")
        assert office["responsibilities"][0]["topic"]["slug"] == "streetlights"

    def test_an_unknown_office_answers_404_in_the_error_shape(self):
        response = self.client.get("/api/v1/directory/offices/nope")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_office_endpoints_read_in_constant_queries():
    from tests.directory.test_pages import add_units, build_offices

    parent, area = build_offices(5)
    client = Client()
    answers = assert_constant_queries(
        {
            "list": lambda: client.get("/api/v1/directory/offices?limit=100"),
            "office": lambda: client.get(f"/api/v1/directory/offices/{parent.slug}"),
        },
        lambda: add_units(parent, area, 45),
        expected={
            "list": 3,  # the request budget, count, page
            "office": 3,  # the request budget, office, its responsibilities
        },
    )
    few, many = (response.json() for response in answers["list"])
    assert (few["count"], len(few["items"])) == (11, 11)
    assert (many["count"], len(many["items"])) == (101, 100)
    few, many = (response.json() for response in answers["office"])
    assert len(few["responsibilities"]) == 5 and len(many["responsibilities"]) == 50
