"""Where a form sends a person after they press its button: back to the page they came from
when the form says so (`next`, an address on this site only, so no link can bounce someone
elsewhere), otherwise to where the action belongs."""

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request, fallback: str) -> str:
    """The POSTed `next` when it is on this site, otherwise the fallback (a path or a URL
    name)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(fallback)
