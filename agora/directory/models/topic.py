"""What a request can be about: a taxonomy of topics, each with the words people use for it in
English and Spanish."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agora.directory.models.base import DirectoryEntry, in_language

KEYWORDS_HELP = _(
    "Words and phrases people use for this topic, including synonyms and everyday terms, "
    "separated by semicolons."
)


class Topic(DirectoryEntry):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description_en = models.TextField(_("description in English"), blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True)
    keywords_en = models.TextField(_("keywords in English"), blank=True, help_text=KEYWORDS_HELP)
    keywords_es = models.TextField(_("keywords in Spanish"), blank=True, help_text=KEYWORDS_HELP)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name_en"]

    def get_absolute_url(self) -> str:
        return reverse("directory:topic", kwargs={"slug": self.slug})

    @property
    def description(self) -> str:
        return in_language(self, "description")

    def keyword_list(self, language: str) -> list[str]:
        text = self.keywords_es if language == "es" else self.keywords_en
        return [keyword.strip() for keyword in text.split(";") if keyword.strip()]
