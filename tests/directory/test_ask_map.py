"""The map on "Who handles this?": the places with a boundary as SVG links that ask the same
words again for that place, named in the reader's language, drawn from the routing index."""

import html
import math
import re

import pytest
from django.test import Client

from agora.directory import maps
from agora.directory.index import get_index, invalidate
from tests.directory.conftest import DemoDirectoryTestCase
from tests.directory.factories import AreaFactory

DISTRICTS = {"centro", "norte", "riverside", "hillside"}
MAP_LINK = re.compile(r'<a href="([^"]+)" aria-label="([^"]+)"( aria-current="true")?>')


def square(west, south, east, north) -> list:
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def polygon(*rings) -> dict:
    return {"type": "Polygon", "coordinates": list(rings)}


def svg_of(response) -> str:
    content = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="area-map"' in content, "the page has no map"
    return content[content.index('<svg class="area-map"') : content.index("</svg>")]


def map_links(response) -> dict[str, tuple[str, str, bool]]:
    """{slug: (href as the browser reads it, accessible name, marked current)} of the map."""
    links = {}
    for href, name, current in MAP_LINK.findall(svg_of(response)):
        href = html.unescape(href)
        links[href.rsplit("area=", 1)[1]] = (href, html.unescape(name), bool(current))
    return links


def path_rings(path: str) -> list[list[tuple[float, float]]]:
    return [
        [tuple(float(number) for number in point.split(",")) for point in ring.split(" L")]
        for ring in re.findall(r"M([^MZ]+) Z", path)
    ]


def inside(rings, x: float, y: float) -> bool:
    crossings = 0
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                crossings += 1
    return crossings % 2 == 1


def labels_inside_their_places(figure, language) -> dict[str, tuple]:
    """{slug: the box of its label} for the labels laid out, each checked to lie in the box
    of its own place."""
    shapes = {shape.area.pk: shape for shape in figure.shapes}
    boxes = {}
    for area_id, lines in maps.lay_out_labels(figure, language).items():
        width = max(len(line.text) for line in lines) * maps.CHARACTER_WIDTH * maps.FONT_SIZE
        x = float(lines[0].x)
        box = (
            x - width / 2,
            float(lines[0].y) - maps.FONT_SIZE,
            x + width / 2,
            float(lines[-1].y),
        )
        left, top, right, bottom = shapes[area_id].box
        assert left <= box[0] and box[2] <= right and top <= box[1] and box[3] <= bottom
        boxes[shapes[area_id].area.slug] = box
    return boxes


def assert_apart(boxes) -> None:
    for number, box in enumerate(boxes):
        for other in boxes[number + 1 :]:
            apart = box[2] <= other[0] or other[2] <= box[0]
            assert apart or box[3] <= other[1] or other[3] <= box[1], (box, other)


