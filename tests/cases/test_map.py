"""Public cases on the directory's map page: counted by place and drawn as points; private
cases never, whoever asks."""

import json

from agora.cases.models import Case
from agora.directory.index import invalidate
from tests.cases.sending import send_case
from tests.cases.test_pages import case_form
from tests.directory.factories import AreaFactory

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[-3.71, 40.41], [-3.69, 40.41], [-3.69, 40.43], [-3.71, 40.43], [-3.71, 40.41]]
    ],
}


def bounded(town):
    town.city.boundary = SQUARE
    town.city.save()
    invalidate()


def test_public_cases_are_points_and_private_ones_never(town, client):
    bounded(town)
    public = town.submit(title="Dark lamp by the school", longitude=-3.7, latitude=40.42)
    town.submit(title="My private lamp", longitude=-3.701, latitude=40.421, is_public=False)
    town.submit(title="Lamp without a place")
    for viewer in (None, town.resident, town.lighting_official, town.administrator):
        if viewer is not None:
            client.force_login(viewer)
        response = client.get("/cases/map.geojson")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"
        features = json.loads(response.content)["features"]
        assert features == [
            {
                "type": "Feature",
                "id": public.pk,
                "geometry": {"type": "Point", "coordinates": [-3.7, 40.42]},
                "properties": {"title": "Dark lamp by the school", "url": f"/cases/{public.pk}/"},
            }
        ]
        assert "My private lamp" not in response.content.decode()


def test_the_map_page_counts_public_cases_by_place(town, client):
    bounded(town)
    town.submit(title="One", area=town.city)
    town.submit(title="Two", area=town.city, longitude=-3.7, latitude=40.42)
    town.submit(title="Hidden", area=town.city, is_public=False)
    client.force_login(town.resident)
    page = client.get("/directory/map/").content.decode()
    points = page[page.index('data-points="') :].split('"')[1].split()
    assert "/cases/map.geojson" in points
    counts = page[page.index('id="map-counts-heading"') :]
    assert '<td><a href="/directory/areas/testville/">Testville</a></td><td>2</td>' in counts
    assert "Hidden" not in page


def test_the_counts_are_kept_until_a_case_changes(town, client, django_assert_num_queries):
    town.submit(title="One", area=town.city)
    client.get("/directory/map/")  # counted, and kept
    with django_assert_num_queries(0):
        page = client.get("/directory/map/").content.decode()
    assert "<td>1</td>" in page
    town.submit(title="Two", area=town.city)
    page = client.get("/directory/map/").content.decode()
    assert "<td>2</td>" in page


def test_points_read_in_one_query(town, client, django_assert_num_queries):
    for number in range(5):
        town.submit(title=f"Lamp {number}", longitude=-3.7, latitude=40.42)
    with django_assert_num_queries(1):
        response = client.get("/cases/map.geojson")
    assert len(json.loads(response.content)["features"]) == 5


def test_a_place_picked_on_the_map_sets_the_point_and_the_area(town, client):
    bounded(town)
    inner = AreaFactory(
        parent=town.city,
        slug="plaza",
        name_en="Plaza",
        kind="neighbourhood",
        boundary={
            "type": "Polygon",
            "coordinates": [[[-3.705, 40.415], [-3.7, 40.415], [-3.7, 40.42], [-3.705, 40.415]]],
        },
    )
    invalidate()
    client.force_login(town.resident)
    form = case_form(town, latitude="40.4160", longitude="-3.7010", address="")
    response = send_case(client, form)
    assert response.status_code == 302
    case = Case.objects.get(title=form["title"])
    assert (case.latitude, case.longitude, case.area) == (40.416, -3.701, inner)


def test_a_chosen_area_wins_and_half_a_point_is_dropped(town, client):
    bounded(town)
    client.force_login(town.resident)
    send_case(client, case_form(town, title="Chosen", latitude="40.42", longitude="-3.7"))
    case = Case.objects.get(title="Chosen")
    assert (case.area, case.latitude) == (town.city, 40.42)  # the smallest place holding it
    send_case(client, case_form(town, title="Half", latitude="40.42"))
    case = Case.objects.get(title="Half")
    assert (case.latitude, case.longitude) == (None, None)


def test_the_form_keeps_the_point_and_refuses_one_off_the_globe(town, client):
    client.force_login(town.resident)
    response = client.post(
        "/cases/new/", case_form(town, title="", latitude="40.4", longitude="-3.7")
    )
    page = response.content.decode()
    assert 'name="latitude" value="40.4"' in page and 'type="hidden"' in page
    response = client.post("/cases/new/", case_form(town, latitude="95", longitude="-3.7"))
    assert response.status_code == 400  # the form again, as for any other mistake
    assert not Case.objects.filter(latitude=95).exists()


def test_without_a_point_the_address_and_the_list_still_file_it(town, client):
    client.force_login(town.resident)
    response = send_case(client, case_form(town, title="By address"))
    assert response.status_code == 302
    case = Case.objects.get(title="By address")
    assert (case.address, case.latitude) == ("Calle Mayor 12", None)


def test_the_picker_names_the_tile_server_only_when_one_is_set(town, client, settings):
    client.force_login(town.resident)
    page = client.get("/cases/new/").content.decode()
    assert 'class="place-picker" hidden data-areas="/directory/areas.geojson">' in page
    settings.AGORA_MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.AGORA_MAP_TILES_ATTRIBUTION = "© Example"
    page = client.get("/cases/new/").content.decode()
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in page
    assert 'data-attribution="© Example"' in page
