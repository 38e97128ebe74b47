"""The privacy app's records: exports of a person's data, deletions waiting for their grace
period to end, warnings to unconfirmed accounts, and the versions of the house rules and the
privacy notice with who accepted which."""

import secrets

from django.conf import settings
from django.core.files.storage import storages
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ExportState(models.TextChoices):
    BUILDING = "building", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Export(models.Model):
    """One download of everything the site holds about a person. The file lives in the exports
    storage, apart from uploads, and is served only to its owner, until it expires."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    state = models.CharField(
        max_length=10, choices=ExportState.choices, default=ExportState.BUILDING
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        indexes = [
            models.Index(fields=["person", "-requested_at"]),
            models.Index(fields=["expires_at"]),
        ]
        constraints = [
            # A second request while one is being built gets that one, even when two arrive
            # at once.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(state="building"),
                name="privacy_one_export_building_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"export {self.pk}"

    @property
    def file_name(self) -> str:
        """Its name in the exports storage (`STORAGES["exports"]`: AGORA_EXPORT_DIR on disk, or
        exports/ in the object storage bucket)."""
        return f"{self.token}.zip"


def delete_export_files(names: list[str]) -> None:
    """Delete exports' files once the transaction that removed their rows commits."""
    storage = storages["exports"]
    for name in names:
        transaction.on_commit(lambda name=name: storage.delete(name))


class PendingDeletion(models.Model):
    """A deletion the person asked for, carried out when the grace period
    (`AGORA_DELETION_GRACE_DAYS`) ends unless they sign in again before."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    keep_public_writing = models.BooleanField()
    requested_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("pending deletion")
        verbose_name_plural = _("pending deletions")

    def __str__(self) -> str:
        return f"deletion due {self.due_at:%Y-%m-%d}"


class UnconfirmedWarning(models.Model):
    """When an unconfirmed account was told it would be removed (`agora retention`)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unconfirmed_warning"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("warning to an unconfirmed account")
        verbose_name_plural = _("warnings to unconfirmed accounts")

    def __str__(self) -> str:
        return f"warned {self.sent_at:%Y-%m-%d}"


class Document(models.TextChoices):
    RULES = "rules", _("House rules")
    PRIVACY = "privacy", _("Privacy notice")


class PolicyVersion(models.Model):
    """One version of the house rules or of the privacy notice, as people accept it. A
    material change asks everyone to accept again when they next come; a correction does
    not."""

    document = models.CharField(_("document"), max_length=10, choices=Document.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    material = models.BooleanField(
        _("material change"),
        default=True,
        help_text=_("Everyone is asked to accept this version when they next sign in."),
    )
    changes_en = models.TextField(_("what changed (English)"), blank=True)
    changes_es = models.TextField(_("what changed (Spanish)"), blank=True)

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["document", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["document", "version"], name="privacy_policy_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_document_display()} v{self.version}"

    @property
    def url(self) -> str:
        from agora.privacy.consent import document_url

        return document_url(self.document)

    @property
    def changes(self) -> str:
        spanish = (get_language() or "en").startswith("es")
        return (self.changes_es if spanish else "") or self.changes_en


class Consent(models.Model):
    """A person accepted a version of a document, then."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    document = models.CharField(max_length=10, choices=Document.choices)
    version = models.PositiveSmallIntegerField()
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "document", "version"], name="privacy_one_consent_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.version}"


class Requester(models.TextChoices):
    POLICE = "police", _("Police")
    COURT = "court", _("Courts and prosecutors")
    TAX = "tax", _("Tax authorities")
    OTHER = "other", _("Other authorities")


class Outcome(models.TextChoices):
    DISCLOSED = "disclosed", _("Data disclosed")
    PARTLY = "partly", _("Data partly disclosed")
    REFUSED = "refused", _("Refused")


class DataRequest(models.Model):
    """A request for people's data from an authority, as an administrator recorded it; the
    figures of the public transparency report come from `MonthlyCount`, kept with each."""

    received_on = models.DateField(_("received on"))
    requester = models.CharField(_("kind of requester"), max_length=8, choices=Requester.choices)
    requesting_body = models.CharField(_("requesting body"), max_length=200)
    legal_basis = models.CharField(
        _("legal basis"), max_length=300, help_text=_("The law or order the request relies on.")
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    disclosed = models.TextField(
        _("what was disclosed or refused"), blank=True, help_text=_("Kinds of data, not the data.")
    )
    gagged_until = models.DateField(
        _("a legal order forbids telling the people concerned until"),
        null=True,
        blank=True,
        help_text=_("Leave empty when they may be told now."),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("data request from an authority")
        verbose_name_plural = _("data requests from authorities")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.received_on} {self.requesting_body}"


class DataRequestAccount(models.Model):
    """An account a data request concerned, and when its owner was told of it."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="accounts")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="privacy_request_once")
        ]
        indexes = [
            models.Index(
                fields=["request"], condition=models.Q(told_at__isnull=True), name="privacy_untold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.person_id}"


class MonthlyCount(models.Model):
    """One figure of one month for the transparency report of data requests (`privacy.figures`):
    kept by the services as requests, exports and deletions happen; read, never recounted."""

    month = models.DateField()
    figure = models.CharField(max_length=24)
    category = models.CharField(max_length=32, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "figure", "category"], name="privacy_monthly_count_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.figure} {self.category}: {self.count}"
