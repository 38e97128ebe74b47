"""Public cases on the directory's map page: counted by place and drawn as points; private
cases never, whoever asks."""

import json

from agora.directory.index import invalidate

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
    assert 'data-points="/cases/map.geojson"' in page
    counts = page[page.index('id="map-counts-heading"') :]
    assert '<td><a href="/directory/areas/testville/">Testville</a></td><td>2</td>' in counts
    assert "Hidden" not in page


def test_points_read_in_one_query(town, client, django_assert_num_queries):
    for number in range(5):
        town.submit(title=f"Lamp {number}", longitude=-3.7, latitude=40.42)
    with django_assert_num_queries(1):
        response = client.get("/cases/map.geojson")
    assert len(json.loads(response.content)["features"]) == 5
