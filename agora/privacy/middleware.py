"""Sends a signed-in person to accept the house rules or the privacy notice again when a
version changed materially since they last accepted. Whether they must is decided once, when
they sign in, and kept in the session, so this costs no query."""

from django.shortcuts import redirect
from django.urls import reverse

#: Set in the session at sign-in when the person has versions to accept.
SESSION_KEY = "privacy_consent_needed"
# What a person may still reach before accepting: the page that asks, the documents it
# names, their data, signing out, the API (tokens, not sessions), static files, the admin.
OPEN_PREFIXES = (
    "/settings/consent/",
    "/settings/data/",
    "/rules/",
    "/privacy/",
    "/accounts/logout/",
    "/api/",
    "/static/",
    "/admin/",
    "/healthz",
    "/i18n/",
)


class ConsentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "GET"
            and not request.path.startswith(OPEN_PREFIXES)
            and request.session.get(SESSION_KEY)
        ):
            return redirect(f"{reverse('privacy:consent')}?next={request.path}")
        return self.get_response(request)
