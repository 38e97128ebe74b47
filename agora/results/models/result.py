"""A result: what an office delivers of an accepted proposal or a successful petition (Decidim
calls these accountability results). Its status and progress, the dated updates its office
writes (each kept), the cases it answers, and the things it came from (origins, through the
registry in `agora.results.origins`, stored as a kind and an id)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agora.cases.models import Case
from agora.directory.models import Office
from agora.processes.models import Process

TITLE_MAX_LENGTH = 150
DESCRIPTION_MAX_LENGTH = 6000
UPDATE_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 2000
SLUG_MAX_LENGTH = 80


class ResultStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("a result", "Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", pgettext_lazy("a result", "Done")
    DROPPED = "dropped", pgettext_lazy("a result", "Dropped")


class Result(models.Model):
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="results"
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("responsible office"),
        on_delete=models.PROTECT,
        related_name="results",
    )
    # For social's follow button, which names a followable thing by its slug.
    slug = models.SlugField(max_length=SLUG_MAX_LENGTH, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH)
    description_html = models.TextField(editable=False)  # rendered once when saved (core.text)
    status = models.CharField(
        _("status"), max_length=16, choices=ResultStatus.choices, default=ResultStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    dropped_reason = models.TextField(
        _("why it was dropped"), max_length=REASON_MAX_LENGTH, blank=True
    )
    cases = models.ManyToManyField(
        Case, verbose_name=_("linked cases"), blank=True, related_name="results"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last update"), default=timezone.now)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["process", "-id"]),
            models.Index(fields=["process", "status", "-id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ResultStatus.values), name="results_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="results_progress_percentage",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ResultStatus.DROPPED) | ~models.Q(dropped_reason=""),
                name="results_dropped_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ResultStatus.DONE) | models.Q(progress=100),
                name="results_done_is_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("results:detail", args=[self.pk])

    @property
    def name(self) -> str:
        """What social's follow messages call it."""
        return self.title


class ResultUpdate(models.Model):
    """A dated update by the office: what happened, and the status or progress it set (empty:
    unchanged). Kept, and listed newest first."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("update"), max_length=UPDATE_MAX_LENGTH)
    body_html = models.TextField(editable=False)
    status = models.CharField(
        _("new status"), max_length=16, choices=ResultStatus.choices, blank=True
    )
    progress = models.PositiveSmallIntegerField(_("new progress (%)"), null=True, blank=True)
    reason = models.TextField(_("why it was dropped"), max_length=REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("update of a result")
        verbose_name_plural = _("updates of results")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["result", "-created_at", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__isnull=True)
                | models.Q(progress__gte=0, progress__lte=100),
                name="results_update_progress_percentage",
            ),
            models.CheckConstraint(
                condition=models.Q(status="") | models.Q(status__in=ResultStatus.values),
                name="results_update_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.result_id} @ {self.created_at:%Y-%m-%d}"


class ResultOrigin(models.Model):
    """What a result came from: a kind registered in `agora.results.origins` (a proposal, a
    petition) and the id of the thing. One result per thing."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="origins")
    kind = models.CharField(max_length=24)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("origin of a result")
        verbose_name_plural = _("origins of results")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="results_origin_once")
        ]

    def __str__(self) -> str:
        return f"{self.result_id} ← {self.kind} {self.object_id}"
