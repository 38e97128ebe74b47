"""A refusal a person can be told about: a ValidationError, so a page's form shows it beside what
was typed (and keeps it), that the API answers with its own status and code instead of 422.
Apps raise their own kinds (moderation's suspension: 403 `suspended`)."""

from django.core.exceptions import ValidationError


class Refused(ValidationError):
    status = 403

    def __init__(self, message: str, *, code: str, status: int | None = None) -> None:
        super().__init__(message, code=code)
        if status is not None:
            self.status = status
