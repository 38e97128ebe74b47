"""The JSON API under /api/v1/. Each app contributes a router from its own api module."""

from functools import wraps
from inspect import iscoroutinefunction

from django.http import HttpResponseNotAllowed
from django.urls import re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from ninja import NinjaAPI

from agora.accounts.api import router as accounts_router
from agora.api.auth import SIGNED_IN
from agora.api.errors import error_response, install_error_handlers
from agora.api.throttling import ApiRateThrottle
from agora.cases.api import router as cases_router
from agora.conversations.api import router as conversations_router
from agora.directory.api import router as directory_router
from agora.notifications.api import router as notifications_router
from agora.social.api import router as social_router

DESCRIPTION = """\
The JSON API of Agora.

**Authentication.** A browser uses its signed-in session (the session cookie; POST, PUT, PATCH
and DELETE also need the CSRF token in the `X-CSRFToken` header). Other clients send a personal
access token, created under Settings → API tokens, as `Authorization: Bearer agora_…`.

**Errors.** Every error answers `{"error": {"code": "...", "message": "..."}}` with the
matching HTTP status. `message` is for people and may be translated; `code` is for programs.

**Throttling.** Each account, or each address when not signed in, has a request budget
(120 a minute unless the site sets otherwise); past it the API answers 429 with a
`Retry-After` header.
"""


class AgoraAPI(NinjaAPI):
    """A NinjaAPI whose URL map answers in the error shape where ninja leaves it to Django:
    a wrong method on a known path (ninja answers a plain-text 405) and a path that matches no
    operation (Django would render the HTML 404 page)."""

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        patterns = [pattern for pattern in patterns if pattern.name != "api-root"]
        for pattern in patterns:
            pattern.callback = self._with_json_method_not_allowed(pattern.callback)
        # ninja finds the API's own prefix by reversing "api-root", so the name stays.
        # Not found answers before any CSRF check (a POST with a session cookie to a path that
        # is no operation would otherwise get Django's HTML 403), and for any path, new lines
        # and all.
        not_found = csrf_exempt(self._not_found)
        patterns.append(re_path(r"^$", not_found, name="api-root"))
        patterns.append(re_path(r"^[\s\S]*$", not_found, name="not-found"))
        return patterns, app_name, namespace

    def set_default_exception_handlers(self) -> None:
        install_error_handlers(self)

    def get_openapi_operation_id(self, operation) -> str:
        """`accounts_read_me` rather than `agora_accounts_api_read_me`: the app and the verb."""
        app = operation.view_func.__module__.split(".")[1]
        return f"{app}_{operation.view_func.__name__}"

    def _not_found(self, request, *args, **kwargs):
        return error_response(self, request, 404)

    def _method_not_allowed(self, request, response):
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = ", ".join(sorted(response["Allow"].split(", ")))  # ninja's order varies
        message = _("This address does not accept %(method)s; it accepts %(allowed)s.") % {
            "method": request.method,
            "allowed": allowed,
        }
        json_response = error_response(self, request, 405, "method_not_allowed", message)
        json_response["Allow"] = allowed
        return json_response

    def _with_json_method_not_allowed(self, view):
        if iscoroutinefunction(view):

            async def async_view(request, *args, **kwargs):
                return self._method_not_allowed(request, await view(request, *args, **kwargs))

            return wraps(view)(async_view)

        def sync_view(request, *args, **kwargs):
            return self._method_not_allowed(request, view(request, *args, **kwargs))

        return wraps(view)(sync_view)


api = AgoraAPI(
    title="Agora API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    # ninja's Swagger page loads its script from a CDN; Agora serves nothing from elsewhere.
    docs_url=None,
    docs_decorator=require_safe,
    auth=SIGNED_IN,
    throttle=ApiRateThrottle(),
)
api.add_router("/", accounts_router)
api.add_router("/", social_router)
api.add_router("/notifications", notifications_router)
api.add_router("/directory", directory_router)
api.add_router("/cases", cases_router)
api.add_router("/conversations", conversations_router)
