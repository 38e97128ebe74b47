"""A person's support of a proposal: once per person, withdrawable while the support phase
runs. The unique constraint keeps two parallel supports by one person to one row."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.proposals.models.proposal import Proposal


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_supports"
    )
    # The process, kept here so the limit of supports per person is one indexed count.
    process = models.ForeignKey("processes.Process", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "person"], name="proposals_support_once")
        ]
        indexes = [models.Index(fields=["person", "process"])]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.proposal_id}"
