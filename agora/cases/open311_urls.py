"""Open311 GeoReport v2 at /open311/: discovery, services and requests, in JSON and XML."""

from django.urls import path, re_path

from agora.cases import open311_views as views

app_name = "open311"

FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("discovery.json", views.discovery, name="discovery"),
    path("v2/", views.root, name="root"),
    re_path(r"^v2/services" + FORMAT, views.service_list, name="services"),
    re_path(r"^v2/services/(?P<code>[-\w]+)" + FORMAT, views.service_definition, name="service"),
    re_path(r"^v2/requests" + FORMAT, views.requests, name="requests"),
    re_path(
        r"^v2/requests/(?P<request_id>[0-9]{1,18})" + FORMAT, views.request_detail, name="request"
    ),
    re_path(r"^.*$", views.not_found),
]
