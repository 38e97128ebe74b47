"""A question or problem report to the authority. From the moment it is routed it has exactly
one accountable office and two due dates; its state changes only through `lifecycle`."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.cases.models.lifecycle import FINISHED_STATES, State
from agora.directory.models import Area, Office, Topic

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 4000  # Open311's limit for a description
PHOTO_ALT_MAX_LENGTH = 300
PHOTO_MAX_SIDE = 2048
MEDIA_URL_MAX_LENGTH = 500


#: A reference is read aloud on the phone and typed from a letter: digits and capitals that
#: cannot be taken for one another (no 0, 1, I, L, O or U), in two groups of four.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 8


def new_reference() -> str:
    """A random reference such as "K7MQ-4XHD" (30⁸, about 6.6 × 10¹¹ of them)."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{code[:4]}-{code[4:]}"


def normal_reference(text: str) -> str | None:
    """A reference as typed ("k7mq 4xhd", "K7MQ4XHD") in its stored form, or None when it
    cannot be one."""
    code = "".join(text.split()).replace("-", "").upper()
    if len(code) != REFERENCE_LENGTH or any(c not in REFERENCE_ALPHABET for c in code):
        return None
    return f"{code[:4]}-{code[4:]}"


def is_media_url(text: str) -> bool:
    """Whether the text is an http(s) URL that fits `Case.media_url`. It is only ever checked
    and stored: Agora never fetches it."""
    if len(text) > MEDIA_URL_MAX_LENGTH:
        return False
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        return False
    return True


class CaseKind(models.TextChoices):
    QUESTION = "question", _("Question")
    REPORT = "report", _("Problem report")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    DESK = "desk", _("At a desk")
    PHONE = "phone", _("By phone")
    LETTER = "letter", _("By letter")
    OPEN311 = "open311", _("Open311 application")


ASSISTED_CHANNELS = (Channel.DESK, Channel.PHONE, Channel.LETTER)


class Case(models.Model):
    reference = models.CharField(
        _("reference"),
        max_length=REFERENCE_LENGTH + 1,
        unique=True,
        default=new_reference,
        editable=False,
        help_text=_("Short and readable aloud: the resident quotes it, officials search by it."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH)
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="cases"
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    photo = models.ImageField(_("photo"), upload_to="cases/", blank=True)
    photo_alt = models.CharField(
        _("photo description"),
        max_length=PHOTO_ALT_MAX_LENGTH,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    media_url = models.CharField(
        _("link to a photo elsewhere"),
        max_length=MEDIA_URL_MAX_LENGTH,
        validators=[URLValidator(schemes=["http", "https"])],
        blank=True,
        help_text=_("Sent by an Open311 application; kept as a link and never fetched."),
    )
    is_public = models.BooleanField(_("public"), default=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    claim_code_hash = models.CharField(_("claim code hash"), max_length=64, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.NEW)
    office = models.ForeignKey(
        Office,
        verbose_name=_("accountable office"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    acknowledge_due_at = models.DateTimeField(_("acknowledge by"))
    answer_due_at = models.DateTimeField(_("answer by"))
    acknowledged_at = models.DateTimeField(_("first acknowledged"), null=True, blank=True)
    answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    finished_at = models.DateTimeField(_("resolved or closed"), null=True, blank=True)
    transfer_count = models.PositiveIntegerField(_("transfers"), default=0)
    support_count = models.PositiveIntegerField(_("“me too”s"), default=0)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["office", "state", "created_at"]),
            models.Index(fields=["office", "topic", "created_at"]),
            models.Index(fields=["submitted_by", "created_at"]),
            models.Index(fields=["is_public", "created_at"]),
            models.Index(fields=["claim_code_hash"]),
            # The map's points: the newest public cases with a place, found in order however
            # few of the cases have one (cases/map.py).
            models.Index(
                fields=["-created_at"],
                name="cases_public_points",
                condition=models.Q(is_public=True, latitude__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=State.values), name="cases_case_state_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"case_id": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def is_overdue(self) -> bool:
        now = timezone.now()
        if self.is_finished:
            return False
        if self.state == State.NEW and self.acknowledge_due_at < now:
            return True
        return self.answered_at is None and self.answer_due_at < now

    @staticmethod
    def new_claim_code() -> str:
        return secrets.token_hex(5).upper()

    @staticmethod
    def hash_claim_code(code: str) -> str:
        normalised = "".join(code.split()).replace("-", "").upper()
        return hashlib.sha256(normalised.encode()).hexdigest()
