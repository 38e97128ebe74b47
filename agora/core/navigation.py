"""Where a form sends a person after they press its button: back to the page they came from
when the form says so (`next`, a path on this site only, so no link can bounce someone
elsewhere), otherwise to where the action belongs."""

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request, fallback: str) -> str:
    """The POSTed `next` when it is a path on this site (our forms send the page's own path),
    otherwise the fallback (a path or a URL name). Anything else, a full address or a bare
    word a redirect would take for a URL name, goes to the fallback."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(fallback)
