"""A proposal in a process: what a resident asks for, in the house Markdown (rendered once
when saved), its declared lifecycle, its supports counted on the row, and the official
answer of the process's office with the clock that answer runs against."""

from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Mod
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agora.core.lifecycle import Lifecycle
from agora.directory.models import Area, Office, Topic
from agora.moderation.models import Moderated
from agora.processes.models import Process

TITLE_MAX_LENGTH = 150
BODY_MAX_LENGTH = 6000
ANSWER_MAX_LENGTH = 6000
IMAGE_ALT_MAX_LENGTH = 300
IMAGE_MAX_SIDE = 2048
IMAGE_MAX_BYTES = 8 * 1024 * 1024
# One fixed shuffle of the proposals, id × multiplier modulo a prime (a bijection for ids below
# the prime); the list's random order rotates it by the visitor's seed (queries.py).
SHUFFLE_PRIME = 2_147_483_647
SHUFFLE_MULTIPLIER = 48_271
# Whole numbers, so that comparing with it stays an integer comparison the index serves.
SHUFFLE = Mod(
    F("id") * Value(SHUFFLE_MULTIPLIER),
    Value(SHUFFLE_PRIME),
    output_field=models.BigIntegerField(),
)


class ProposalState(models.TextChoices):
    PUBLISHED = "published", _("Published")
    AWAITING_ANSWER = "awaiting_answer", _("Threshold reached, awaiting an answer")
    ANSWERED = "answered", pgettext_lazy("a proposal", "Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    MERGED = "merged", _("Merged")


class AnswerKind(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    EVALUATING = "evaluating", _("Under evaluation")
    PLANNED = "planned", _("Already planned")


OPEN_STATES = (ProposalState.PUBLISHED, ProposalState.AWAITING_ANSWER)

LIFECYCLE = Lifecycle(
    {
        "reach_threshold": ({ProposalState.PUBLISHED}, ProposalState.AWAITING_ANSWER),
        # An office may answer before the threshold, and may revise an answer "under
        # evaluation" with a final one.
        "answer": (
            {ProposalState.PUBLISHED, ProposalState.AWAITING_ANSWER, ProposalState.ANSWERED},
            ProposalState.ANSWERED,
        ),
        "edit": ({ProposalState.PUBLISHED}, None),
        "withdraw": (set(OPEN_STATES), ProposalState.WITHDRAWN),
        "merge": (set(OPEN_STATES), ProposalState.MERGED),
    }
)


class Proposal(Moderated):
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="proposals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("proposal"), max_length=BODY_MAX_LENGTH)
    body_html = models.TextField(editable=False)  # rendered once when saved (core.text)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image = models.ImageField(_("image"), upload_to="proposals/", blank=True)
    image_alt = models.CharField(
        _("image description"), max_length=IMAGE_ALT_MAX_LENGTH, blank=True
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ProposalState.choices, default=ProposalState.PUBLISHED
    )
    version = models.PositiveIntegerField(default=1)
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    created_at = models.DateTimeField(_("published"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    # The answer clock: started when the support threshold is reached.
    threshold_reached_at = models.DateTimeField(null=True, blank=True)
    answer_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=16, choices=AnswerKind.choices, blank=True)
    answer_body = models.TextField(_("reasons"), max_length=ANSWER_MAX_LENGTH, blank=True)
    answer_html = models.TextField(blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer_office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["process", "moderation_state", "-id"]),
            models.Index(fields=["process", "-support_count", "-id"]),
            models.Index(fields=["process", "-comment_count", "-id"]),
            models.Index(fields=["state", "answer_due_at"]),
            models.Index(F("process"), SHUFFLE, name="proposals_shuffle"),
            # The proposals on the answer clock, per process: the accountability figures.
            models.Index(
                fields=["process", "state", "answer_due_at"],
                condition=models.Q(threshold_reached_at__isnull=False),
                name="proposals_on_the_clock",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ProposalState.values),
                name="proposals_state_known",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def is_overdue(self, now=None) -> bool:
        """Awaiting an answer past its due date."""
        now = now or timezone.now()
        return (
            self.state == ProposalState.AWAITING_ANSWER
            and self.answer_due_at is not None
            and self.answer_due_at < now
        )


class ProposalVersion(models.Model):
    """An earlier version of a proposal, kept readable when its author edits it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    body_html = models.TextField()
    written_at = models.DateTimeField()

    class Meta:
        verbose_name = _("earlier version of a proposal")
        verbose_name_plural = _("earlier versions of proposals")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="proposals_version_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} v{self.number}"
