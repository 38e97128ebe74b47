"""The API's base class: a NinjaAPI that answers every failure in the one error shape and names
operations by app and verb. It knows no domain; the site layer builds the API from it."""

from functools import wraps
from inspect import iscoroutinefunction

from django.http import HttpResponseNotAllowed
from django.urls import re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from agora.core.api.errors import error_response, install_error_handlers


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
