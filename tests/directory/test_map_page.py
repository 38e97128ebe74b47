"""The directory's map page: the SVG drawing and the list of places without JavaScript, the
map's script and vendored Leaflet from Agora's own origin, and base tiles only from the tile
server the administrator names, which the content security policy then admits alone."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from agora.core.env import tiles_origin
from tests.core.test_settings import load_settings
from tests.directory.conftest import DemoDirectoryTestCase


def img_src(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    return re.search(r"img-src ([^;]+)", policy).group(1).split()


class MapPageTests(DemoDirectoryTestCase):
    def test_the_drawing_and_the_list_link_to_the_places(self):
        response = self.client.get("/directory/map/")
        page = response.content.decode()
        assert response.status_code == 200
        assert '<svg class="area-map"' in page
        for slug in ("centro", "norte", "riverside", "hillside"):
            assert page.count(f'href="/directory/areas/{slug}/"') == 2  # drawing and list
        assert 'data-areas="/directory/areas.geojson"' in page
        assert "/static/directory/vendor/leaflet/leaflet.js" in page
        assert "/static/directory/map.js" in page
        assert "data-tiles" not in page
        assert "<script>" not in page and " style=" not in page

    def test_in_spanish(self):
        page = self.client.get("/directory/map/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert "Mapa de lugares" in page
        assert f">{self.area('norte').name_es}</a></li>" in page

    def test_without_a_tile_server_images_come_only_from_agora(self):
        response = self.client.get("/directory/map/")
        assert img_src(response) == ["'self'", "data:"]
        assert re.search(r"https?://", response.content.decode().split("<main", 1)[1]) is None

    def test_a_tile_server_is_named_to_the_script(self):
        with override_settings(
            AGORA_MAP_TILES_URL="https://tiles.example.org/{z}/{x}/{y}.png",
            AGORA_MAP_TILES_ATTRIBUTION="© Example contributors",
        ):
            page = self.client.get("/directory/map/").content.decode()
        assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in page
        assert 'data-attribution="© Example contributors"' in page


def test_the_policy_admits_the_tile_host_and_no_other():
    shown = "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']"
    result = load_settings(shown, AGORA_ENV="test")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[\"'self'\", 'data:']"
    result = load_settings(
        shown, AGORA_ENV="test", AGORA_MAP_TILES_URL="https://tiles.example.org/{z}/{x}/{y}.png"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[\"'self'\", 'data:', 'https://tiles.example.org']"


def test_the_header_carries_the_tile_host(client, db):
    from django.conf import settings

    directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    directives["img-src"] = [
        *directives["img-src"],
        tiles_origin("https://t.example.org/{z}/{x}/{y}.png"),
    ]
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": directives}):
        response = client.get("/directory/map/")
    assert img_src(response) == ["'self'", "data:", "https://t.example.org"]
    for directive in ("script-src", "connect-src", "style-src", "default-src"):
        assert re.search(rf"{directive} 'self'(;|$)", response["Content-Security-Policy"])


@pytest.mark.parametrize(
    "url",
    [
        "http://tiles.example.org/{z}/{x}/{y}.png",
        "https://*.example.org/{z}/{x}/{y}.png",
        "https://tiles.example.org/tile.png",
        "tiles.example.org/{z}/{x}/{y}.png",
        "https://user@tiles.example.org/{z}/{x}/{y}.png",
    ],
)
def test_a_tile_url_that_would_open_the_policy_is_refused(url):
    with pytest.raises(ImproperlyConfigured):
        tiles_origin(url)


def test_a_local_tile_server_may_be_plain_http():
    assert tiles_origin("http://127.0.0.1:8080/{z}/{x}/{y}.png") == "http://127.0.0.1:8080"
