"""What the directory's models share: a slug, names in English and Spanish, and the language
switch that picks the right one."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
slug_validator = RegexValidator(
    SLUG_PATTERN,
    _("A slug has lower-case letters a to z, digits and single hyphens between them."),
    code="invalid_slug",
)


def current_language() -> str:
    """The language code of the request, reduced to the ones the directory holds text in."""
    return "es" if (get_language() or "en").startswith("es") else "en"


def in_language(instance, field: str, language: str | None = None) -> str:
    """`field_es` in Spanish when it is filled in, else `field_en`."""
    language = language or current_language()
    if language == "es":
        return getattr(instance, f"{field}_es") or getattr(instance, f"{field}_en")
    return getattr(instance, f"{field}_en") or getattr(instance, f"{field}_es")


class DirectoryEntry(models.Model):
    """An entry with a unique slug (how imports find it again) and names in both languages."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True, validators=[slug_validator])
    name_en = models.CharField(_("name in English"), max_length=160)
    name_es = models.CharField(_("name in Spanish"), max_length=160, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")

    def name_in(self, language: str) -> str:
        return in_language(self, "name", language)
