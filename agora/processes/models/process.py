"""A participation process: a space with a responsible office, the areas and topics it is
about, who may take part, and phases with dates (see `phase.py`). Written by the authority, so
its words are in English and Spanish, as the directory's are."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.directory.models import Area, Office, Topic
from agora.directory.models.base import in_language, slug_validator

TITLE_MAX_LENGTH = 160
DESCRIPTION_MAX_LENGTH = 10_000
IMAGE_ALT_MAX_LENGTH = 300
IMAGE_MAX_SIDE = 2048


class Participation(models.TextChoices):
    """Who may take part (propose, support, sign, comment) in a process."""

    SIGNED_IN = "signed_in", _("Anyone signed in")
    VERIFIED = "verified", _("Verified residents")
    AREAS = "areas", _("Verified residents of the process’s areas")


class ProcessState(models.TextChoices):
    """Where a process stands by its dates: the filter of the list."""

    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open now")
    PAST = "past", _("Past")


class Process(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True, validators=[slug_validator])
    title_en = models.CharField(_("title in English"), max_length=TITLE_MAX_LENGTH)
    title_es = models.CharField(_("title in Spanish"), max_length=TITLE_MAX_LENGTH, blank=True)
    description_en = models.TextField(
        _("description in English"), max_length=DESCRIPTION_MAX_LENGTH, blank=True
    )
    description_es = models.TextField(
        _("description in Spanish"), max_length=DESCRIPTION_MAX_LENGTH, blank=True
    )
    # The descriptions as sanitised HTML, rendered once when saved (`core.text`).
    description_html_en = models.TextField(blank=True, editable=False)
    description_html_es = models.TextField(blank=True, editable=False)
    image = models.ImageField(_("image"), upload_to="processes/", blank=True)
    image_alt_en = models.CharField(
        _("image description in English"), max_length=IMAGE_ALT_MAX_LENGTH, blank=True
    )
    image_alt_es = models.CharField(
        _("image description in Spanish"), max_length=IMAGE_ALT_MAX_LENGTH, blank=True
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("responsible office"),
        on_delete=models.PROTECT,
        related_name="processes",
    )
    areas = models.ManyToManyField(
        Area, verbose_name=_("areas"), blank=True, related_name="processes"
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="processes"
    )
    participation = models.CharField(
        _("who may take part"),
        max_length=16,
        choices=Participation.choices,
        default=Participation.VERIFIED,
    )
    # Applied only to accounts that record an age; accounts record none today (see
    # docs/apps/processes.md), so the rule waits for them.
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        null=True,
        blank=True,
        help_text=_("Applied only to accounts that record a date of birth."),
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only the responsible office and administrators see an unpublished process."),
    )
    # The first phase's start and the last phase's end (None: open-ended), kept by the
    # services that change phases, so the list filters by state with an index.
    starts_at = models.DateTimeField(null=True, blank=True, editable=False)
    ends_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("participation process")
        verbose_name_plural = _("participation processes")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["is_published", "starts_at"]),
            models.Index(fields=["is_published", "ends_at"]),
        ]

    def __str__(self) -> str:
        return self.title_en

    def get_absolute_url(self) -> str:
        return reverse("processes:detail", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        """The title in the reader's language (what social's follow messages call `name`)."""
        return in_language(self, "title")

    @property
    def title(self) -> str:
        return self.name

    @property
    def description_html(self) -> str:
        return in_language(self, "description_html")

    @property
    def image_alt(self) -> str:
        return in_language(self, "image_alt")

    def state_at(self, moment=None) -> str | None:
        """Upcoming, open or past by the dates of its phases; None without phases."""
        moment = moment or timezone.now()
        if self.starts_at is None:
            return None
        if moment < self.starts_at:
            return ProcessState.UPCOMING
        if self.ends_at is not None and moment >= self.ends_at:
            return ProcessState.PAST
        return ProcessState.OPEN
