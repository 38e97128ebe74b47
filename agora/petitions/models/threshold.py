"""What a number of signatures brings, per authority (1,000: a written response from the
office; 10,000: a debate in council), and when each petition reached each one."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.directory.models import Authority
from agora.petitions.models.petition import Petition


class Brings(models.TextChoices):
    RESPONSE = "response", _("A written response from the office")
    DEBATE = "debate", _("A debate in council")


class Threshold(models.Model):
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("authority"),
        on_delete=models.CASCADE,
        related_name="petition_thresholds",
    )
    count = models.PositiveIntegerField(_("signatures"), validators=[MinValueValidator(1)])
    brings = models.CharField(_("what it brings"), max_length=16, choices=Brings.choices)
    answer_days = models.PositiveSmallIntegerField(
        _("within (working days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: the office's service level for answering."),
    )

    class Meta:
        verbose_name = _("petition threshold")
        verbose_name_plural = _("petition thresholds")
        ordering = ["authority", "count"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(count__gte=1), name="petitions_threshold_at_least_one"
            ),
            models.UniqueConstraint(
                fields=["authority", "brings"], name="petitions_threshold_once_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count}: {self.get_brings_display()}"


class ReachedThreshold(models.Model):
    """A petition reached a threshold: once (a unique row), with the answer clock it started."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="reached")
    threshold = models.ForeignKey(Threshold, on_delete=models.CASCADE, related_name="+")
    reached_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "threshold"], name="petitions_threshold_reached_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} ≥ {self.threshold_id}"
