"""Idempotent writes in the API: a client that sends `Idempotency-Key: <key>` with a POST may
send the same request again (after a timeout, a dropped connection, a crash of its own) and be
sure nothing is created twice. The first answer is kept and given again; the same key with a
different request is refused. This follows the IETF HTTP API working group's draft "The
Idempotency-Key HTTP Header Field" and what payment APIs do.

- A key is kept per caller (the access token, or the signed-in account of a session), so two
  callers never see each other's answers; a visitor without either gets no replay (the header
  is ignored: nothing is kept that anyone else could read).
- The first request with a key claims it (a row in `IdempotencyKey`, unique per caller and
  key) before it runs. A success (2xx) is stored with the row; anything else releases the key,
  so the caller may correct the request and send it again with the same key.
- While the first request runs, the same key answers 409 `request_in_progress`; the same key
  with another method, path or body answers 422 `idempotency_key_reused`; a key that is not
  1 to 255 printable ASCII characters answers 400 `invalid_idempotency_key`. A replay carries
  the header `Idempotent-Replayed: true`.
- Keys are kept `AGORA_IDEMPOTENCY_HOURS` (24 by default); after that the same key is new. A
  claim whose request never finished (its process died) is taken over after a minute.
"""

import hashlib
import random
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from django.utils.translation import gettext as _

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY = re.compile(r"[\x21-\x7e]{1,255}")
#: A claim not finished after this long belongs to a request that died: taken over.
STALE = timedelta(minutes=1)
#: Answers larger than this are not kept (the key is released instead).
MAX_STORED_BYTES = 1_000_000
#: One claim in this many also deletes the keys past their time (0: never).
PRUNE_ONE_IN = 100
METHODS = {"POST"}


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def caller_of(request) -> str | None:
    """Whose keys these are: a digest of the bearer token (never the token itself), or the
    account of a session; None for a visitor."""
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"account:{user.pk}"
    return None


def fingerprint(request) -> str:
    """What the request asks: its method, path, query and body. A multipart body (a photo) is
    read through Django's parser, field by field and file by file, rather than held whole."""
    digest = hashlib.sha256()
    digest.update(f"{request.method}\n{request.get_full_path()}\n".encode())
    if request.content_type == "multipart/form-data":
        for name in sorted(request.POST):
            for value in request.POST.getlist(name):
                digest.update(f"{name}={value}\n".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                digest.update(f"{name}:{upload.name}:{upload.size}\n".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def prune_now_and_then(now) -> None:
    """On one claim in PRUNE_ONE_IN, delete the keys past their time (API keys and page
    forms' tokens alike)."""
    from agora.core.models import IdempotencyKey

    if PRUNE_ONE_IN and random.randrange(PRUNE_ONE_IN) == 0:
        keep = timedelta(hours=settings.AGORA_IDEMPOTENCY_HOURS)
        IdempotencyKey.objects.filter(created_at__lt=now - keep).delete()


#: What `claim` answers when it could neither claim a key nor read the claim that holds it
#: (claimed and released over and over by others meanwhile): treat it as still running.
BUSY = object()


def claim(caller: str, key: str, print_: str, *, keep: timedelta):
    """Claim the key for this request: None when it may run, else the `IdempotencyKey` row of
    the request that holds it (running when its `status` is empty), or BUSY. A claim older
    than `keep`, or one never finished after STALE (its process died), is taken over. Shared
    by the API's keys and the page forms' tokens (`core.formonce`)."""
    from agora.core.models import IdempotencyKey

    now = timezone.now()
    prune_now_and_then(now)
    for _attempt in range(3):
        held = IdempotencyKey.objects.filter(caller=caller, key=key).first()
        if held is not None and (
            held.created_at < now - keep or (held.status is None and held.created_at < now - STALE)
        ):
            IdempotencyKey.objects.filter(pk=held.pk, created_at=held.created_at).delete()
            held = None
        if held is not None:
            return held
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(
                    caller=caller, key=key, fingerprint=print_, created_at=now
                )
            return None
        except IntegrityError:  # another request claimed it first: read its claim
            continue
    return BUSY


def release(caller: str, key: str) -> None:
    """Give up an unfinished claim, so that the same key may run again."""
    from agora.core.models import IdempotencyKey

    IdempotencyKey.objects.filter(caller=caller, key=key, status__isnull=True).delete()


def _answer_for(caller: str, key: str, print_: str):
    """None when this request may run, else the answer to give instead."""
    held = claim(caller, key, print_, keep=timedelta(hours=settings.AGORA_IDEMPOTENCY_HOURS))
    if held is None:
        return None
    if held is not BUSY and held.fingerprint != print_:
        return _error(
            422,
            "idempotency_key_reused",
            _(
                "This Idempotency-Key was used for a different request. Use a new key for "
                "a new request."
            ),
        )
    if held is BUSY or held.status is None:
        return _error(
            409,
            "request_in_progress",
            _("A request with this Idempotency-Key is still running. Try again shortly."),
        )
    replay = HttpResponse(bytes(held.body), status=held.status, content_type=held.content_type)
    replay[REPLAYED_HEADER] = "true"
    return replay


def _settle(caller: str, key: str, response) -> None:
    from agora.core.models import IdempotencyKey

    keeps = (
        200 <= response.status_code < 300
        and not response.streaming
        and len(response.content) <= MAX_STORED_BYTES
    )
    if not keeps:
        release(caller, key)
        return
    IdempotencyKey.objects.filter(caller=caller, key=key, status__isnull=True).update(
        status=response.status_code,
        body=response.content,
        content_type=response.get("Content-Type", "application/json"),
    )


def _csrf_passes(request) -> bool:
    """A session's request replays nothing before it passes the CSRF check the API would
    make (a replay must not answer a forged request)."""
    return CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {}) is None


class IdempotencyMiddleware:
    """Keeps the answers to the API's POSTs that carry an `Idempotency-Key` (see above). Placed
    after authentication, so that a session's account is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if (
            key is None
            or request.method not in METHODS
            or not request.path.startswith(settings.AGORA_IDEMPOTENT_PATHS)
        ):
            return self.get_response(request)
        if not KEY.fullmatch(key):
            return _error(
                400,
                "invalid_idempotency_key",
                _("An Idempotency-Key is 1 to 255 printable characters, without spaces."),
            )
        caller = caller_of(request)
        if caller is None or (caller.startswith("account:") and not _csrf_passes(request)):
            # A visitor, or a session's request that fails the CSRF check: the API answers
            # it in its own words, and nothing is kept or replayed.
            return self.get_response(request)
        try:
            print_ = fingerprint(request)
        except RequestDataTooBig:
            return self.get_response(request)  # the API answers it in its own words
        answer = _answer_for(caller, key, print_)
        if answer is not None:
            return answer
        try:
            response = self.get_response(request)
        except BaseException:
            _settle(caller, key, HttpResponse(status=500))
            raise
        _settle(caller, key, response)
        return response
