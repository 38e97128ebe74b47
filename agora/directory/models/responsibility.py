"""Who answers for a topic in an area: exactly one office per (topic, area)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.directory.models.area import Area
from agora.directory.models.base import in_language
from agora.directory.models.office import Office
from agora.directory.models.topic import Topic


class Responsibility(models.Model):
    """The office responsible for a topic in an area and everything inside it, unless a
    responsibility for a smaller area inside it says otherwise."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="responsibilities"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="responsibilities"
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    handles_en = models.TextField(
        _("what it handles, in English"),
        blank=True,
        help_text=_("What exactly the office does about the topic here."),
    )
    handles_es = models.TextField(_("what it handles, in Spanish"), blank=True)
    excludes_en = models.TextField(
        _("what it does not handle, in English"),
        blank=True,
        help_text=_("What people often expect of it that belongs elsewhere, and where."),
    )
    excludes_es = models.TextField(_("what it does not handle, in Spanish"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["topic__name_en", "area__name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "area"], name="directory_responsibility_topic_area_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} · {self.area} → {self.office}"

    @property
    def handles(self) -> str:
        return in_language(self, "handles")

    @property
    def excludes(self) -> str:
        return in_language(self, "excludes")
