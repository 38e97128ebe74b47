"""What proposals need of a process that processes itself does not keep: the support
threshold that starts the answer clock, the answer period in working days, and an optional
limit of supports per person. A process without its row gets the defaults."""

from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.processes.models import Process

DEFAULT_THRESHOLD = 100


class ProposalSettings(models.Model):
    process = models.OneToOneField(
        Process,
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="proposal_settings",
    )
    support_threshold = models.PositiveIntegerField(
        _("support threshold"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(1)],
        help_text=_("Supports a proposal needs before the office must answer it."),
    )
    # Empty: the responsible office's service level for answering (cases).
    answer_days = models.PositiveSmallIntegerField(
        _("answer within (working days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
    )
    support_limit = models.PositiveSmallIntegerField(
        _("supports per person"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )

    class Meta:
        verbose_name = _("proposal settings of a process")
        verbose_name_plural = _("proposal settings of processes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(support_threshold__gte=1),
                name="proposals_threshold_at_least_one",
            )
        ]

    def __str__(self) -> str:
        return f"{self.process_id}: {self.support_threshold}"


@dataclass(frozen=True)
class Rules:
    support_threshold: int
    answer_days: int | None
    support_limit: int | None


def rules_of(process: Process) -> Rules:
    """The process's proposal settings, or the defaults (one query)."""
    found = ProposalSettings.objects.filter(process=process).first()
    if found is None:
        return Rules(DEFAULT_THRESHOLD, None, None)
    return Rules(found.support_threshold, found.answer_days, found.support_limit)
