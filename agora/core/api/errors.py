"""The API's one error shape, `{"error": {"code": ..., "message": ...}}`, and the handlers that
turn every failure inside the API into it."""

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.log import log_response
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from agora.core.api.schemas import NO_NUL, SAID
from agora.core.errors import RETRY_AFTER_OUTAGE, is_database_unavailable, register_shape
from agora.core.ratelimit import RateLimited
from agora.core.refusals import Refused


class ErrorDetail(Schema):
    code: str
    message: str


class ErrorResponse(Schema):
    error: ErrorDetail


class ApiError(HttpError):
    """An error an endpoint or an auth scheme raises on purpose, with its own code."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(status_code, message)
        self.code = code


# What any operation can answer, since every one accepts a token or a session: 401 for a token
# that is unknown or revoked (even where anyone may call), 403 `two_factor_required` for a
# moderator, administrator or staff member without two-factor login (RequireTwoFactorMiddleware
# answers it before the operation runs, whatever its authentication) and 429 when throttled.
EVERY_OPERATION_ERRORS = (401, 403, 429)


def error_responses(*statuses: int) -> dict[int, type[ErrorResponse]]:
    """The `response=` entries that document an operation's error statuses in the schema: the
    ones given, which are the operation's own, and those of EVERY_OPERATION_ERRORS."""
    return dict.fromkeys(sorted({*EVERY_OPERATION_ERRORS, *statuses}), ErrorResponse)


def default_error(status: int) -> tuple[str, str]:
    """What an error of this status says when nothing more specific is known."""
    defaults = {
        400: ("bad_request", _("The request could not be read.")),
        401: (
            "not_authenticated",
            _("Log in, or send a personal access token as “Authorization: Bearer …”."),
        ),
        403: ("forbidden", _("You are not allowed to do this.")),
        404: ("not_found", _("There is nothing at this address.")),
        405: ("method_not_allowed", _("This address does not accept this method.")),
        413: ("too_large", _("The request body is too large.")),
        422: ("invalid", _("The request has invalid values.")),
        414: ("uri_too_long", _("The address is too long.")),
        429: ("throttled", _("Too many requests. Wait a moment and try again.")),
        503: ("service_unavailable", _("The service is briefly unavailable. Try again soon.")),
    }
    return defaults.get(status, ("server_error", _("Something went wrong on our side.")))


