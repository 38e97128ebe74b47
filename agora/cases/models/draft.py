"""A question or report someone wrote before they had an account: kept for them through
signing up and confirming their email, until they send it or start again."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CaseDraft(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="case_draft",
    )
    #: What the form held, field by field, as it was typed (never a photo).
    fields = models.JSONField(_("what was written"), default=dict)
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("draft case")
        verbose_name_plural = _("draft cases")

    def __str__(self) -> str:
        return str(self.fields.get("title", ""))[:80]
