"""The home page: the site's own front door, with what each app adds to it; and the API's
reference page."""

from django.shortcuts import render

from agora.site.api_reference import reference
from agora.site.registry import declared


def home(request):
    """The front door: ask who handles something, report, take part, and see what is
    happening, as each app declares it (`home_sections`), in a fixed number of queries."""
    sections = [section(request) for section in declared.home_sections()]
    return render(
        request, "site/home.html", {"sections": [each for each in sections if each is not None]}
    )


def api_reference(request):
    """The API's reference, from its OpenAPI schema (see `agora.site.api_reference`)."""
    info, groups = reference()
    return render(request, "site/api_reference.html", {"info": info, "groups": groups})
