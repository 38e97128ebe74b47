"""Open311 GeoReport v2: the documents validate against the published JSON Schemas, XML says
the same as JSON, and bad input gets the spec's error list and creates nothing."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from agora.cases import services
from agora.cases.models import Case, Channel
from agora.core.audit import entries_for
from tests.helpers import assert_constant_queries
from tests.shared_data import SHARED_DATA

pytestmark = pytest.mark.django_db

SCHEMAS = SHARED_DATA / "open311" / "georeport-v2"
W3_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")


def validator(name: str) -> Draft4Validator:
    registry = Registry()
    for path in SCHEMAS.glob("*.json"):
        resource = Resource.from_contents(
            json.loads(path.read_text()), default_specification=DRAFT4
        )
        registry = registry.with_resource(path.name, resource)
    schema = json.loads((SCHEMAS / name).read_text())
    return Draft4Validator(schema, registry=registry)


def assert_valid(document, schema: str):
    errors = list(validator(schema).iter_errors(document))
    assert not errors, [error.message for error in errors]


@pytest.fixture
def api_key(town):
    return services.create_open311_key("FixMyStreet test")


def new_request(town, key, **changes):
    data = {
        "api_key": key,
        "service_code": town.lighting.slug,
        "lat": "40.4168",
        "long": "-3.7038",
        "address_string": "Calle Mayor 12",
        "description": "Streetlight out\nDark since Monday.",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def parse_xml(response) -> ElementTree.Element:
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    return ElementTree.fromstring(body.split("\n", 1)[1])  # noqa: S314 (our own output)


def test_discovery_names_the_v2_endpoint_and_its_formats(client, town):
    document = client.get("/open311/discovery.json").json()
    (endpoint,) = document["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}


def test_services_are_the_topics_an_office_handles_and_validate(client, town):
    from tests.directory.factories import TopicFactory

    TopicFactory(slug="nobody-handles-this")
    response = client.get("/open311/v2/services.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    services_list = response.json()
    assert_valid(services_list, "services.json")
    assert [service["service_code"] for service in services_list] == [
        "potholes",
        "street-lighting",
    ]
    assert services_list[1]["service_name"] == "Street lighting"


def test_a_service_definition_validates_and_an_unknown_one_is_404(client, town):
    document = client.get("/open311/v2/services/street-lighting.json").json()
    assert_valid(document, "service-definition.json")
    response = client.get("/open311/v2/services/no-such-service.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_an_application_with_a_key_creates_a_public_case_routed_to_the_office(
    client, town, api_key
):
    response = client.post("/open311/v2/requests.json", new_request(town, api_key))
    assert response.status_code == 200
    (created,) = response.json()
    case = Case.objects.get()
    assert created["service_request_id"] == str(case.pk)
    assert case.channel == Channel.OPEN311 and case.is_public and case.submitted_by is None
    assert case.office == town.lighting_office
    assert case.title == "Streetlight out" and case.address == "Calle Mayor 12"
    assert (case.latitude, case.longitude) == (40.4168, -3.7038)
    assert entries_for(case).get().data["application"] == "FixMyStreet test"

    document = client.get(f"/open311/v2/requests/{case.pk}.json").json()
    assert_valid(document, "requests.json")
    (request,) = document
    assert request["status"] == "open"
    assert request["agency_responsible"] == "Public Lighting Unit"
    assert request["service_code"] == "street-lighting"
    assert W3_DATETIME.match(request["requested_datetime"])
    assert W3_DATETIME.match(request["expected_datetime"])


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"api_key": None}, 403),
        ({"api_key": "o311_wrong"}, 403),
        ({"service_code": None}, 400),
        ({"service_code": "no-such-service"}, 404),
        ({"lat": None, "long": None, "address_string": None}, 400),
        ({"lat": "40.4", "long": None, "address_string": None}, 400),
        ({"lat": "north", "long": "-3.7"}, 400),
        ({"lat": "91", "long": "-3.7"}, 400),
        ({"long": "nan"}, 400),
        ({"description": "x" * 4001}, 400),
    ],
)
def test_bad_requests_get_the_documented_error_and_create_nothing(
    client, town, api_key, changes, status
):
    response = client.post("/open311/v2/requests.json", new_request(town, api_key, **changes))
    assert response.status_code == status
    errors = response.json()
    assert errors and all(error["code"] == status and error["description"] for error in errors)
    assert not Case.objects.exists()


def test_a_revoked_key_is_refused(client, town, api_key):
    from agora.cases.models import Open311ApiKey

    Open311ApiKey.objects.update(is_active=False)
    response = client.post("/open311/v2/requests.json", new_request(town, api_key))
    assert response.status_code == 403 and not Case.objects.exists()


def test_the_post_needs_no_csrf_token_but_the_web_forms_do(town, api_key):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/open311/v2/requests.json", new_request(town, api_key)).status_code == 200
    assert Case.objects.get().channel == Channel.OPEN311
    strict.force_login(town.resident)
    assert strict.post("/cases/new/", {}).status_code == 403
    assert Case.objects.count() == 1


def test_the_request_list_filters_and_shows_only_public_cases(client, town):
    lamp = town.submit(title="Lamp")
    pothole = town.submit(title="Hole", topic=town.potholes)
    private = town.submit(title="Private", is_public=False)
    services.resolve_case(pothole, by=town.roads_official)

    def ids(query=""):
        document = client.get(f"/open311/v2/requests.json{query}").json()
        assert_valid(document, "requests.json")
        return {int(request["service_request_id"]) for request in document}

    assert ids() == {lamp.pk, pothole.pk}
    assert ids("?status=open") == {lamp.pk}
    assert ids("?status=closed") == {pothole.pk}
    assert ids("?status=open,closed&service_code=potholes") == {pothole.pk}
    assert ids(f"?service_request_id={lamp.pk},{private.pk}") == {lamp.pk}
    assert ids("?start_date=2000-01-01T00:00:00Z&end_date=2000-02-01T00:00:00Z") == set()
    assert client.get(f"/open311/v2/requests/{private.pk}.json").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "?start_date=yesterday",
        "?start_date=2026-01-01T00:00:00",  # no zone
        "?start_date=2026-01-01T00:00:00Z&end_date=2025-01-01T00:00:00Z",
        "?start_date=2025-01-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",  # over 90 days
        "?status=pending",
        "?service_request_id=1,abc",
        "?service_request_id=99999999999999999999999",
        "?service_request_id=%C2%B2",
        "?service_code=%00",
        "?status=open%00",
        "?lat=abc&long=1",
        "?lat=40.4&long=inf",
        "?lat=40.4",
        "?long=-3.7",
        "?lat=40.4&long=-3.7&radius=0",
        "?lat=40.4&long=-3.7&radius=20001",
        "?lat=40.4&long=-3.7&radius=1e3",
        "?radius=500",
    ],
)
def test_bad_queries_get_a_400_error_list(client, town, query):
    response = client.get(f"/open311/v2/requests.json{query}")
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_requests_near_a_point_are_those_within_the_radius(client, town):
    near = town.submit(title="Lamp out near the square", latitude=40.4168, longitude=-3.7038)
    across_town = town.submit(title="Lamp out across town", latitude=40.4500, longitude=-3.7038)
    town.submit(title="Lamp out, no place given")

    def ids(query):
        return {
            item["service_request_id"]
            for item in client.get(f"/open311/v2/requests.json{query}").json()
        }

    assert ids("?lat=40.4170&long=-3.7040") == {str(near.pk)}
    assert ids("?lat=40.4170&long=-3.7040&radius=5000") == {str(near.pk), str(across_town.pk)}
    assert ids("?lat=40.4500&long=-3.7038&radius=100") == {str(across_town.pk)}


def test_xml_says_what_json_says(client, town, api_key):
    client.post("/open311/v2/requests.xml", new_request(town, api_key))
    case = Case.objects.get()
    response = client.get("/open311/v2/requests.xml")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = parse_xml(response)
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    json_request = client.get("/open311/v2/requests.json").json()[0]
    for name, value in json_request.items():
        element = request.find(name)
        assert element is not None, name
        assert (element.text or None) == (None if value is None else str(value)), name
    assert request.findtext("service_request_id") == str(case.pk)

    services_root = parse_xml(client.get("/open311/v2/services.xml"))
    assert [service.findtext("service_code") for service in services_root] == [
        "potholes",
        "street-lighting",
    ]
    assert services_root[0].findtext("metadata") == "false"


def test_errors_in_xml_follow_the_spec(client, town):
    response = client.post("/open311/v2/requests.xml", {"service_code": "street-lighting"})
    assert response.status_code == 403
    root = parse_xml(response)
    assert root.tag == "errors"
    assert root.find("error").findtext("code") == "403"
    assert "api_key" in root.find("error").findtext("description")


def test_unknown_open311_addresses_answer_404_in_the_error_shape(client, town):
    response = client.get("/open311/v2/nothing.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


def test_the_request_list_reads_in_a_constant_number_of_queries(client, town):
    for number in range(5):
        town.submit(title=f"Lamp {number}")

    def add_more():
        for number in range(45):
            town.submit(title=f"More {number}")

    few, many = assert_constant_queries(
        lambda: client.get("/open311/v2/requests.json"), add_more, expected=1
    )
    for response, count in ((few, 5), (many, 50)):
        assert_valid(response.json(), "requests.json")
        assert len(response.json()) == count


def test_the_key_command_prints_a_working_key(client, town, capsys):
    call_command("open311_key", "Cityapp")
    key = capsys.readouterr().out.strip()
    response = client.post("/open311/v2/requests.json", new_request(town, key))
    assert response.status_code == 200
    case = Case.objects.get()
    assert response.json()[0]["service_request_id"] == str(case.pk)
    assert entries_for(case).get().data["application"] == "Cityapp"
