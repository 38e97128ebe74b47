"""A place the directory divides responsibility by: the city, its districts, neighbourhoods
and streets, each inside the one above."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agora.directory.models.base import DirectoryEntry


class AreaKind(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    STREET = "street", _("Street")


class Area(DirectoryEntry):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("inside"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices)
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_(
            "Other names people use for the place, separated by semicolons, such as "
            "“District 4; Distrito 4”. Used to recognise the place in a request."
        ),
    )
    boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        help_text=_("A GeoJSON Polygon or MultiPolygon geometry, in longitude and latitude."),
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name_en"]

    def get_absolute_url(self) -> str:
        return reverse("directory:area", kwargs={"slug": self.slug})

    @property
    def alias_list(self) -> list[str]:
        return [alias.strip() for alias in self.aliases.split(";") if alias.strip()]
