"""Password rules beyond Django's own: refuse passwords that look like the ones found in
breach lists, which are mostly a common word dressed up with digits, symbols and repeats."""

import re

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KEYBOARD_ROWS = ("qwertyuiopasdfghjklzxcvbnm", "1234567890", "abcdefghijklmnopqrstuvwxyz")
LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)


class GuessablePasswordValidator:
    """Refuses a password whose core, once digits, symbols and repeats are taken away, is a
    common password; one built from only a few different characters; or one that walks along
    the keyboard or the alphabet."""

    def __init__(self, min_unique: int = 5):
        self.min_unique = min_unique
        self.common = CommonPasswordValidator().passwords

    def validate(self, password: str, user=None) -> None:
        lowered = password.lower()
        if len(set(lowered)) < self.min_unique:
            raise ValidationError(
                _("This password uses too few different characters."),
                code="password_too_repetitive",
            )
        if self._walks(lowered):
            raise ValidationError(
                _("This password follows the keyboard or the alphabet."),
                code="password_sequence",
            )
        for core in self._cores(lowered):
            if len(core) >= 4 and core in self.common:
                raise ValidationError(
                    _("This password is a common password with a few changes."),
                    code="password_common_variant",
                )

    def _cores(self, lowered: str):
        letters = re.sub(r"[^a-z]", "", lowered)
        yield letters
        yield re.sub(r"(.)\1+", r"\1", letters)
        unleet = re.sub(r"[^a-z]", "", lowered.translate(LEET))
        yield unleet
        yield re.sub(r"[\d\W_]+$", "", lowered)
        half = len(letters) // 2
        if half and letters[:half] == letters[half:]:
            yield letters[:half]

    def _walks(self, lowered: str) -> bool:
        compact = re.sub(r"[\W_]", "", lowered)
        if len(compact) < 8:
            return False
        for row in KEYBOARD_ROWS:
            for sequence in (row, row[::-1]):
                if compact in sequence * 2:
                    return True
        return False

    def get_help_text(self) -> str:
        return _("Your password cannot be a common password with digits or symbols added.")
