"""The bench's URL map: the whole site plus one trivial view, the baseline every page is
measured against. Selected with AGORA_URLCONF=bench.urls, so it never reaches production."""

from django.http import HttpResponse
from django.urls import path

from agora import urls as site


def trivial(request):
    """The least a Django view can do: what every page costs before it does any work."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial), *site.urlpatterns]

handler400 = site.handler400
handler403 = site.handler403
handler404 = site.handler404
handler500 = site.handler500
