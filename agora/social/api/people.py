"""Relationships in the JSON API: follow, connect, block and mute a person, and a person's lists
of followers, followed and connections."""

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Status
from ninja.pagination import paginate

from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.core.api.errors import ApiError, error_responses
from agora.core.api.schemas import Page
from agora.social import permissions, queries, services
from agora.social.api.lookups import visible_person
from agora.social.api.schemas import NAMED, Person

router = Router()

# Following, connecting with, blocking or muting yourself answers 409.
TO_SOMEONE = {**NAMED, **error_responses(409)}


def _relate(request, handle: str, verb) -> Status:
    """Apply a relationship verb of `services` to the person with the handle."""
    other = permissions.person_to_relate(request.auth, handle, verb.__name__)
    if other is None:
        raise Http404
    try:
        verb(other, by=request.auth)
    except ValidationError as error:
        if other.pk != request.auth.pk:
            raise
        # Following, connecting with, blocking or muting oneself: a request that cannot be
        # carried out as things are (409), not a malformed one the schema could have refused.
        raise ApiError(409, error.code or "self", error.messages[0]) from error
    return Status(204, None)


@router.post(
    "/people/{handle}/follow", response={204: None, **TO_SOMEONE}, summary="Follow a person"
)
def follow(request, handle: str):
    return _relate(request, handle, services.follow)


@router.delete("/people/{handle}/follow", response={204: None, **NAMED}, summary="Unfollow")
def unfollow(request, handle: str):
    return _relate(request, handle, services.unfollow)


@router.post(
    "/people/{handle}/connection",
    response={204: None, **TO_SOMEONE},
    summary="Connect, or ask to",
    description=(
        "Connects at once when you follow each other or they asked you; otherwise sends a "
        "request they can accept."
    ),
)
def connect(request, handle: str):
    return _relate(request, handle, services.connect)


@router.delete("/people/{handle}/connection", response={204: None, **NAMED}, summary="Disconnect")
def disconnect(request, handle: str):
    return _relate(request, handle, services.disconnect)


@router.post(
    "/people/{handle}/block",
    response={204: None, **TO_SOMEONE},
    summary="Block a person",
    description="Removes follows and connections both ways. Private: they are not told.",
)
def block(request, handle: str):
    return _relate(request, handle, services.block)


@router.delete("/people/{handle}/block", response={204: None, **NAMED}, summary="Unblock")
def unblock(request, handle: str):
    return _relate(request, handle, services.unblock)


@router.post(
    "/people/{handle}/mute",
    response={204: None, **TO_SOMEONE},
    summary="Mute a person",
    description="You stop seeing them in feeds and search. Private: they are not told.",
)
def mute(request, handle: str):
    return _relate(request, handle, services.mute)


@router.delete("/people/{handle}/mute", response={204: None, **NAMED}, summary="Unmute")
def unmute(request, handle: str):
    return _relate(request, handle, services.unmute)


def _list(request, handle: str, lister):
    owner = visible_person(request, handle)
    if not permissions.can_see_lists(request.auth, owner):
        raise Http404
    return lister(request.auth, owner)


@router.get(
    "/people/{handle}/followers",
    auth=ANYONE,
    response={200: list[Person], **NAMED},
    summary="A person's followers",
    description="As the person's setting allows; otherwise 404.",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
@paginate(Page)
def list_followers(request, handle: str):
    return _list(request, handle, queries.followers_of)


@router.get(
    "/people/{handle}/following",
    auth=ANYONE,
    response={200: list[Person], **NAMED},
    summary="Whom a person follows",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
@paginate(Page)
def list_following(request, handle: str):
    return _list(request, handle, queries.following_of)


@router.get(
    "/people/{handle}/connections",
    auth=ANYONE,
    response={200: list[Person], **NAMED},
    summary="A person's connections",
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
@paginate(Page)
def list_connections(request, handle: str):
    return _list(request, handle, queries.connections_of)
