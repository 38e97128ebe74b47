"""Search in the JSON API: people, posts and tags, only what the caller may see."""

from ninja import Query, Router

from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.core.api.errors import error_responses
from agora.social import search
from agora.social.api.schemas import SearchParams, SearchResults

router = Router()


@router.get(
    "/search",
    auth=ANYONE,
    response={200: SearchResults, **error_responses(422)},
    summary="Search people, posts and tags",
    description="Only what you may see. Up to 20 of each.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def search_everything(request, params: Query[SearchParams]):
    return search.search(request.auth, params.q)
