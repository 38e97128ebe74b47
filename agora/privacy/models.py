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
