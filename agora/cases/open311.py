"""Open311 GeoReport v2: services are the directory's topics, requests are public cases. This
module turns them into the spec's documents (JSON, or XML by the same element names), reads
the query and form arguments, and says what is wrong with them as the spec's error list."""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from agora.cases.models import Case
from agora.cases.models.case import (
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    is_media_url,
)
from agora.cases.models.lifecycle import FINISHED_STATES, OPEN_STATES
from agora.directory.index import get_index
from agora.directory.models import Topic

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
MAX_SPAN = timedelta(days=90)
MAX_RESULTS = 1000
DEFAULT_RADIUS = 1000
MAX_RADIUS = 20000
METRES_PER_DEGREE = 111_320  # of latitude, and of longitude at the equator
STATUS_STATES = {"open": OPEN_STATES, "closed": FINISHED_STATES}


class Open311Error(Exception):
    """One or more errors of a request, answered with one HTTP status."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = descriptions

    def errors(self) -> list[dict]:
        return [{"code": self.status, "description": text} for text in self.descriptions]


def w3_datetime(moment: datetime | None) -> str | None:
    """The spec's date and time: ISO 8601 with the zone, here always UTC ("Z")."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# Documents


def routable_topics() -> list[Topic]:
    """Topics some office is responsible for (directly or through a broader topic), from the
    cached directory index: the service list costs no query."""
    index = get_index()
    handled = {topic_id for topic_id, _area_id in index.responsibilities}
    topics = [
        topic
        for topic in index.topics.values()
        if any(link.pk in handled for link in index.topic_chain(topic))
    ]
    return sorted(topics, key=lambda topic: topic.slug)


def find_service(code: str) -> Topic:
    for topic in routable_topics():
        if topic.slug == code:
            return topic
    raise Open311Error(404, f"service_code {code!r} was not found.")


def service_document(topic: Topic) -> dict:
    index = get_index()
    parent = index.topics.get(topic.parent_id) if topic.parent_id else None
    keywords = topic.keyword_list("en") + topic.keyword_list("es")
    return {
        "service_code": topic.slug,
        "service_name": topic.name,
        "description": topic.description or None,
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join(keywords) or None,
        "group": parent.name if parent else None,
    }


def service_definition_document(topic: Topic) -> dict:
    return {"service_code": topic.slug, "attributes": []}


def media_url(case: Case) -> str | None:
    """The case's photo, served by Agora (requests are public cases, so is their photo), or the
    link the reporting application sent."""
    if case.photo:
        return settings.SITE_URL + reverse("cases:photo", kwargs={"case_id": case.pk})
    return case.media_url or None


def request_document(case: Case) -> dict:
    open_now = case.state in OPEN_STATES
    return {
        "service_request_id": str(case.pk),
        "status": "open" if open_now else "closed",
        "status_notes": str(case.get_state_display()),
        "service_name": case.topic.name,
        "service_code": case.topic.slug,
        "description": case.description or None,
        "agency_responsible": case.office.name,
        "service_notice": None,
        "requested_datetime": w3_datetime(case.created_at),
        "updated_datetime": w3_datetime(case.finished_at if not open_now else case.updated_at),
        "expected_datetime": w3_datetime(case.answer_due_at),
        "address": case.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": case.latitude,
        "long": case.longitude,
        "media_url": media_url(case),
    }


def public_requests():
    return Case.objects.filter(is_public=True).select_related("topic", "office")


# Reading arguments


def _optional(data, name: str) -> str:
    """The spec: an empty argument is the same as an absent one."""
    return (data.get(name) or "").strip()


def _comma_list(data, name: str) -> list[str]:
    values = []
    for value in data.getlist(name):
        if "\x00" in value:  # PostgreSQL compares no text with a NUL in it
            raise Open311Error(400, f"{name} cannot contain NUL characters.")
        values.extend(part.strip() for part in value.split(",") if part.strip())
    return values


def _w3_argument(data, name: str) -> datetime | None:
    text = _optional(data, name)
    if not text:
        return None
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Open311Error(
            400, f"{name} must be a w3 date and time with a zone, e.g. 2010-01-01T00:00:00Z."
        )
    return moment


def filter_requests(data):
    """The public cases a GET requests query asks for, newest first, at most MAX_RESULTS."""
    requests = public_requests()
    ids = _comma_list(data, "service_request_id")
    if ids:
        # Ids as the single-request address takes them: ASCII digits, at most 18 (beyond 64
        # bits SQLite cannot even compare them; "²" is a digit to Python, not to int()).
        if not all(value.isascii() and value.isdigit() and len(value) <= 18 for value in ids):
            raise Open311Error(400, "service_request_id must be a comma-separated list of ids.")
        return list(requests.filter(pk__in=[int(value) for value in ids]).order_by("-pk"))
    codes = _comma_list(data, "service_code")
    if codes:
        requests = requests.filter(topic__slug__in=codes)
    statuses = _comma_list(data, "status")
    unknown = sorted(set(statuses) - set(STATUS_STATES))
    if unknown:
        raise Open311Error(400, "status must be open or closed.")
    if statuses:
        states = set().union(*(STATUS_STATES[status] for status in statuses))
        requests = requests.filter(state__in=states)
    start, end = _w3_argument(data, "start_date"), _w3_argument(data, "end_date")
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    if start > end:
        raise Open311Error(400, "start_date must come before end_date.")
    if end - start > MAX_SPAN:
        raise Open311Error(400, "start_date and end_date may not span more than 90 days.")
    requests = requests.filter(created_at__gte=start, created_at__lte=end)
    near = _near(data)
    if near is not None:
        requests = requests.filter(**near)
    return list(requests.order_by("-created_at", "-pk")[:MAX_RESULTS])


