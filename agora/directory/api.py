"""The directory part of the JSON API: "Who handles this?" for programs."""

from typing import Literal

from django.conf import settings
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.accounts.schemas import COUNT_DESCRIPTION, shown_count
from agora.core.api.errors import ApiError, error_responses
from agora.core.api.schemas import Page, Text
from agora.directory.forms import MAX_REQUEST_LENGTH
from agora.directory.index import get_index
from agora.directory.models import Office, Responsibility
from agora.directory.routing import Candidate, route

router = Router(tags=["directory"])

LanguageCode = Literal[tuple(code for code, _name in settings.LANGUAGES)]


class RouteParams(Schema):
    q: Text = Field(
        min_length=1,
        max_length=MAX_REQUEST_LENGTH,
        description="The request in plain words, in any language the directory holds.",
    )
    area: str = Field(
        "",
        max_length=80,
        description="The slug of the place the request is about, if known. Otherwise a place "
        "named in `q` is used.",
    )
    language: LanguageCode | None = Field(
        None, description="The language of `reason`; the request's language by default."
    )


class Named(Schema):
    slug: str
    name: str


class OfficeRef(Named):
    url: str = Field(description="The office's page.")


class RouteCandidate(Schema):
    office: OfficeRef
    topic: Named
    area: Named = Field(description="The area whose responsibility decides.")
    score: float
    handles: str
    excludes: str


class RouteAnswer(Schema):
    query: str
    area: Named | None = Field(description="The place used: the one sent, or one named in q.")
    area_from_text: bool
    uncertain: bool = Field(description="True when the answer is weak or another office is close.")
    reason: str = Field(description="The answer in plain words; empty when there is none.")
    best: RouteCandidate | None
    alternatives: list[RouteCandidate]


def _named(entry) -> dict:
    return {"slug": entry.slug, "name": entry.name}


def _candidate(candidate: Candidate) -> dict:
    responsibility = candidate.responsibility
    return {
        "office": {
            **_named(candidate.office),
            "url": settings.SITE_URL + candidate.office.get_absolute_url(),
        },
        "topic": _named(candidate.topic),
        "area": _named(responsibility.area),
        "score": candidate.score,
        "handles": responsibility.handles,
        "excludes": responsibility.excludes,
    }


@router.get(
    "/route",
    auth=ANYONE,
    response={200: RouteAnswer, **error_responses(422)},
    summary="Who handles this?",
    description=(
        "Open to everyone. Finds the office responsible for a request in plain words, with "
        "the reason and, when uncertain, the alternatives. An unknown `area` answers 422."
    ),
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def route_request(request, params: Query[RouteParams]):
    area = None
    if params.area:
        area = next((a for a in get_index().areas.values() if a.slug == params.area), None)
        if area is None:
            raise ApiError(
                422, "unknown_area", _("area: there is no area “%(slug)s”.") % {"slug": params.area}
            )
    language = params.language or (get_language() or "en")[:2]
    result = route(params.q, area, language)
    return {
        "query": result.text,
        "area": _named(result.area) if result.area else None,
        "area_from_text": result.area_from_text,
        "uncertain": result.uncertain,
        "reason": result.reason,
        "best": _candidate(result.best) if result.best else None,
        "alternatives": [_candidate(candidate) for candidate in result.alternatives],
    }


class OfficeSummary(Schema):
    slug: str
    name: str
    kind: str
    authority: str = Field(description="The slug of the office's authority.")
    parent: str | None = Field(description="The slug of the office it is part of.")
    url: str

    @staticmethod
    def resolve_authority(office: Office) -> str:
        return office.authority.slug

    @staticmethod
    def resolve_parent(office: Office) -> str | None:
        return office.parent.slug if office.parent_id else None

    @staticmethod
    def resolve_url(office: Office) -> str:
        return settings.SITE_URL + office.get_absolute_url()


class OfficeResponsibility(Schema):
    topic: Named
    area: Named
    handles: str
    excludes: str

    @staticmethod
    def resolve_topic(responsibility: Responsibility) -> dict:
        return _named(responsibility.topic)

    @staticmethod
    def resolve_area(responsibility: Responsibility) -> dict:
        return _named(responsibility.area)


class OfficeDetail(OfficeSummary):
    follower_count: int | None = Field(description=COUNT_DESCRIPTION)
    description: str
    email: str
    phone: str
    address: str
    website: str
    opening_hours: str
    responsibilities: list[OfficeResponsibility]

    @staticmethod
    def resolve_follower_count(office: Office, context) -> int | None:
        return shown_count(office.follower_count, context)

    @staticmethod
    def resolve_responsibilities(office: Office) -> list:
        return list(office.responsibilities.all())


@router.get(
    "/offices",
    auth=ANYONE,
    response={200: list[OfficeSummary], **error_responses(422)},
    summary="The offices",
    description="Open to everyone. Every office of every authority, by name in English.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
@paginate(Page)
def list_offices(request):
    return Office.objects.select_related("authority", "parent").order_by("name_en", "id")


@router.get(
    "/offices/{slug}",
    auth=ANYONE,
    response={200: OfficeDetail, **error_responses(404)},
    summary="An office",
    description="Open to everyone. Its contact points, opening hours and responsibilities.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def read_office(request, slug: str):
    return get_object_or_404(
        Office.objects.select_related("authority", "parent")
        .annotate(follower_count=Count("follows"))
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("topic", "area").order_by(
                    "topic__name_en", "area__name_en"
                ),
            )
        ),
        slug=slug,
    )