class DemoMapTests(DemoDirectoryTestCase):
    def test_after_an_answer_each_district_is_a_link_asking_the_same_words_there(self):
        words = "baches & farolas en la calle Año"
        response = self.client.get("/directory/ask/", {"q": words})
        content = response.content.decode()
        assert "Pick your area on the map" in content
        links = map_links(response)
        assert set(links) == DISTRICTS  # the city is the outline around them, not a link
        for slug, (href, _name, current) in links.items():
            assert href == (
                f"/directory/ask/?q=baches+%26+farolas+en+la+calle+A%C3%B1o&area={slug}"
            )
            assert not current
            # The list beside the map carries the same link.
            assert content.count(f'href="{html.escape(href)}"') == 2
        assert svg_of(response).count('class="area-map-outline"') == 1

        followed = self.client.get(links["riverside"][0])
        page = followed.content.decode()
        assert 'value="baches &amp; farolas en la calle Año"' in page
        assert "Please correct" not in page

    def test_a_click_on_a_district_asks_again_there_and_marks_it(self):
        anywhere = self.client.get("/directory/ask/", {"q": "pothole in the road"})
        riverside = self.client.get(map_links(anywhere)["riverside"][0])
        page = riverside.content.decode()
        answer = page[page.index('<section class="answer"') :]
        assert "Street Maintenance West Section" in answer[: answer.index("</section>")]
        assert '<option value="riverside" selected>' in page
        links = map_links(riverside)
        assert [slug for slug, link in links.items() if link[2]] == ["riverside"]
        assert (
            '<a href="/directory/ask/?q=pothole+in+the+road&amp;area=riverside" '
            'aria-current="true">Riverside</a>'
        ) in page

        hillside = self.client.get(links["hillside"][0]).content.decode()
        assert "Street Maintenance East Section" in hillside

    def test_the_places_are_named_in_the_readers_language(self):
        english = map_links(self.client.get("/directory/ask/", {"q": "bache"}))
        assert {slug: link[1] for slug, link in english.items()} == {
            "centro": "Centro",
            "norte": "North",
            "riverside": "Riverside",
            "hillside": "Hillside",
        }
        response = self.client.get("/directory/ask/", {"q": "bache"}, HTTP_ACCEPT_LANGUAGE="es")
        spanish = map_links(response)
        assert {slug: link[1] for slug, link in spanish.items()} == {
            "centro": "Centro",
            "norte": "Norte",
            "riverside": "La Ribera",
            "hillside": "Las Lomas",
        }
        svg = svg_of(response)
        assert "<title>La Ribera</title>" in svg
        assert '<tspan x="297" y="395.1">La Ribera</tspan>' in svg
        assert "Riverside" not in svg

    def test_every_district_has_a_label_inside_it_and_no_two_labels_overlap(self):
        figure = maps.figure_for(get_index())
        for language in ("en", "es"):
            boxes = labels_inside_their_places(figure, language)
            assert set(boxes) == DISTRICTS
            assert_apart(list(boxes.values()))

    def test_before_anything_is_typed_there_is_no_map(self):
        content = self.client.get("/directory/ask/").content.decode()
        assert "area-map" not in content

    def test_a_place_without_words_fills_in_where_and_is_no_error(self):
        response = self.client.get("/directory/ask/", {"area": "norte"})
        content = response.content.decode()
        assert response.status_code == 200
        assert '<option value="norte" selected>' in content
        assert "Please correct" not in content
        assert 'aria-invalid="true"' not in content
        assert "area-map" not in content
        unknown = self.client.get("/directory/ask/", {"area": "atlantis"}).content.decode()
        assert "Please correct" not in unknown
        assert not re.search(r'<option value="[a-z-]+" selected>', unknown)

    def test_a_question_with_errors_gets_no_map(self):
        content = self.client.get("/directory/ask/", {"q": "", "area": "norte"}).content.decode()
        assert "Please correct the marked fields." in content
        assert "area-map" not in content

    def test_the_map_page_has_no_inline_script_or_style(self):
        content = self.client.get("/directory/ask/", {"q": "bins"}).content.decode()
        assert "<svg" in content
        assert "<script" not in content and "style=" not in content and "<style" not in content


@pytest.mark.parametrize(
    "boundary",
    [
        None,
        "not a geometry",
        [[0, 0], [1, 0], [1, 1]],
        {"type": "Point", "coordinates": [1, 1]},
        {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[["a", "b"], ["c", "d"], ["e", "f"]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]},  # two points
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [2, 2], [0, 0]]]},  # no area
        {"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [200, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, math.nan], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [True, 0], [1, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [10**400, 0], [1, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0], [1, 0], [1, 1], [0, 0]]]},
        {"type": "MultiPolygon", "coordinates": [[square(0, 0, 1, 1)], []]},
        {"type": "MultiPolygon", "coordinates": [square(0, 0, 1, 1)]},  # one level short
    ],
)
def test_a_malformed_boundary_is_refused(boundary):
    with pytest.raises(maps.MalformedBoundary):
        maps.polygons(boundary)


def test_polygons_and_multipolygons_with_holes_are_read():
    with_hole = polygon(square(0, 0, 4, 4), square(1, 1, 2, 2))
    assert len(maps.polygons(with_hole)) == 1
    assert len(maps.polygons(with_hole)[0]) == 2
    multi = {
        "type": "MultiPolygon",
        "coordinates": [with_hole["coordinates"], [square(5, 5, 6, 6)]],
    }
    assert [len(rings) for rings in maps.polygons(multi)] == [2, 1]


