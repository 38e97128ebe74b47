"""A meeting (of a process, or of an office), and the registrations for it: one per person,
registered while seats last and waiting after, in the order they came."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.directory.models import Office
from agora.directory.models.base import in_language
from agora.processes.models import Process
from agora.proposals.models import Proposal
from agora.results.models import Result

TITLE_MAX_LENGTH = 160
ONE_A_LINE = _("One item a line.")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class Meeting(models.Model):
    process = models.ForeignKey(
        Process,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("process"),
    )
    office = models.ForeignKey(
        Office,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("office"),
    )
    title_en = models.CharField(_("title in English"), max_length=TITLE_MAX_LENGTH)
    title_es = models.CharField(_("title in Spanish"), max_length=TITLE_MAX_LENGTH, blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True)
    agenda_en = models.TextField(_("agenda in English"), blank=True, help_text=ONE_A_LINE)
    agenda_es = models.TextField(_("agenda in Spanish"), blank=True, help_text=ONE_A_LINE)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(_("how"), max_length=16, choices=Mode.choices, default=Mode.IN_PERSON)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # Shown to registered people only.
    online_url = models.URLField(_("link to join online"), blank=True)
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    step_free = models.BooleanField(_("step-free access"), default=False)
    sign_language = models.BooleanField(_("sign language interpretation"), default=False)
    childcare = models.BooleanField(_("childcare"), default=False)
    accessibility_en = models.TextField(_("more about access, in English"), blank=True)
    accessibility_es = models.TextField(_("more about access, in Spanish"), blank=True)
    minutes_en = models.TextField(_("minutes in English"), blank=True)
    minutes_es = models.TextField(_("minutes in Spanish"), blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    # People who came without registering, counted by the staff but never named.
    unnamed_attendance = models.PositiveIntegerField(_("others who came"), default=0)
    reminders_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What the meeting discussed, linked by the staff; shown on the meeting's page.
    discussed_proposals = models.ManyToManyField(
        Proposal, blank=True, related_name="meetings", verbose_name=_("proposals discussed")
    )
    discussed_results = models.ManyToManyField(
        Result, blank=True, related_name="meetings", verbose_name=_("results discussed")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["process", "starts_at"]),
            models.Index(fields=["office", "starts_at"]),
            models.Index(fields=["starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(process__isnull=False) | Q(office__isnull=False),
                name="meetings_meeting_of_a_process_or_office",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meetings_meeting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title_en

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def description(self) -> str:
        return in_language(self, "description")

    @property
    def agenda(self) -> list[str]:
        return [line.strip() for line in in_language(self, "agenda").splitlines() if line.strip()]

    @property
    def accessibility(self) -> str:
        return in_language(self, "accessibility")

    @property
    def minutes(self) -> str:
        return in_language(self, "minutes")

    @property
    def in_person(self) -> bool:
        return self.mode in (Mode.IN_PERSON, Mode.HYBRID)

    @property
    def online(self) -> bool:
        return self.mode in (Mode.ONLINE, Mode.HYBRID)

    def has_ended(self, at=None) -> bool:
        return self.ends_at <= (at or timezone.now())


class RegistrationState(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_registrations"
    )
    state = models.CharField(max_length=16, choices=RegistrationState.choices)
    # When they joined the list (again, after a cancellation): the waiting list's order.
    queued_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="meetings_registration_one_per_person"
            )
        ]
        indexes = [models.Index(fields=["meeting", "state", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.person_id} ({self.state})"
