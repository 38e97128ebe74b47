"""People following a case to hear of everything that happens to it. The resident who raised
it follows it from the start; others may follow a public case."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.cases.models.case import Case


class CaseFollow(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="case_follows",
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("case follow")
        verbose_name_plural = _("case follows")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="cases_follow_case_user_unique")
        ]
        indexes = [models.Index(fields=["user", "-id"], name="cases_follow_user_new")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.case_id}"
