"""An office of an authority: a department, or a unit inside one, with its contact points."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agora.directory.models.authority import Authority
from agora.directory.models.base import DirectoryEntry, in_language


class OfficeKind(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    UNIT = "unit", _("Unit")


class Office(DirectoryEntry):
    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.PROTECT, related_name="offices"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=OfficeKind.choices, default=OfficeKind.DEPARTMENT
    )
    description_en = models.TextField(_("description in English"), blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_hours_en = models.TextField(_("opening hours in English"), blank=True)
    opening_hours_es = models.TextField(_("opening hours in Spanish"), blank=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name_en"]
        indexes = [models.Index(fields=["authority", "parent"])]

    def get_absolute_url(self) -> str:
        return reverse("directory:office", kwargs={"slug": self.slug})

    def subtree(self) -> list["Office"]:
        """This office and every office that is part of it, at any depth, in tree order (each
        office before its parts, parts by name). One query over the authority's offices,
        which number in the dozens or hundreds, whatever the number of cases."""
        offices = list(Office.objects.filter(authority_id=self.authority_id).order_by("name_en"))
        parts: dict[int | None, list[Office]] = {}
        for office in offices:
            parts.setdefault(office.parent_id, []).append(office)
        found, pending, seen = [], [self], set()
        while pending:
            office = pending.pop(0)
            if office.pk in seen:
                continue
            seen.add(office.pk)
            found.append(office)
            pending[:0] = parts.get(office.pk, [])
        return found

    @property
    def description(self) -> str:
        return in_language(self, "description")

    @property
    def opening_hours(self) -> str:
        return in_language(self, "opening_hours")