def error_response(
    api, request: HttpRequest, status: int, code: str | None = None, message: str | None = None
) -> HttpResponse:
    default_code, default_message = default_error(status)
    response = api.create_response(
        request,
        {"error": {"code": code or default_code, "message": message or default_message}},
        status=status,
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _field_name(location: tuple) -> str:
    """`("body", "payload", "bio")` -> `bio`: the name a client sent, without where it sat."""
    parts = [str(part) for part in location[1:]]
    if location and location[0] == "body" and parts:
        parts = parts[1:]  # the name of the view's body argument, which the client never sees
    return ".".join(parts) or _("request body")


def _problem(error: dict) -> str:
    """A pydantic error in our words, so it can be translated."""
    context = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("This field is unknown or cannot be changed here.")
    if kind == "string_too_long":
        limit = context.get("max_length", 0)
        return ngettext(
            "Use at most %(limit)d character.", "Use at most %(limit)d characters.", limit
        ) % {"limit": limit}
    if kind == "string_too_short":
        limit = context.get("min_length", 0)
        return ngettext(
            "Use at least %(limit)d character.", "Use at least %(limit)d characters.", limit
        ) % {"limit": limit}
    if kind == "string_pattern_mismatch" and context.get("pattern") == NO_NUL:
        return _("Text cannot contain NUL characters.")
    if kind == "string_pattern_mismatch" and context.get("pattern") == SAID:
        if "\x00" in str(error.get("input", "")):
            return _("Text cannot contain NUL characters.")
        return _("Write something: this cannot be blank.")
    if kind == "string_type":
        return _("Send text.")
    if kind == "string_unicode":
        return _("Send valid Unicode text.")
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return _("Send a whole number.")
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(choices)s.") % {"choices": context.get("expected", "")}
    if kind == "greater_than_equal":
        return _("Send a number of at least %(limit)s.") % {"limit": context.get("ge")}
    if kind == "less_than_equal":
        return _("Send a number of at most %(limit)s.") % {"limit": context.get("le")}
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return _("Send a JSON object.")
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    return str(error.get("msg", _("This value is not valid.")))


def _describe_validation_errors(errors: list[dict]) -> str:
    described = []
    for error in errors:
        if "loc" in error:
            field, problem = _field_name(tuple(error["loc"])), _problem(error)
        else:
            # Some of ninja's own checks report {"name": "message"} without a location.
            field, problem = next(iter(error.items()), ("", ""))
        described.append(_("%(field)s: %(problem)s") % {"field": field, "problem": problem})
    return " ".join(described) or _("The request has invalid values.")


def _describe_django_validation_error(error: DjangoValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(
            _("%(field)s: %(problem)s") % {"field": field, "problem": " ".join(messages)}
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def install_error_handlers(api) -> None:
    """Replace ninja's default handlers (which answer `{"detail": ...}`, or an HTML page for an
    unexpected exception) with ones that answer the error shape."""

    def on_http_error(request, exc: HttpError):
        if isinstance(exc, ApiError):
            return error_response(api, request, exc.status_code, exc.code, exc.message)
        cause = exc.__cause__
        if exc.status_code == 400 and isinstance(cause, RequestDataTooBig):
            return error_response(api, request, 413)
        if exc.status_code == 400 and isinstance(cause, ValueError):
            # ninja raises this when the body does not parse as JSON.
            return error_response(
                api, request, 400, "malformed_json", _("The request body is not valid JSON.")
            )
        return error_response(api, request, exc.status_code)

    def on_throttled(request, exc: Throttled):
        if exc.wait is None:
            return error_response(api, request, 429)
        seconds = max(1, round(exc.wait))
        message = ngettext(
            "Too many requests. Try again in %(seconds)d second.",
            "Too many requests. Try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
        return error_response(api, request, 429, "throttled", message)

    def on_not_authenticated(request, exc: AuthenticationError):
        return error_response(api, request, 401)

    def on_invalid(request, exc: NinjaValidationError):
        return error_response(api, request, 422, "invalid", _describe_validation_errors(exc.errors))

    def on_django_invalid(request, exc: DjangoValidationError):
        return error_response(api, request, 422, "invalid", _describe_django_validation_error(exc))

    def on_not_found(request, exc: Exception):
        return error_response(api, request, 404)

    def on_permission_denied(request, exc: PermissionDenied):
        return error_response(api, request, 403)

    def on_suspicious(request, exc: SuspiciousOperation):
        if isinstance(exc, RequestDataTooBig):
            return error_response(api, request, 413)
        return error_response(api, request, 400)

    def on_unreadable_form(request, exc: MultiPartParserError):
        # A multipart body that does not parse (no boundary, say): Django answers it 400 too.
        return error_response(api, request, 400)

    def on_unexpected(request, exc: Exception):
        if is_database_unavailable(exc):
            response = error_response(
                api,
                request,
                503,
                "service_unavailable",
                _("The service is briefly unavailable. Try again in a few seconds."),
            )
            response["Retry-After"] = str(RETRY_AFTER_OUTAGE)
            return response
        response = error_response(api, request, 500)
        # The same logger and record as Django's own 500 handling, so error mails still go.
        log_response(
            "Internal Server Error: %s",
            request.path,
            response=response,
            request=request,
            exception=exc,
        )
        return response

    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(AuthenticationError, on_not_authenticated)
    api.add_exception_handler(NinjaValidationError, on_invalid)
    api.add_exception_handler(DjangoValidationError, on_django_invalid)

    def on_rate_limited(request, exc: RateLimited):
        response = error_response(api, request, 429, "rate_limited", exc.messages[0])
        response["Retry-After"] = str(exc.wait)
        return response

    api.add_exception_handler(RateLimited, on_rate_limited)

    def on_refused(request, exc: Refused):
        return error_response(api, request, exc.status, exc.code, exc.messages[0])

    api.add_exception_handler(Refused, on_refused)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(ObjectDoesNotExist, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(SuspiciousOperation, on_suspicious)
    api.add_exception_handler(MultiPartParserError, on_unreadable_form)
    api.add_exception_handler(Exception, on_unexpected)

    # Errors answered outside the API's views (an outage, an over-long address) take its shape.
    register_shape(
        "/api/",
        lambda request, status, code, message: error_response(api, request, status, code, message),
    )
