"""A public body that has offices: a city, a region, a ministry."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.directory.models.base import DirectoryEntry


class AuthorityKind(models.TextChoices):
    CITY = "city", _("City")
    REGION = "region", _("Region")
    NATIONAL = "national", _("National government")
    OTHER = "other", _("Other public body")


class Authority(DirectoryEntry):
    kind = models.CharField(
        _("kind"), max_length=16, choices=AuthorityKind.choices, default=AuthorityKind.CITY
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["name_en"]
