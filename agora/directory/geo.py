"""Which area a point lies in, from the areas' GeoJSON boundaries. A case reported on a map
(or through Open311, with a latitude and longitude) is placed with `area_at`."""

from agora.directory.index import get_index


def _rings(boundary: dict) -> list[list[list]]:
    """The polygons of a Polygon or MultiPolygon as lists of rings (outer ring first)."""
    if boundary.get("type") == "Polygon":
        return [boundary.get("coordinates") or []]
    if boundary.get("type") == "MultiPolygon":
        return list(boundary.get("coordinates") or [])
    return []


def _in_ring(longitude: float, latitude: float, ring: list) -> bool:
    """Ray casting: a point is inside when a ray from it crosses the ring an odd number of
    times."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > latitude) != (y2 > latitude):
            crossing = x1 + (latitude - y1) * (x2 - x1) / (y2 - y1)
            if longitude < crossing:
                inside = not inside
    return inside


def contains(boundary: dict | None, longitude: float, latitude: float) -> bool:
    if not boundary:
        return False
    try:
        for polygon in _rings(boundary):
            outer, holes = polygon[0], polygon[1:]
            if _in_ring(longitude, latitude, [point[:2] for point in outer]) and not any(
                _in_ring(longitude, latitude, [point[:2] for point in hole]) for hole in holes
            ):
                return True
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        return False  # a malformed boundary contains nothing
    return False


def area_at(longitude: float, latitude: float):
    """The smallest area whose boundary contains the point, or None. Answered from the
    routing index, without a query."""
    index = get_index()
    best, best_depth = None, -1
    for area in index.areas.values():
        if area.boundary and contains(area.boundary, longitude, latitude):
            depth = len(index.area_chain(area))
            if depth > best_depth:
                best, best_depth = area, depth
    return best
