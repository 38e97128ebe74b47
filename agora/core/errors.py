"""Answering an error in the shape of the part of the site it was sent to: the JSON API's
`{"error": {"code", "message"}}`, Open311's error list, or a page. Each part registers its
shape for its address prefix (`register_shape`); core knows none of them. Used where an error
is answered before or around the part's own code runs: the database being unreachable
(`database_unavailable`), an over-long address (`core.middleware`), a NUL in a path."""

from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

#: Seconds a client is asked to wait while the database is unreachable (`Retry-After`).
RETRY_AFTER_OUTAGE = 10

#: A shape: (request, status, code, message) -> the response.
Shape = Callable[[HttpRequest, int, str, str], HttpResponse]
_shapes: list[tuple[str, Shape]] = []


def register_shape(prefix: str, shape: Shape) -> None:
    """Answer errors under `prefix` (such as "/api/") with `shape`; the longest prefix wins."""
    _shapes[:] = [(known, each) for known, each in _shapes if known != prefix]
    _shapes.append((prefix, shape))
    _shapes.sort(key=lambda entry: -len(entry[0]))


def _page(request, status: int, code: str, message: str) -> HttpResponse:
    """A page that needs neither the database nor a signed-in account: it may be answering
    because the database is away."""
    return HttpResponse(render_to_string(f"{status}.html"), status=status)


def shaped_error(request, status: int, code: str, message: str) -> HttpResponse:
    path = request.path_info
    for prefix, shape in _shapes:
        if path.startswith(prefix):
            return shape(request, status, code, message)
    return _page(request, status, code, message)


def is_database_unavailable(error: BaseException | None) -> bool:
    """A database that cannot be reached or answer now (restarting, down, a lost connection,
    SQLite's lock): the request may succeed in a moment, so 503, not 500."""
    return isinstance(error, (OperationalError, InterfaceError))


def database_unavailable(request) -> HttpResponse:
    from django.utils.translation import gettext as _

    response = shaped_error(
        request,
        503,
        "service_unavailable",
        _("The service is briefly unavailable. Try again in a few seconds."),
    )
    response["Retry-After"] = str(RETRY_AFTER_OUTAGE)
    return response
