"""A form sent twice does one thing. Every page form carries a one-time token beside its CSRF
token (`{% csrf_token %}` writes both: `templatetags/form_once.py`). A double click, or a
phone that resends on a flaky connection, sends the same form with the same token twice; the
second gets the first's answer instead of running again:

- The first request with a token claims it for the browser's session (an `IdempotencyKey`
  row, as the API's `Idempotency-Key` does, `core.idempotency`) and runs. When it answers with
  a redirect (post, redirect, get: how every form here ends well), the redirect is kept with
  the cookies it set (the "Posted." message).
- The same form again (same token, same fields) gets that redirect. If the first is still
  running, the second waits for it (up to `WAIT`), then gets its redirect.
- Anything else releases the token: a form with errors (answered 200, with what was typed), a
  failure, or an answer that changes the session's or the CSRF cookie (signing in or out,
  changing a password), which must reach the browser from the request that ran. A form sent
  again with other fields (back, changed, sent) is another submission and runs.
- A browser without a session (a visitor who never signed in) is not tracked: there is no
  session to keep the token in, and nothing they send creates much.

The check runs before the view, after Django's CSRF check would pass (a forged request is
answered by the CSRF middleware, never by a replay).
"""

import hashlib
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

from agora.core.idempotency import BUSY, claim, release

FIELD = "form_once"
#: How long a second submission waits for the first to finish before it is told to wait.
WAIT = 8.0
POLL = 0.1
KEEP = timedelta(hours=1)


def _caller(request) -> str | None:
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session:
        return None
    return "session:" + hashlib.sha256(session.encode()).hexdigest()


def _fingerprint(request) -> str:
    digest = hashlib.sha256(f"{request.get_full_path()}\n".encode())
    for name in sorted(request.POST):
        for value in request.POST.getlist(name):
            digest.update(f"{name}={value}\n".encode())
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(f"{name}:{upload.name}:{upload.size}\n".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def _replay(held) -> HttpResponse:
    response = HttpResponseRedirect(held.headers["location"])
    for name, cookie in held.headers.get("cookies", {}).items():
        response.cookies[name] = cookie["value"]
        for attribute, value in cookie["attributes"].items():
            response.cookies[name][attribute] = value
    return response


def _keeps(response) -> dict | None:
    """What of an answer is kept: a redirect and its cookies, unless it signs in or out."""
    if response.status_code not in (301, 302, 303) or response.streaming:
        return None
    if {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME} & set(response.cookies):
        return None
    cookies = {
        name: {
            "value": morsel.value,
            "attributes": {key: value for key, value in morsel.items() if value},
        }
        for name, morsel in response.cookies.items()
    }
    return {"location": response["Location"], "cookies": cookies}


def _still_sending(request) -> HttpResponse:
    language = translation.get_language_from_request(request)
    with translation.override(language):
        message = _(
            "This form is already being sent. Wait a moment, then go back and reload the page "
            "to see whether it went through."
        )
    response = HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "5"
    return response


class FormOnceMiddleware:
    """Placed after the session middleware would read the cookie and before the messages and
    session middleware write theirs, so that what it keeps is the whole answer: see above."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(lambda _request: None)

    def __call__(self, request):
        if request.method != "POST" or request.path.startswith(settings.AGORA_IDEMPOTENT_PATHS):
            return self.get_response(request)
        caller = _caller(request)
        if caller is None:
            return self.get_response(request)
        try:
            token = request.POST.get(FIELD, "")
        except RequestDataTooBig:
            return self.get_response(request)
        if not token or len(token) > 64 or self.csrf.process_view(request, None, (), {}):
            return self.get_response(request)
        key = f"form:{token}:{_fingerprint(request)}"
        answer = self._claim(request, caller, key)
        if answer is not None:
            return answer
        try:
            response = self.get_response(request)
        except BaseException:
            release(caller, key)
            raise
        kept = _keeps(response)
        if kept is None:
            release(caller, key)
        else:
            self._store(caller, key, kept, response.status_code)
        return response

    def _claim(self, request, caller: str, key: str):
        """None when this send may run; else the first send's redirect, waited for while it
        still runs (up to WAIT), or a 409 past that."""
        deadline = time.monotonic() + WAIT
        while True:
            held = claim(caller, key, key[-64:], keep=KEEP)
            if held is None:
                return None
            if held is not BUSY and held.status is not None:
                return _replay(held)
            if time.monotonic() >= deadline:
                return _still_sending(request)
            time.sleep(POLL)

    def _store(self, caller: str, key: str, kept: dict, status: int) -> None:
        from agora.core.models import IdempotencyKey

        IdempotencyKey.objects.filter(caller=caller, key=key, status__isnull=True).update(
            status=status, headers=kept
        )
