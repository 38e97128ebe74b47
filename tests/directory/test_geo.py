"""Placing a point in the smallest area whose boundary holds it."""

import pytest

from agora.directory.geo import area_at, contains
from tests.directory.conftest import DemoDirectoryTestCase
from tests.directory.factories import AreaFactory

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]}
WITH_HOLE = {
    "type": "Polygon",
    "coordinates": [SQUARE["coordinates"][0], [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]],
}


@pytest.mark.parametrize(
    ("boundary", "point", "inside"),
    [
        (SQUARE, (5, 5), True),
        (SQUARE, (11, 5), False),
        (WITH_HOLE, (5, 5), False),
        (WITH_HOLE, (2, 2), True),
        ({"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}, (1, 9), True),
        ({"type": "Point", "coordinates": [5, 5]}, (5, 5), False),
        ({"type": "Polygon", "coordinates": [[["a", "b"]]]}, (5, 5), False),
        (None, (5, 5), False),
    ],
)
def test_a_boundary_contains_the_points_inside_it_and_not_its_holes(boundary, point, inside):
    assert contains(boundary, *point) is inside


@pytest.mark.django_db
def test_the_smallest_area_holding_the_point_is_chosen():
    city = AreaFactory(kind="city", boundary=SQUARE)
    district = AreaFactory(
        parent=city,
        boundary={"type": "Polygon", "coordinates": [[[0, 0], [5, 0], [5, 5], [0, 5], [0, 0]]]},
    )
    assert area_at(1, 1) == district
    assert area_at(8, 8) == city
    assert area_at(20, 20) is None


class DemoBoundaryTests(DemoDirectoryTestCase):
    def test_the_demo_districts_have_boundaries(self):
        assert area_at(-3.73, 40.43).slug == "norte"
        assert area_at(-3.66, 40.36).slug == "riverside"
