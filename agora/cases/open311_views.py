"""The Open311 GeoReport v2 endpoints under /open311/. Reads need no key; creating a request
needs an application's api_key (and so no CSRF token: it is not a browser form)."""

from django.conf import settings
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from agora.cases import open311, services
from agora.cases.models import Open311ApiKey
from agora.cases.open311 import Open311Error, error_response, render

CHANGESET = "2026-11-25T00:00:00Z"  # when the endpoint last changed in a way clients notice


@require_safe
def discovery(request):
    return render(
        {
            "changeset": CHANGESET,
            "contact": f"Write to {settings.DEFAULT_FROM_EMAIL}.",
            "key_service": "Ask the site's administrators for an api_key.",
            "endpoints": [
                {
                    "specification": open311.SPECIFICATION,
                    "url": request.build_absolute_uri(reverse("open311:root")),
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
        "json",
        root="discovery",
    )


@require_safe
def root(request):
    return error_response(
        Open311Error(404, "See services and requests under this address."), "json"
    )


@require_safe
def service_list(request, fmt: str):
    documents = [open311.service_document(topic) for topic in open311.routable_topics()]
    return render(documents, fmt, root="services", item="service")


@require_safe
def service_definition(request, code: str, fmt: str):
    try:
        topic = open311.find_service(code)
    except Open311Error as error:
        return error_response(error, fmt)
    return render(open311.service_definition_document(topic), fmt, root="service_definition")


def _application(data) -> Open311ApiKey:
    key = (data.get("api_key") or "").strip()
    application = (
        Open311ApiKey.objects.filter(key_hash=Open311ApiKey.hash(key), is_active=True).first()
        if key
        else None
    )
    if application is None:
        raise Open311Error(403, "Missing or invalid api_key: cannot create the request.")
    return application


def _create(request, fmt: str):
    application = _application(request.POST)
    new = open311.read_new_request(request.POST)
    try:
        case = services.submit_open311_request(
            application=application.name,
            title=new.title,
            description=new.description,
            topic=new.topic,
            longitude=new.longitude,
            latitude=new.latitude,
            address=new.address,
            media_url=new.media_url,
        )
    except services.CaseError as error:
        raise Open311Error(400, error.message) from error
    document = {
        "service_request_id": str(case.pk),
        "service_notice": f"{case.office.name} is responsible for this request.",
        "account_id": None,
    }
    return render([document], fmt, root="service_requests", item="request")


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def requests(request, fmt: str):
    try:
        if request.method == "POST":
            return _create(request, fmt)
        cases = open311.filter_requests(request.GET)
    except Open311Error as error:
        return error_response(error, fmt)
    documents = [open311.request_document(case) for case in cases]
    return render(documents, fmt, root="service_requests", item="request")


@require_safe
def request_detail(request, request_id: int, fmt: str):
    case = open311.public_requests().filter(pk=request_id).first()
    if case is None:
        return error_response(Open311Error(404, f"Request {request_id} was not found."), fmt)
    return render([open311.request_document(case)], fmt, root="service_requests", item="request")


def not_found(request, *args, **kwargs):
    return error_response(Open311Error(404, "No such Open311 resource."), "json")
