"""The home page: the site's own front door, with what each app adds to it; the pages every
public website carries (accessibility statement, privacy notice, contact; the house rules are
moderation's); and the API's reference page."""

from django.conf import settings
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy

from agora.core.pagecache import PageCache
from agora.notifications.queries import unread_count_for
from agora.site.api_reference import reference
from agora.site.registry import declared

#: The home page's parts, and the whole page (for anonymous visitors, and for each signed-in
#: person), rendered once per change of what they show (the models the apps declare in
#: `home_changes_with`, watched from `SiteConfig.ready`) and per language, and at least once
#: a minute, since whether a case is overdue changes with the time alone.
FRONT_DOOR = PageCache("home", max_age=60)


def home(request):
    """The front door: ask who handles something, report, take part, and see what is
    happening, as each app declares it (`home_sections`). The parts are rendered once for
    everyone, and the page once for all anonymous visitors and once for each signed-in person,
    until something it shows changes."""

    def render_sections() -> str:
        sections = (section(request) for section in declared.home_sections())
        return render_to_string(
            "site/_home_sections.html", {"sections": [each for each in sections if each]}
        )

    def render_page(extra: dict):
        sections_html = mark_safe(FRONT_DOOR.fragment(render_sections))  # noqa: S308 - rendered by us
        context = {"sections_html": sections_html, **extra}
        return render(request, "site/home.html", context)

    return FRONT_DOOR.page(request, render_page, person=what_the_page_shows_of)


def what_the_page_shows_of(request) -> tuple:
    """Everything of the signed-in person the home page and its header show: its cache key."""
    user = request.user
    return (user.pk, user.handle, user.name, user.role, user.is_staff, unread_count_for(request))


def api_reference(request):
    """The API's reference, from its OpenAPI schema (see `agora.site.api_reference`)."""
    info, groups = reference()
    return render(request, "site/api_reference.html", {"info": info, "groups": groups})


#: The pages the footer links to. Their text is a template per language
#: (`site/pages/<page>.<language>.html`), so an authority can replace one with its own.
ABOUT_PAGES = {
    "accessibility": gettext_lazy("Accessibility statement"),
    "privacy": gettext_lazy("Privacy notice"),
    "contact": gettext_lazy("Contact"),
}


def about_page(request, page: str):
    """One of the pages every public website carries, in the reader's language, naming the
    authority from the site's identity."""
    language = "es" if (get_language() or "en").startswith("es") else "en"
    context = {
        "title": ABOUT_PAGES[page],
        "body_template": f"site/pages/{page}.{language}.html",
        "retention": {
            "unconfirmed": settings.AGORA_UNCONFIRMED_ACCOUNT_DAYS,
            "network": settings.AGORA_IP_RETENTION_DAYS,
            "export": settings.AGORA_EXPORT_KEEP_DAYS,
            "tasks": settings.AGORA_TASK_RESULT_DAYS,
            "warning": settings.AGORA_UNCONFIRMED_WARNING_DAYS,
        },
    }
    return render(request, "site/about_page.html", context)
