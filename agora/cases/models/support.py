"""“Me too”: other residents saying a public case matters to them as well. One row per person
and case; the case keeps the count."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.cases.models.case import Case


class CaseSupport(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="case_supports",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("“me too”")
        verbose_name_plural = _("“me too”s")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="cases_support_case_user_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.case_id}"
