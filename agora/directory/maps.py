"""The map on "Who handles this?": the places with a boundary drawn as an SVG figure whose areas
are links, so a resident can pick their place without JavaScript and without map tiles.

    area_map(query="pothole", chosen=area)  # an AreaMap, or None when no place has a boundary

The drawing comes from the routing index (index.py), which holds every area with its boundary:
no query. It is projected once per build of the index, and its labels are laid out once per
language; a request only adds the links, which carry the resident's words."""

import json
import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from agora.directory.forms import LISTED_KINDS
from agora.directory.index import DirectoryIndex, get_index
from agora.directory.models import Area
from agora.directory.models.base import current_language

WIDTH = 400.0  # of the viewBox; the height follows the shape of the places
MAX_HEIGHT = 560.0  # a tall city is drawn narrower rather than taller than this
PADDING = 6.0
FONT_SIZE = 20.0  # in viewBox units: about 14 px on a 320 px screen
LINE_HEIGHT = 1.2 * FONT_SIZE
# A label's width per character as a share of the font size: a generous estimate for the
# system fonts, so a label judged to fit does fit.
CHARACTER_WIDTH = 0.62
LABEL_GAP = 2.0  # between two labels' boxes


class MalformedBoundary(ValueError):
    """A boundary that is not a GeoJSON Polygon or MultiPolygon of finite longitudes and
    latitudes with an area: the place is left off the map."""


@dataclass(frozen=True)
class Shape:
    """One place as drawn: its area, the SVG path of its polygons (holes included, drawn with
    the even-odd rule), the point its label is centred on and the box around it."""

    area: Area
    path: str
    anchor: tuple[float, float]
    box: tuple[float, float, float, float]  # left, top, right, bottom
    size: float  # its drawn area: larger places get their labels placed first


@dataclass(frozen=True)
class LabelLine:
    x: str
    y: str
    text: str


@dataclass
class Figure:
    """The projected map for one build of the index; labels are added per language as they
    are first asked for."""

    width: float
    height: float
    shapes: tuple[Shape, ...]  # drawn as links, in reading order
    outlines: tuple[str, ...]  # paths of the places around them, such as the city
    labels: dict = field(default_factory=dict)  # language -> {area id: (LabelLine, ...)}


@dataclass(frozen=True)
class MapArea:
    """A place on the map as a request shows it."""

    name: str
    href: str
    path: str
    label: tuple[LabelLine, ...]
    current: bool


@dataclass(frozen=True)
class AreaMap:
    width: str
    height: str
    view_box: str
    areas: tuple[MapArea, ...]  # in drawing order
    outlines: tuple[str, ...]

    @property
    def listed(self) -> list[MapArea]:
        """The same places in the order of their names, for the list beside the map."""
        return sorted(self.areas, key=lambda area: area.name.casefold())


