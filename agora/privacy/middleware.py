"""Sends a signed-in person to accept the house rules or the privacy notice again when a
version changed materially since they last accepted. The session remembers the versions
accepted, so a person who is up to date costs no query."""

from django.shortcuts import redirect
from django.urls import reverse

from agora.privacy import consent

SESSION_KEY = "privacy_consent"
# What a person may still reach before accepting: the page that asks, the documents it
# names, signing out, the API (tokens, not sessions), static files, the admin.
OPEN_PREFIXES = ("/settings/consent/", "/rules/", "/privacy/", "/accounts/logout/", "/api/",
                 "/static/", "/admin/", "/healthz", "/i18n/")  # fmt: skip


class ConsentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.method == "GET":
            key = consent.current_key()
            if key and request.session.get(SESSION_KEY) != key:
                if consent.to_accept(user):
                    if not request.path.startswith(OPEN_PREFIXES):
                        return redirect(f"{reverse('privacy:consent')}?next={request.path}")
                else:
                    request.session[SESSION_KEY] = key
        return self.get_response(request)
