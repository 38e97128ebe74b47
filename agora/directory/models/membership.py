"""Officials: the people who act for an office, and in what role."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.directory.models.office import Office


class OfficeRole(models.TextChoices):
    HEAD = "head", _("Head of office")
    OFFICIAL = "official", _("Official")
    ASSISTANT = "assistant", _("Assistant")


class OfficeMembership(models.Model):
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official"),
        on_delete=models.CASCADE,
        related_name="office_memberships",
    )
    role = models.CharField(
        _("role in the office"),
        max_length=16,
        choices=OfficeRole.choices,
        default=OfficeRole.OFFICIAL,
    )
    title = models.CharField(
        _("job title"), max_length=120, blank=True, help_text=_("As shown to the public.")
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("official of an office")
        verbose_name_plural = _("officials of offices")
        ordering = ["office", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "user"], name="directory_membership_office_user_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.office} ({self.get_role_display()})"
