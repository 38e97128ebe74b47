"""The accounts part of the JSON API: your own account and tokens, and other people's public
profiles. Endpoints parse, check access and call one service function, like the views."""

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from agora.accounts import services
from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA, SESSION_ONLY
from agora.accounts.models import ListVisibility, PersonalAccessToken, User, Visibility
from agora.accounts.permissions import find_visible_profile
from agora.core.api.errors import error_responses
from agora.core.api.schemas import Input, Page, Text

router = Router(tags=["accounts"])

LanguageCode = Literal[("", *(code for code, _name in settings.LANGUAGES))]
VisibilityChoice = Literal[tuple(Visibility.values)]
ListVisibilityChoice = Literal[tuple(ListVisibility.values)]


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


class Me(Schema):
    """Your own account, with what only you may see: the email address."""

    id: int
    handle: str
    display_name: str
    bio: str
    home_area: str
    preferred_language: str
    profile_visibility: str
    connections_visibility: str
    role: str
    kind: str
    verification: str
    email: str


class ProfileChanges(Input):
    """Only the fields sent are changed; leave one out to keep it."""

    display_name: Text = Field(None, max_length=_max_length(User, "display_name"))
    bio: Text = Field(None, max_length=_max_length(User, "bio"))
    home_area: Text = Field(None, max_length=_max_length(User, "home_area"))
    preferred_language: LanguageCode = Field(
        None, description="An interface language, or empty for the browser's language."
    )
    profile_visibility: VisibilityChoice = Field(
        None, description="public: everyone; members: signed-in members; private: only you."
    )
    connections_visibility: ListVisibilityChoice = Field(
        None,
        description=(
            "Who may see your followers, following and connections: public (everyone who can "
            "see your profile), members, connections, nobody."
        ),
    )


class Profile(Schema):
    """A public profile. It never carries the email address."""

    handle: str
    display_name: str
    bio: str
    home_area: str
    role: str
    kind: str = Field(
        description="resident, institutional (an office or service of the authority) or "
        "political (an elected representative, a party group, a candidate)."
    )
    kind_detail: str = Field(description='What the account is: "Councillor, Centro district".')
    verified: bool = Field(description="Whether the account is a verified resident.")
    verified_at: datetime | None = Field(None, description="When it was verified.")
    verified_how: str | None = Field(
        None, description="administrator (documents checked) or code (a one-time code)."
    )
    avatar_url: str | None
    joined: datetime

    @staticmethod
    def resolve_verified(user: User) -> bool:
        return user.is_verified_resident

    @staticmethod
    def resolve_verified_at(user: User) -> datetime | None:
        return user.verified_at if user.is_verified_resident else None

    @staticmethod
    def resolve_verified_how(user: User) -> str | None:
        return (user.verification_method or None) if user.is_verified_resident else None

    @staticmethod
    def resolve_avatar_url(user: User) -> str | None:
        if not user.avatar:
            return None
        return settings.SITE_URL + reverse("accounts:avatar", kwargs={"handle": user.handle})

    @staticmethod
    def resolve_joined(user: User) -> datetime:
        return user.date_joined


class AccessToken(Schema):
    """A personal access token as its owner sees it later: never the secret, never its hash."""

    id: int
    name: str
    hint: str = Field(description="The first characters of the secret, to recognise it.")
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool

    @staticmethod
    def resolve_revoked(token: PersonalAccessToken) -> bool:
        return not token.is_active


class NewAccessToken(Input):
    name: Text = Field(
        min_length=1,
        max_length=_max_length(PersonalAccessToken, "name"),
        description="What the token is for, such as the client that will use it.",
    )


class CreatedAccessToken(AccessToken):
    secret: str = Field(
        description="Send it as `Authorization: Bearer <secret>`. It is shown only this once."
    )


@router.get(
    "/me",
    response={200: Me, **error_responses()},
    summary="Your account",
)
def read_me(request):
    return request.auth


@router.patch(
    "/me",
    response={200: Me, **error_responses(400, 422)},
    summary="Change your profile",
)
def update_me(request, changes: ProfileChanges):
    return services.update_profile(request.auth, **changes.model_dump(exclude_unset=True))


@router.get(
    "/profiles/{handle}",
    auth=ANYONE,
    response={200: Profile, **error_responses(404)},
    summary="A public profile",
    description=(
        "Open to everyone. A profile its owner keeps from you answers 404, exactly like one "
        "that does not exist. The handle is matched without regard to case."
    ),
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
)
def read_profile(request, handle: str):
    owner = find_visible_profile(request.auth, handle)
    if owner is None:
        raise Http404
    return owner


@router.get(
    "/me/tokens",
    response={200: list[AccessToken], **error_responses(422)},
    summary="Your access tokens",
)
@paginate(Page)
def list_access_tokens(request):
    return PersonalAccessToken.objects.filter(user=request.auth).order_by("-created_at", "-id")


@router.post(
    "/me/tokens",
    auth=SESSION_ONLY,
    response={201: CreatedAccessToken, **error_responses(400, 422)},
    summary="Create an access token",
    description=(
        "Only from a signed-in browser session: a token cannot mint more tokens, so a leaked "
        "one cannot outlive its revocation through copies of itself."
    ),
)
def create_access_token(request, new_token: NewAccessToken):
    token, secret = services.create_access_token(request.auth, name=new_token.name)
    token.secret = secret  # on this instance only, for the one response that shows it
    return Status(201, token)


@router.delete(
    "/me/tokens/{token_id}",
    response={204: None, **error_responses(404, 422)},
    summary="Revoke an access token",
    description="It stops working at once. Revoking a revoked token changes nothing.",
)
def revoke_access_token(request, token_id: int):
    # Another account's token answers 404 like a missing one, so ids reveal nothing.
    token = get_object_or_404(PersonalAccessToken, pk=token_id, user=request.auth)
    services.revoke_access_token(token, by=request.auth)
    return Status(204, None)
