"""A petition: what a resident asks of an office (or of the authority as a whole), why, and
until when it collects signatures; its declared lifecycle from draft through co-sponsors and
moderation to open and closed; its confirmed, valid signatures counted on the row; and what
the office answered (a written response) and what came of a debate in council."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.core.lifecycle import Lifecycle
from agora.directory.models import Authority, Office
from agora.moderation.models import Moderated
from agora.processes.models import Process

TITLE_MAX_LENGTH = 150
ASKS_MAX_LENGTH = 1000
WHY_MAX_LENGTH = 6000
REASON_MAX_LENGTH = 2000
RESPONSE_MAX_LENGTH = 6000


class PetitionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COLLECTING = "collecting", _("Collecting co-sponsors")
    AWAITING_MODERATION = "awaiting_moderation", _("Awaiting moderation")
    OPEN = "open", _("Open for signatures")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")


class DebateDecision(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    ADOPTED_IN_PART = "adopted_in_part", _("Adopted in part")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    REFERRED = "referred", _("Referred to a committee")


LIFECYCLE = Lifecycle(
    {
        "collect": ({PetitionState.DRAFT}, PetitionState.COLLECTING),
        "submit": ({PetitionState.COLLECTING}, PetitionState.AWAITING_MODERATION),
        "publish": ({PetitionState.AWAITING_MODERATION}, PetitionState.OPEN),
        "reject": ({PetitionState.AWAITING_MODERATION}, PetitionState.REJECTED),
        "close": ({PetitionState.OPEN}, PetitionState.CLOSED),
        # The office answers while the petition is open and after it closed (late, not never).
        "respond": ({PetitionState.OPEN, PetitionState.CLOSED}, None),
    }
)

PUBLIC_STATES = (PetitionState.OPEN, PetitionState.CLOSED)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Petition(Moderated):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="petitions",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    asks = models.TextField(_("what it asks"), max_length=ASKS_MAX_LENGTH)
    why = models.TextField(_("why"), max_length=WHY_MAX_LENGTH)
    why_html = models.TextField(editable=False)  # rendered once when saved (core.text)
    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.PROTECT, related_name="+"
    )
    # The office it is addressed to; empty when addressed to the authority as a whole, until
    # moderators route it to the office that answers when they publish it.
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    process = models.ForeignKey(
        Process,
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closes_on = models.DateField(_("closes on"))
    state = models.CharField(
        _("state"), max_length=24, choices=PetitionState.choices, default=PetitionState.DRAFT
    )
    cosponsors_needed = models.PositiveSmallIntegerField(default=0)
    cosponsor_count = models.PositiveIntegerField(default=0)
    # The private link's secret: whoever has it may co-sponsor.
    cosponsor_token = models.CharField(max_length=64, unique=True, default=new_token)
    signature_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reject_reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The written response of the office.
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True)
    response_body = models.TextField(_("response"), max_length=RESPONSE_MAX_LENGTH, blank=True)
    response_html = models.TextField(blank=True, editable=False)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The debate in council and its outcome.
    debate_due_at = models.DateTimeField(_("debate due"), null=True, blank=True)
    debate_on = models.DateField(_("debated on"), null=True, blank=True)
    debate_minutes_url = models.URLField(_("minutes"), blank=True)
    debate_decision = models.CharField(
        _("decision"), max_length=16, choices=DebateDecision.choices, blank=True
    )
    debate_summary = models.TextField(_("summary"), max_length=RESPONSE_MAX_LENGTH, blank=True)
    debate_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["state", "moderation_state", "-id"]),
            models.Index(fields=["state", "closes_on"]),
            models.Index(fields=["process", "state", "-id"]),
            models.Index(fields=["author", "-id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=PetitionState.values),
                name="petitions_state_known",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("petitions:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    def is_closed(self, today=None) -> bool:
        """Closed in the database, or past its closing date (before the worker closes it)."""
        today = today or timezone.localdate()
        return self.state == PetitionState.CLOSED or (
            self.state == PetitionState.OPEN and self.closes_on < today
        )

    @property
    def addressee(self):
        """The office it is addressed to, or the authority."""
        return self.office or self.authority


class CoSponsor(models.Model):
    """A person who backed a petition by its private link before it went to moderators."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="cosponsors")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("co-sponsor")
        verbose_name_plural = _("co-sponsors")
        constraints = [
            models.UniqueConstraint(fields=["petition", "person"], name="petitions_cosponsor_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.petition_id}"
