"""The directory's pages: the offices, one office, a topic, an area, and "Who handles this?".
Each page reads in a constant number of queries, whatever the size of the directory. Other apps
add their parts to the office, topic and area pages (`directory.pages`): a Follow button, an
office's response figures and announcements, the posts about a topic."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from agora.accounts.models import Visibility
from agora.directory import maps, pages
from agora.directory.forms import AskForm
from agora.directory.index import get_index
from agora.directory.models import (
    Area,
    Authority,
    Office,
    OfficeMembership,
    Responsibility,
    Topic,
)
from agora.directory.routing import route


def _tree(items) -> list[tuple[object, list]]:
    """[(item, [(child, [...]), ...]), ...] for items with a parent_id, in their order."""
    children: dict = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)

    def build(parent_id, seen):
        return [
            (item, build(item.pk, seen | {item.pk}))
            for item in children.get(parent_id, [])
            if item.pk not in seen
        ]

    return build(None, frozenset())


def index(request):
    offices = list(Office.objects.order_by("name_en"))
    authorities = Authority.objects.order_by("kind", "name_en")
    by_authority: dict = {}
    for office in offices:
        by_authority.setdefault(office.authority_id, []).append(office)
    sections = [
        (authority, _tree(by_authority.get(authority.pk, [])))
        for authority in authorities
        if authority.pk in by_authority
    ]
    return render(request, "directory/index.html", {"sections": sections})


def office(request, slug: str):
    office = get_object_or_404(Office.objects.select_related("authority", "parent"), slug=slug)
    responsibilities = (
        Responsibility.objects.filter(office=office)
        .select_related("topic", "area")
        .order_by("topic__name_en", "area__name_en")
    )
    children = Office.objects.filter(parent=office).order_by("name_en")
    # Officials are listed by the naming rule: those whose profile the reader may see.
    seen = (
        [Visibility.PUBLIC, Visibility.MEMBERS]
        if request.user.is_authenticated
        else [Visibility.PUBLIC]
    )
    officials = (
        OfficeMembership.objects.filter(
            office=office, user__is_active=True, user__profile_visibility__in=seen
        )
        .select_related("user")
        .order_by("role", "user__display_name")
    )
    return render(
        request,
        "directory/office.html",
        {
            "office": office,
            "responsibilities": responsibilities,
            "children": children,
            "officials": officials,
            "top_sections": pages.OFFICE_TOP.sections(request, office),
            "sections": pages.OFFICE_BODY.sections(request, office),
        },
    )


def topic(request, slug: str):
    topic = get_object_or_404(
        Topic.objects.select_related("parent").prefetch_related(
            Prefetch("children", queryset=Topic.objects.order_by("name_en")),
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("area", "office").order_by(
                    "area__name_en"
                ),
            ),
        ),
        slug=slug,
    )
    return render(
        request,
        "directory/topic.html",
        {
            "topic": topic,
            "top_sections": pages.TOPIC_TOP.sections(request, topic),
            "sections": pages.TOPIC_BODY.sections(request, topic),
        },
    )


def topics(request):
    return render(
        request, "directory/topics.html", {"tree": _tree(Topic.objects.order_by("name_en"))}
    )


def area(request, slug: str):
    area = get_object_or_404(
        Area.objects.prefetch_related(
            Prefetch("children", queryset=Area.objects.order_by("name_en")),
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("topic", "office").order_by(
                    "topic__name_en"
                ),
            ),
        ),
        slug=slug,
    )
    # The places it lies in come from the routing index, which holds every area already.
    around = list(reversed(get_index().area_chain(area)[1:]))
    return render(
        request,
        "directory/area.html",
        {
            "area": area,
            "around": around,
            "top_sections": pages.AREA_TOP.sections(request, area),
        },
    )


def ask(request):
    """A GET form, so an answer has an address to share and works without JavaScript. With an
    answer comes the map: each place on it asks the same words again for that place. A place
    without words (`?area=norte`) only fills in the form's "Where?"."""
    result = area_map = None
    if "q" in request.GET:
        form = AskForm(request.GET)
        if form.is_valid():
            area = form.chosen_area()
            result = route(form.cleaned_data["q"], area, (get_language() or "en")[:2])
            area_map = maps.area_map(form.cleaned_data["q"], area)
    else:
        form = AskForm(initial={"area": request.GET.get("area", "")})
    next_steps = pages.ANSWER.sections(request, result) if result and result.best else []
    return render(
        request,
        "directory/ask.html",
        {"form": form, "result": result, "area_map": area_map, "next_steps": next_steps},
    )


@require_safe
def areas_geojson(request):
    """The directory's areas with a boundary as GeoJSON, for the map's script: names in the
    reader's language, from Agora's own origin."""
    from agora.directory.models.base import current_language

    response = HttpResponse(
        maps.areas_geojson(current_language()), content_type="application/geo+json"
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


def area_map_page(request):
    """The directory's places on a map. Without JavaScript: the SVG drawing, each place a link
    to its page, and the same places as a list. With it, the map script draws the areas from
    the GeoJSON (and base tiles, only when the administrator names a tile server); other apps
    add their points and counts below (`pages.MAP_BODY`): a part whose context names a
    `points_url` has its GeoJSON points drawn too."""
    sections = pages.MAP_BODY.sections(request)
    return render(
        request,
        "directory/map.html",
        {
            "area_map": maps.area_map(to_area_pages=True),
            "tiles_url": settings.AGORA_MAP_TILES_URL,
            "tiles_attribution": settings.AGORA_MAP_TILES_ATTRIBUTION,
            "sections": sections,
            "points_urls": [s.context["points_url"] for s in sections if "points_url" in s.context],
        },
    )
