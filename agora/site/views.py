"""The home page: the site's own front door, with what each app adds to it."""

from django.shortcuts import render

from agora.site.registry import declared


def home(request):
    """The front door: ask who handles something, report, take part, and see what is
    happening, as each app declares it (`home_sections`), in a fixed number of queries."""
    sections = [section(request) for section in declared.home_sections()]
    return render(
        request, "site/home.html", {"sections": [each for each in sections if each is not None]}
    )
