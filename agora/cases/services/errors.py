"""What a change to a case can fail with: each error has a code for programs and a message for
people, which the pages show and the API returns."""

from django.utils.translation import gettext as _


class CaseError(Exception):
    """A change that cannot be made, with a code for programs and a message for people."""

    code = "case_error"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotAllowed(CaseError):
    code = "not_allowed"


class InvalidTransition(CaseError):
    code = "invalid_transition"


class NotRoutable(CaseError):
    code = "not_routable"


class InvalidClaimCode(CaseError):
    code = "invalid_claim_code"


class MissingText(CaseError):
    code = "missing_text"


class InvalidPhoto(CaseError):
    code = "invalid_photo"


def require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed(_("You may not do this with this case."))


def required_text(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise MissingText(message)
    return text
