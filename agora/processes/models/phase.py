"""A phase of a process: its kind (which says what it allows, in `agora.processes.features`),
an optional title, and its dates. Phases of a process never overlap; only the last may be
open-ended."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.directory.models.base import in_language
from agora.processes.models.process import Process

PHASE_TITLE_MAX_LENGTH = 120


class PhaseKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    PROPOSALS = "proposals", _("Proposals")
    DEBATE = "debate", _("Debate")
    SUPPORT = "support", _("Support")
    ANSWERS = "answers", _("Answers")
    RESULTS = "results", _("Results")
    CLOSED = "closed", _("Closed")


class Phase(models.Model):
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="phases"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PhaseKind.choices)
    title_en = models.CharField(
        _("title in English"), max_length=PHASE_TITLE_MAX_LENGTH, blank=True
    )
    title_es = models.CharField(
        _("title in Spanish"), max_length=PHASE_TITLE_MAX_LENGTH, blank=True
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(
        _("ends"), null=True, blank=True, help_text=_("Leave empty only for the last phase.")
    )
    # When the phase's start was told to the process's followers (the periodic job); empty
    # until then, so a phase is announced once.
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["announced_at", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="processes_phase_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=PhaseKind.values), name="processes_phase_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process_id}: {self.kind} from {self.starts_at:%Y-%m-%d}"

    @property
    def name(self) -> str:
        """Its own title in the reader's language, else the name of its kind."""
        return in_language(self, "title") or str(self.get_kind_display())

    def is_current(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.starts_at <= moment and (self.ends_at is None or moment < self.ends_at)

    def timing(self, moment=None) -> str:
        """ "past", "current" or "upcoming" at the moment."""
        moment = moment or timezone.now()
        if moment < self.starts_at:
            return "upcoming"
        return "current" if self.is_current(moment) else "past"