def _number(value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MalformedBoundary("a coordinate is not a number")
    try:
        number = float(value)
    except OverflowError:
        raise MalformedBoundary("a coordinate is too large") from None
    if not math.isfinite(number):
        raise MalformedBoundary("a coordinate is not finite")
    return number


def _ring(value) -> list[tuple[float, float]]:
    if not isinstance(value, list):
        raise MalformedBoundary("a ring is not a list")
    points = []
    for position in value:
        if not isinstance(position, list | tuple) or len(position) < 2:
            raise MalformedBoundary("a position is not a pair")
        longitude, latitude = _number(position[0]), _number(position[1])
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            raise MalformedBoundary("a position is off the globe")
        points.append((longitude, latitude))
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(set(points)) < 3:
        raise MalformedBoundary("a ring has fewer than three points")
    return points


def polygons(boundary) -> list[list[list[tuple[float, float]]]]:
    """The polygons of a GeoJSON Polygon or MultiPolygon, each a list of rings of
    (longitude, latitude), outer ring first. Raises MalformedBoundary for anything else."""
    if not isinstance(boundary, dict):
        raise MalformedBoundary("not a GeoJSON geometry")
    kind, coordinates = boundary.get("type"), boundary.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise MalformedBoundary("no coordinates")
    if kind == "Polygon":
        raw = [coordinates]
    elif kind == "MultiPolygon":
        raw = coordinates
    else:
        raise MalformedBoundary("neither a Polygon nor a MultiPolygon")
    result = []
    for polygon in raw:
        if not isinstance(polygon, list) or not polygon:
            raise MalformedBoundary("a polygon has no rings")
        rings = [_ring(ring) for ring in polygon]
        xs, ys = [x for x, _y in rings[0]], [y for _x, y in rings[0]]
        extent = max(max(xs) - min(xs), max(ys) - min(ys))
        if abs(_signed_area(rings[0])) <= 1e-9 * extent * extent:
            raise MalformedBoundary("a polygon has no area")  # its points on one line
        result.append(rings)
    return result


def _signed_area(ring) -> float:
    return (
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def _centroid(ring) -> tuple[float, float]:
    area = _signed_area(ring)
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return cx / (6 * area), cy / (6 * area)


def _crossings(rings, y: float) -> list[float]:
    """Where a horizontal line at y crosses the polygon's edges, left to right."""
    found = []
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y):
                found.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    return sorted(found)


def _inside(rings, x: float, y: float) -> bool:
    return sum(1 for crossing in _crossings(rings, y) if crossing > x) % 2 == 1


def _anchor(rings) -> tuple[float, float]:
    """A point well inside the polygon for its label: the centroid of its outer ring when it
    lies inside (and outside the holes), else the middle of the widest stretch inside along the
    line through the centroid."""
    x, y = _centroid(rings[0])
    if _inside(rings, x, y):
        return x, y
    crossings = _crossings(rings, y)
    stretches = list(zip(crossings[::2], crossings[1::2], strict=False))
    if not stretches:
        xs = [point[0] for point in rings[0]]
        return (min(xs) + max(xs)) / 2, y
    left, right = max(stretches, key=lambda stretch: stretch[1] - stretch[0])
    return (left + right) / 2, y


def _format(value: float) -> str:
    """A coordinate for SVG: one decimal, a dot whatever the language."""
    return f"{value:.1f}".removesuffix(".0")


def _path(projected) -> str:
    return " ".join(
        "M" + " L".join(f"{_format(x)},{_format(y)}" for x, y in ring) + " Z"
        for rings in projected
        for ring in rings
    )


def _listed(index: DirectoryIndex, area: Area) -> bool:
    """Whether the form's list offers the area: it and every place it lies in are of a listed
    kind, up to a place that lies in none."""
    chain = index.area_chain(area)
    return all(place.kind in LISTED_KINDS for place in chain) and chain[-1].parent_id is None


def draw(index: DirectoryIndex) -> Figure | None:
    """Project the smallest listed places with a well-formed boundary; the listed places around
    them with a boundary become outlines. None when no place can be drawn."""
    bounded = {}
    for area in index.areas.values():
        if area.boundary and _listed(index, area):
            try:
                bounded[area.pk] = polygons(area.boundary)
            except MalformedBoundary:
                continue
    around = set()
    for area_id in bounded:
        for place in index.area_chain(index.areas[area_id])[1:]:
            around.add(place.pk)
    drawn = [area_id for area_id in bounded if area_id not in around]
    outlined = [area_id for area_id in bounded if area_id in around]
    if not drawn:
        return None

    points = [point for area_id in bounded for rings in bounded[area_id] for point in rings[0]]
    west, east = min(point[0] for point in points), max(point[0] for point in points)
    south, north = min(point[1] for point in points), max(point[1] for point in points)
    squeeze = math.cos(math.radians((south + north) / 2))
    span_x, span_y = max((east - west) * squeeze, 1e-9), max(north - south, 1e-9)
    scale = min((WIDTH - 2 * PADDING) / span_x, (MAX_HEIGHT - 2 * PADDING) / span_y)
    width, height = span_x * scale + 2 * PADDING, span_y * scale + 2 * PADDING

    def project(area_id) -> list[list[list[tuple[float, float]]]]:
        return [
            [
                [
                    (
                        (longitude - west) * squeeze * scale + PADDING,
                        (north - latitude) * scale + PADDING,
                    )
                    for longitude, latitude in ring
                ]
                for ring in rings
            ]
            for rings in bounded[area_id]
        ]

    shapes = []
    for area_id in drawn:
        projected = project(area_id)
        largest = max(projected, key=lambda rings: abs(_signed_area(rings[0])))
        xs = [x for rings in projected for x, _y in rings[0]]
        ys = [y for rings in projected for _x, y in rings[0]]
        shapes.append(
            Shape(
                area=index.areas[area_id],
                path=_path(projected),
                anchor=_anchor(largest),
                box=(min(xs), min(ys), max(xs), max(ys)),
                size=sum(abs(_signed_area(rings[0])) for rings in projected),
            )
        )
    # In reading order, which is also the order the keyboard visits them in.
    shapes.sort(key=lambda shape: (shape.box[1], shape.box[0], shape.area.slug))
    return Figure(
        width=width,
        height=height,
        shapes=tuple(shapes),
        outlines=tuple(_path(project(area_id)) for area_id in sorted(outlined)),
    )


def _text_width(text: str) -> float:
    return len(text) * CHARACTER_WIDTH * FONT_SIZE


def _lines(name: str, room: float) -> list[str]:
    """The name on one line, or on two split at the space nearest its middle when one line
    is wider than the place."""
    if _text_width(name) <= room or " " not in name:
        return [name]
    spaces = [position for position, character in enumerate(name) if character == " "]
    split = min(spaces, key=lambda position: max(position, len(name) - position - 1))
    return [name[:split], name[split + 1 :]]


def _overlaps(box, others) -> bool:
    left, top, right, bottom = box
    return any(
        left < other[2] + LABEL_GAP
        and other[0] < right + LABEL_GAP
        and top < other[3] + LABEL_GAP
        and other[1] < bottom + LABEL_GAP
        for other in others
    )


def lay_out_labels(figure: Figure, language: str) -> dict[int, tuple[LabelLine, ...]]:
    """Each place's name centred on its anchor, larger places first; moved up or down by a
    line when it would cover a label already placed. A name is left off (the link keeps it,
    and so does the list beside the map) when it is wider or taller than its place or no
    position is free: a label must never seem to name the place next door."""
    placed: list[tuple[float, float, float, float]] = []
    labels = {}
    for shape in sorted(figure.shapes, key=lambda shape: -shape.size):
        left, top, right, bottom = shape.box
        lines = _lines(shape.area.name_in(language), 0.9 * (right - left))
        width = max(_text_width(line) for line in lines)
        height = len(lines) * LINE_HEIGHT
        if width > right - left or height > bottom - top:
            continue
        x = min(max(shape.anchor[0], left + width / 2), right - width / 2)
        for shift in (0, 1, -1, 2, -2):
            y = shape.anchor[1] - height / 2 + shift * LINE_HEIGHT
            y = min(max(y, top), bottom - height)
            box = (x - width / 2, y, x + width / 2, y + height)
            if not _overlaps(box, placed):
                placed.append(box)
                # The baseline sits about 0.35 em below the middle of a line.
                labels[shape.area.pk] = tuple(
                    LabelLine(
                        x=_format(x),
                        y=_format(y + (number + 0.5) * LINE_HEIGHT + 0.35 * FONT_SIZE),
                        text=line,
                    )
                    for number, line in enumerate(lines)
                )
                break
    return labels


def figure_for(index: DirectoryIndex) -> Figure | None:
    """The figure for this build of the index: drawn at most once per build and process."""
    if "area_figure" not in index.derived:
        index.derived["area_figure"] = draw(index)
    return index.derived["area_figure"]


def area_map(
    query: str = "", chosen: Area | None = None, *, to_area_pages: bool = False
) -> AreaMap | None:
    """The map for a request: each place a link to ask the same words again for that place
    (or, on the map page, to the place's own page), the chosen one marked, names in the
    current language. None when nothing can be drawn."""
    figure = figure_for(get_index())
    if figure is None:
        return None
    language = current_language()
    labels = figure.labels.get(language)
    if labels is None:
        labels = figure.labels[language] = lay_out_labels(figure, language)
    ask = reverse("directory:ask")
    chosen_id = chosen.pk if chosen is not None else None
    return AreaMap(
        width=_format(figure.width),
        height=_format(figure.height),
        view_box=f"0 0 {_format(figure.width)} {_format(figure.height)}",
        areas=tuple(
            MapArea(
                name=shape.area.name_in(language),
                href=(
                    shape.area.get_absolute_url()
                    if to_area_pages
                    else f"{ask}?{urlencode({'q': query, 'area': shape.area.slug})}"
                ),
                path=shape.path,
                label=labels.get(shape.area.pk, ()),
                current=shape.area.pk == chosen_id,
            )
            for shape in figure.shapes
        ),
        outlines=figure.outlines,
    )


def _feature(area: Area, language: str) -> dict:
    return {
        "type": "Feature",
        "id": area.slug,
        "geometry": area.boundary,
        "properties": {
            "slug": area.slug,
            "name": area.name_in(language),
            "kind": area.kind,
            "kind_label": str(area.get_kind_display()),
            "url": area.get_absolute_url(),
        },
    }


def areas_geojson(language: str) -> bytes:
    """A GeoJSON FeatureCollection of every area with a well-formed boundary, names and kinds
    in the language, each with the link to its page; places around others come first, so the
    smaller places are drawn over them. Encoded once per build of the index and language: a
    request adds no work and, once the index is built, no query."""
    encoded = _geojson_cache(get_index())
    if language not in encoded:
        index = get_index()
        features = []
        for area in index.areas.values():
            if not area.boundary:
                continue
            try:
                polygons(area.boundary)
            except MalformedBoundary:
                continue
            features.append((len(index.area_chain(area)), area.slug, _feature(area, language)))
        features.sort(key=lambda entry: entry[:2])
        encoded[language] = json.dumps(
            {"type": "FeatureCollection", "features": [entry[2] for entry in features]},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
    return encoded[language]


def _geojson_cache(index: DirectoryIndex) -> dict:
    return index.derived.setdefault("areas_geojson", {})