def _near(data) -> dict | None:
    """`lat`, `long` and `radius` (metres, 1,000 unless given, at most 20,000): the requests
    placed within that square around the point, as other Open311 servers offer. Checked like
    every argument: a bad one is a 400, never ignored."""
    latitude, longitude = _coordinate(data, "lat", 90), _coordinate(data, "long", 180)
    radius_text = _optional(data, "radius")
    if latitude is None and longitude is None:
        if radius_text:
            raise Open311Error(400, "radius needs lat and long.")
        return None
    if latitude is None or longitude is None:
        raise Open311Error(400, "lat and long must be sent together.")
    radius = DEFAULT_RADIUS
    if radius_text:
        if not (radius_text.isascii() and radius_text.isdigit()) or not (
            1 <= int(radius_text) <= MAX_RADIUS
        ):
            raise Open311Error(400, f"radius must be a whole number of metres, 1 to {MAX_RADIUS}.")
        radius = int(radius_text)
    degrees_north = radius / METRES_PER_DEGREE
    degrees_east = degrees_north / max(math.cos(math.radians(latitude)), 0.01)
    return {
        "latitude__range": (latitude - degrees_north, latitude + degrees_north),
        "longitude__range": (longitude - degrees_east, longitude + degrees_east),
    }


def _coordinate(data, name: str, limit: float) -> float | None:
    text = _optional(data, name)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > limit:
        raise Open311Error(400, f"{name} must be a number between -{limit:g} and {limit:g}.")
    return value


@dataclass(frozen=True)
class NewRequest:
    topic: Topic
    title: str
    description: str
    latitude: float | None
    longitude: float | None
    address: str
    media_url: str


def read_new_request(data) -> NewRequest:
    """The arguments of a POST requests, checked all at once so every problem is reported."""
    problems = []
    code = _optional(data, "service_code")
    if not code:
        raise Open311Error(400, "service_code was not provided.")
    topic = find_service(code)
    try:
        latitude = _coordinate(data, "lat", 90)
        longitude = _coordinate(data, "long", 180)
    except Open311Error as error:
        problems.extend(error.descriptions)
        latitude = longitude = None
    address = _optional(data, "address_string") or _optional(data, "address_id")
    if (latitude is None) != (longitude is None) and not problems:
        problems.append("lat and long must be sent together.")
    if latitude is None and longitude is None and not address and not problems:
        problems.append("A location is required: lat and long, address_string or address_id.")
    description = _optional(data, "description").replace("\r\n", "\n")
    if len(description) > DESCRIPTION_MAX_LENGTH:
        problems.append(f"description is limited to {DESCRIPTION_MAX_LENGTH} characters.")
    if "\x00" in description or "\x00" in address:
        problems.append("Text cannot contain NUL characters.")
    if len(address) > 200:
        problems.append("address_string is limited to 200 characters.")
    media = _optional(data, "media_url")
    if media and not is_media_url(media):
        problems.append("media_url must be an http or https URL of at most 500 characters.")
    if problems:
        raise Open311Error(400, *problems)
    first_line = description.split("\n", 1)[0].strip()
    title = (first_line or topic.name)[:TITLE_MAX_LENGTH]
    return NewRequest(topic, title, description, latitude, longitude, address, media)


# Responses


def _xml_element(parent, name: str, value) -> None:
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, bool):
        element.text = "true" if value else "false"
    elif isinstance(value, list):
        for item in value:
            _xml_element(element, "attribute", item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _xml_element(element, key, item)
    elif value is not None:
        element.text = str(value)


def render(document, fmt: str, *, root: str, item: str = "", status: int = 200) -> HttpResponse:
    """JSON as it is; XML by the spec's mapping: a root element holding one `item` element per
    entry of a list, or the fields of a single document."""
    if fmt == "json":
        return JsonResponse(
            document,
            status=status,
            safe=False,
            content_type=FORMATS["json"],
            json_dumps_params={"indent": 1},
        )
    tree = ElementTree.Element(root)
    if isinstance(document, list):
        for entry in document:
            _xml_element(tree, item, entry)
    else:
        for key, value in document.items():
            _xml_element(tree, key, value)
    body = ElementTree.tostring(tree, encoding="unicode")
    return HttpResponse(
        '<?xml version="1.0" encoding="utf-8"?>\n' + body,
        status=status,
        content_type=FORMATS["xml"],
    )


def error_response(error: Open311Error, fmt: str) -> HttpResponse:
    return render(error.errors(), fmt, root="errors", item="error", status=error.status)


def shaped_error(request, status: int, code: str, message: str) -> HttpResponse:
    """An error answered outside Open311's views (see `core.errors`), in its format: XML for
    an address ending in .xml, JSON otherwise."""
    fmt = "xml" if request.path_info.endswith(".xml") else "json"
    return error_response(Open311Error(status, message), fmt)
