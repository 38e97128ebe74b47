"""Pages every site has: the health check and the error pages (their templates come from the
site layer)."""

import sys

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agora.core.errors import database_unavailable, is_database_unavailable, shaped_error


@require_GET
@never_cache
def healthz(request):
    """200 when the app and its database answer, 503 otherwise. For load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
        return JsonResponse(
            {"status": "unavailable", "database": "error", "detail": type(error).__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """Django's last resort for an exception no view answered. The database being away is not
    a fault of ours to log: it answers 503 with Retry-After, in the shape of the part of the
    site asked (`core.errors`), without touching the database again."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    return shaped_error(request, 500, "server_error", _("Something went wrong on our side."))


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
