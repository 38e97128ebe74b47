"""The proof-of-work challenge on sign-up and on what visitors without an account send (ALTCHA,
through the `altcha` package; no third-party service). A form that mixes in `WithChallenge`
gets one more field while `AGORA_CHALLENGE` is on.

With JavaScript, the ALTCHA widget (vendored, `make vendor-altcha`) shows a box to tick; the
browser then derives keys (PBKDF2, `AGORA_CHALLENGE_COST` rounds a try, about 256 tries) until
one starts with the prefix the signed challenge asks for, and sends the answer in the field
`altcha`. Without JavaScript, the form carries a signed time (`challenge_wait`) and is accepted
`AGORA_CHALLENGE_WAIT_SECONDS` after the page was shown: slower, and it still works. Either way
an answer is taken once (`SpentChallenge`), so one solved challenge cannot sign up twice.

The check runs only when the rest of the form is valid, so a mistake elsewhere does not spend
the answer (a person without JavaScript keeps their waiting time)."""

import hashlib
import json
import random
import secrets
import time
from datetime import UTC, datetime, timedelta

import altcha
from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.templatetags.static import static
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from agora.core.models import SpentChallenge

ALGORITHM = "PBKDF2/SHA-256"
PAYLOAD_FIELD = "altcha"
WAIT_FIELD = "challenge_wait"
#: A real answer is about 600 characters; anything much longer is not one.
MAX_PAYLOAD = 4000
WAIT_SALT = "agora.core.challenge.wait"
#: One spending in this many also deletes the answers whose challenges have expired.
PRUNE_ONE_IN = 50

NOT_ANSWERED = _(
    "Tick the box to show you are a person, wait for it to say so, then send again. "
    "Without JavaScript, send the form again after a short wait."
)
WRONG = _("The check did not pass. Tick the box again, then send.")
EXPIRED = _("The check has expired. Tick the box again, then send.")
USED = _("This check was already used. Tick the box again, then send.")


def _key() -> str:
    """The HMAC key that signs challenges: derived from SECRET_KEY, so nothing more to set."""
    return salted_hmac("agora.core.challenge", "altcha-hmac-key").hexdigest()


def new_challenge() -> dict:
    expires = timezone.now() + timedelta(minutes=settings.AGORA_CHALLENGE_MINUTES)
    return altcha.create_challenge(
        algorithm=ALGORITHM,
        cost=settings.AGORA_CHALLENGE_COST,
        expires_at=expires,
        hmac_secret=_key(),
    ).to_dict()


def new_wait_token() -> str:
    return signing.TimestampSigner(salt=WAIT_SALT).sign(secrets.token_hex(16))


def _wait_token_age(token: str) -> float | None:
    """Seconds since the token was made, or None when it is not one of ours."""
    signer = signing.TimestampSigner(salt=WAIT_SALT)
    try:
        signer.unsign(token)
        issued = signing.b62_decode(token.rsplit(signer.sep, 2)[1])
    except (signing.BadSignature, ValueError, IndexError):
        return None
    return time.time() - issued


def reusable_wait_token(token: str | None) -> str:
    """The token a form comes back with: the same one while it is valid and unspent, so the
    wait counts from when the page was first shown."""
    age = _wait_token_age(token or "")
    if age is None or age > settings.AGORA_CHALLENGE_MINUTES * 60:
        return new_wait_token()
    if SpentChallenge.objects.filter(digest=_digest(token)).exists():
        return new_wait_token()
    return token


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _spend(text: str, expires_at: datetime) -> None:
    """Records an answer as used; raises when it was used before (one row, unique: two
    requests sending the same answer at once cannot both pass)."""
    objects = SpentChallenge.objects
    if random.randrange(PRUNE_ONE_IN) == 0:
        objects.filter(expires_at__lt=timezone.now()).delete()
    try:
        with transaction.atomic():
            objects.create(digest=_digest(text), expires_at=expires_at)
    except IntegrityError:
        raise ValidationError(USED, code="challenge_used") from None


def check(payload: str, wait_token: str) -> None:
    """Accepts a solved challenge or, without one, a waiting time that is over; spends it.
    Raises ValidationError with a message that says what to do."""
    if payload:
        _check_solution(payload)
    elif wait_token:
        _check_wait(wait_token)
    else:
        raise ValidationError(NOT_ANSWERED, code="challenge_missing")


def _check_solution(payload: str) -> None:
    if len(payload) > MAX_PAYLOAD:
        raise ValidationError(WRONG, code="challenge_wrong")
    try:
        result = altcha.verify_solution(payload, _key())
    except (ValueError, TypeError, KeyError, AttributeError):
        raise ValidationError(WRONG, code="challenge_wrong") from None
    if result.expired:
        raise ValidationError(EXPIRED, code="challenge_expired")
    if not result.verified:
        raise ValidationError(WRONG, code="challenge_wrong")
    challenge = altcha.Payload.from_base64(payload).challenge
    expires = datetime.fromtimestamp(challenge.parameters.expires_at or time.time(), tz=UTC)
    _spend(challenge.signature, expires)


def _check_wait(token: str) -> None:
    age = _wait_token_age(token)
    if age is None or age > settings.AGORA_CHALLENGE_MINUTES * 60:
        raise ValidationError(EXPIRED, code="challenge_expired")
    left = round(settings.AGORA_CHALLENGE_WAIT_SECONDS - age)
    if left > 0:
        raise ValidationError(
            ngettext(
                "To show you are a person without JavaScript, wait %(count)d more second, "
                "then send the form again. What you typed is kept.",
                "To show you are a person without JavaScript, wait %(count)d more seconds, "
                "then send the form again. What you typed is kept.",
                left,
            )
            % {"count": left},
            code="challenge_wait",
        )
    _spend(token, timezone.now() + timedelta(minutes=settings.AGORA_CHALLENGE_MINUTES))


class ChallengeWidget(forms.Widget):
    template_name = "core/forms/challenge.html"
    use_fieldset = True

    def value_from_datadict(self, data, files, name):
        return {
            "payload": (data.get(PAYLOAD_FIELD) or "").strip(),
            "wait": (data.get(WAIT_FIELD) or "").strip(),
        }

    def value_omitted_from_data(self, data, files, name):
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        language = (get_language() or "en").split("-")[0]
        context["challenge"] = {
            "json": json.dumps(new_challenge(), separators=(",", ":")),
            "wait_token": reusable_wait_token((value or {}).get("wait")),
            "wait_seconds": settings.AGORA_CHALLENGE_WAIT_SECONDS,
            "language": language,
            "worker": static("core/vendor/altcha/pbkdf2.js"),
        }
        return context


class ChallengeField(forms.Field):
    widget = ChallengeWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Show you are a person"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        return value or {"payload": "", "wait": ""}


class WithChallenge:
    """Mixed into a form that a visitor without an account, or someone signing up, sends: a
    `challenge` field while `AGORA_CHALLENGE` is on (or `challenge=True` is passed), checked
    once the rest of the form is valid."""

    def __init__(self, *args, challenge: bool | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.AGORA_CHALLENGE if challenge is None else challenge:
            self.fields["challenge"] = ChallengeField()

    def clean(self):
        cleaned = super().clean()
        if "challenge" in self.fields and not self.errors:
            answer = self.cleaned_data.get("challenge") or {}
            try:
                check(answer.get("payload", ""), answer.get("wait", ""))
            except ValidationError as error:
                self.add_error("challenge", error)
        return cleaned
