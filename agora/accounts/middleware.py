"""Per-request account rules: the account's language, and two-factor login for the roles that
must have it."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from agora.accounts.permissions import must_turn_on_two_factor


class AccountLanguageMiddleware:
    """A signed-in person sees the language they chose, on every device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Moderators, administrators and staff cannot use the site until TOTP is on: every page
    sends them to the set-up page, which (with logout) is all they can reach."""

    allowed_prefixes = ("/accounts/", "/static/", "/healthz", "/readyz", "/metrics", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and not request.path.startswith(self.allowed_prefixes)
            and must_turn_on_two_factor(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "error": {
                            "code": "two_factor_required",
                            "message": _("Turn on two-factor login before using the API."),
                        }
                    },
                    status=403,
                )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