def build_city(districts: int, **extra_boundaries):
    """A city 0.1° square at latitude 40 cut into vertical stripes, one district each."""
    city = AreaFactory(kind="city", slug="city", boundary=polygon(square(0, 40, 0.1, 40.1)))
    width = 0.1 / districts
    for number in range(districts):
        AreaFactory(
            parent=city,
            slug=f"district-{number}",
            name_en=f"District {number}",
            boundary=polygon(square(number * width, 40, (number + 1) * width, 40.1)),
        )
    for slug, boundary in extra_boundaries.items():
        AreaFactory(parent=city, slug=slug, name_en=slug.title(), boundary=boundary)
    return city


@pytest.mark.django_db
def test_malformed_and_missing_boundaries_are_left_off_the_map():
    build_city(
        2,
        nowhere=None,
        point={"type": "Point", "coordinates": [0.05, 40.05]},
        letters={"type": "Polygon", "coordinates": [[["a", "b"], ["c", "d"], ["e", "f"]]]},
        flat={"type": "Polygon", "coordinates": [[[0, 40], [0.1, 40.1], [0.05, 40.05], [0, 40]]]},
        islands={
            "type": "MultiPolygon",
            "coordinates": [
                [square(0.2, 40, 0.3, 40.1), square(0.24, 40.04, 0.26, 40.06)],
                [square(0.4, 40, 0.5, 40.1)],
            ],
        },
    )
    response = Client().get("/directory/ask/", {"q": "anything"})
    links = map_links(response)
    assert set(links) == {"district-0", "district-1", "islands"}
    svg = svg_of(response)
    islands = svg[svg.index('aria-label="Islands"') :]
    islands_path = re.search(r'<path d="([^"]+)"', islands).group(1)
    assert len(path_rings(islands_path)) == 3  # two outer rings and the hole


@pytest.mark.django_db
def test_a_label_sits_inside_a_hollow_place_not_in_its_gap():
    # A U: its centroid falls in the gap between the arms.
    u_shape = polygon(
        [[0, 40], [0.1, 40], [0.1, 40.1], [0.07, 40.1], [0.07, 40.02], [0.03, 40.02]]
        + [[0.03, 40.1], [0, 40.1], [0, 40]]
    )
    AreaFactory(kind="city", slug="u", name_en="U", boundary=u_shape)
    (shape,) = maps.figure_for(get_index()).shapes
    assert inside(path_rings(shape.path), *shape.anchor)


@pytest.mark.django_db
@pytest.mark.parametrize(("districts", "labelled"), [(2, 2), (3, 3), (20, 0)])
def test_a_label_too_wide_for_its_place_is_left_to_the_links_name(districts, labelled):
    build_city(districts)
    figure = maps.figure_for(get_index())
    boxes = labels_inside_their_places(figure, "en")
    assert len(boxes) == labelled
    assert_apart(list(boxes.values()))
    response = Client().get("/directory/ask/", {"q": "x"})
    links = map_links(response)
    assert {link[1] for link in links.values()} == {f"District {n}" for n in range(districts)}
    # Two stripes have room for "District 0" on one line, three on two, twenty on none.
    one_line = re.findall(r"<tspan [^>]+>(District \d+)</tspan></text>", svg_of(response))
    two_lines = re.findall(
        r"<tspan [^>]+>District</tspan><tspan [^>]+>\d+</tspan>", svg_of(response)
    )
    assert (len(one_line), len(two_lines)) == {2: (2, 0), 3: (0, 3), 20: (0, 0)}[districts]


@pytest.mark.django_db
def test_the_chosen_place_is_the_only_one_marked():
    build_city(3)
    client = Client()
    links = map_links(client.get("/directory/ask/", {"q": "x", "area": "district-1"}))
    assert {slug for slug, link in links.items() if link[2]} == {"district-1"}


@pytest.mark.django_db
@pytest.mark.parametrize("districts", [2, 20])
def test_the_map_reads_in_constant_queries(districts, django_assert_num_queries):
    build_city(districts)
    client = Client()
    invalidate()
    # A changed directory: the index's four queries (topics, areas, offices, responsibilities),
    # and the map drawn from it without one more.
    with django_assert_num_queries(4):
        response = client.get("/directory/ask/", {"q": "x", "area": "district-0"})
    assert len(map_links(response)) == districts
    with django_assert_num_queries(0):  # then everything comes from the index in memory
        response = client.get("/directory/ask/", {"q": "y", "area": "district-1"})
    assert len(map_links(response)) == districts
