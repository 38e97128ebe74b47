"""A signature: one per person and petition (a unique constraint), whether the signer's name
is shown, the area they said they live in, and for integrity checks only the email domain and
the network range (IPv4 /24, IPv6 /48) it came from: never the raw address. A signature counts
while it is confirmed and not invalidated."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.directory.models import Area
from agora.petitions.models.petition import REASON_MAX_LENGTH, Petition, new_token


class Invalidation(models.Model):
    """Moderators struck a set of signatures (by email domain or network range) for a reason."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="invalidations")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    email_domain = models.CharField(max_length=255, blank=True)
    network = models.CharField(max_length=64, blank=True)
    reason = models.TextField(max_length=REASON_MAX_LENGTH)
    count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.email_domain or self.network}"


class Signature(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="petition_signatures"
    )
    show_name = models.BooleanField(_("show my name"), default=False)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email_domain = models.CharField(max_length=255, blank=True)
    network = models.CharField(max_length=64, blank=True)  # "203.0.113.0/24", never an address
    created_at = models.DateTimeField(default=timezone.now)
    # Accounts whose email is not confirmed confirm the signature by a link sent to them.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirm_token = models.CharField(max_length=64, unique=True, default=new_token)
    invalidation = models.ForeignKey(
        Invalidation, null=True, blank=True, on_delete=models.SET_NULL, related_name="signatures"
    )

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["petition", "person"], name="petitions_signature_once")
        ]
        indexes = [
            models.Index(fields=["petition", "created_at"]),
            models.Index(fields=["petition", "email_domain"]),
            models.Index(fields=["petition", "network"]),
            models.Index(fields=["petition", "show_name", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.petition_id}"

    @property
    def counts(self) -> bool:
        return self.confirmed_at is not None and self.invalidation_id is None


class AreaTally(models.Model):
    """A petition's counted signatures from one area (`area_key` 0: an area the directory does
    not know), moved with the count, so its page reads a row per area, never the signatures."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="area_tallies")
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    area_key = models.PositiveBigIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "area_key"], name="petitions_tally_once")
        ]
        indexes = [models.Index(fields=["petition", "-count"])]

    def __str__(self) -> str:
        return f"{self.petition_id}/{self.area_key}: {self.count}"
