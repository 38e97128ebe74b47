"""Who is calling the API: a browser with its signed-in session, or a client with a personal
access token. Whichever succeeds, `request.auth` and `request.user` are the account."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from agora.accounts import services
from agora.accounts.permissions import must_turn_on_two_factor
from agora.core.api.errors import ApiError


def has_bearer_token(request) -> bool:
    """Read the way HttpBearer reads it: the first word of the header is the scheme."""
    return request.headers.get("Authorization", "").split(" ")[0].lower() == "bearer"


class AccessTokenAuth(HttpBearer):
    """`Authorization: Bearer agora_…`. A token that is presented but unknown or revoked
    answers 401 at once, rather than falling back to the session or to anonymous access."""

    openapi_bearerFormat = "agora_…"
    openapi_description = (
        "A personal access token, created under Settings → API tokens (/settings/tokens/)."
    )

    def authenticate(self, request, token: str):
        user = services.user_for_token(token)
        if user is None:
            raise ApiError(
                401, "invalid_token", _("This access token is not valid or has been revoked.")
            )
        if must_turn_on_two_factor(user):
            raise ApiError(
                403,
                "two_factor_required",
                _("Turn on two-factor login before using the API."),
            )
        if user.preferred_language:
            translation.activate(user.preferred_language)
        request.user = user
        return user


class SessionAuth(AuthBase):
    """The browser's signed-in session. Methods that change something also need Django's CSRF
    token (the `X-CSRFToken` header), so another site cannot act with the visitor's cookie.

    `session_only` marks operations a token must not reach, such as minting new tokens: a
    request that carries a bearer token is refused there with 403 instead of being asked
    to sign in."""

    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "The session cookie of a signed-in browser. POST, PUT, PATCH and DELETE also "
        "need the CSRF token in the X-CSRFToken header."
    )

    def __init__(self, *, session_only: bool = False) -> None:
        self.session_only = session_only
        super().__init__()

    def __call__(self, request):
        if self.session_only and has_bearer_token(request):
            raise ApiError(
                403,
                "session_required",
                _("This needs a signed-in browser session; an access token cannot do it."),
            )
        user = request.user
        if not user.is_authenticated:
            return None
        # Django's check, which passes GET, HEAD, OPTIONS and TRACE without a token.
        if check_csrf(request) is not None:
            raise ApiError(
                403,
                "csrf_failed",
                _("The CSRF token is missing or wrong. Reload the page and try again."),
            )
        return user


def anonymous(request):
    """The last resort of operations open to everyone: the caller is nobody in particular."""
    return AnonymousUser()


access_token_auth = AccessTokenAuth()
session_auth = SessionAuth()
session_only_auth = SessionAuth(session_only=True)

# What an operation passes as `auth=`: the API's default, and the two exceptions to it.
SIGNED_IN = [access_token_auth, session_auth]
ANYONE = [access_token_auth, session_auth, anonymous]
SESSION_ONLY = [session_only_auth]

# The schema's way of saying "authentication is optional" for operations open to ANYONE.
OPTIONAL_AUTH_SCHEMA = {"security": [{}]}
