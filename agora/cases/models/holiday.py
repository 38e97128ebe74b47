"""Public holidays of an authority: days its offices do not count when a service level says
"within N working days"."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.directory.models import Authority
from agora.directory.models.base import in_language


class PublicHoliday(models.Model):
    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.CASCADE, related_name="holidays"
    )
    date = models.DateField(_("date"))
    name_en = models.CharField(_("name in English"), max_length=120)
    name_es = models.CharField(_("name in Spanish"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["authority", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "date"], name="cases_holiday_authority_date_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"

    @property
    def name(self) -> str:
        return in_language(self, "name")
