"""Which comments on a case an official wrote for the accountable office. The comment itself is
social's generic `Comment`; this row marks it as the office speaking, and which office, since
a transfer may later hand the case to another."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.cases.models.case import Case
from agora.directory.models import Office
from agora.social.models import Comment


class OfficeComment(models.Model):
    comment = models.OneToOneField(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="office_comment",
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="office_comments"
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("comment for an office")
        verbose_name_plural = _("comments for an office")

    def __str__(self) -> str:
        return f"comment {self.comment_id} for {self.office_id}"
