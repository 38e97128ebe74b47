"""Requests no view should see."""

from django.utils.translation import gettext as _

from agora.core.errors import shaped_error

#: The longest address (path and query) a view is asked to read. gunicorn reads request lines
#: up to 8,190 bytes (`agora/gunicorn_hooks.py`); longer ones get its own plain 414.
MAX_ADDRESS_LENGTH = 4096


class RejectNulInPathMiddleware:
    """No address of Agora has a NUL character in it, and PostgreSQL refuses one in any text
    it is asked to compare: a path with one is answered "not found" here, before a view looks
    it up and the database's refusal turns into a 500. (Forms and the API's schemas already
    refuse NUL in what is sent to them.) An address longer than any of Agora's is answered
    414 here too. Both in the shape of the part of the site asked (`core.errors`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.path) + len(request.META.get("QUERY_STRING", "")) > MAX_ADDRESS_LENGTH:
            return shaped_error(
                request,
                414,
                "uri_too_long",
                _("The address is too long: at most %(limit)d characters.")
                % {"limit": MAX_ADDRESS_LENGTH},
            )
        if "\x00" in request.path_info:
            return shaped_error(request, 404, "not_found", _("There is nothing at this address."))
        return self.get_response(request)


def allow_frames(request, *origins: str) -> None:
    """Let this one response frame content from `origins` (the content security policy
    allows no frame otherwise). Called by what renders such a frame, after the person asked
    for it; `FrameSourcesMiddleware` writes it into the policy."""
    sources = getattr(request, "frame_sources", None)
    if sources is None:
        sources = request.frame_sources = []
    sources.extend(origin for origin in origins if origin not in sources)


class FrameSourcesMiddleware:
    """Adds the frame sources a response asked for (`allow_frames`) to its content security
    policy. Listed after django-csp's middleware, so it sees the response first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        sources = getattr(request, "frame_sources", None)
        if sources:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["frame-src"] = [*update.get("frame-src", []), *sources]
            response._csp_update = update
        return response
