"""What makes an announcement official information: its attachments (PDFs and images, each
with a text alternative) and its corrections (an edit after publication, shown as one, with
the earlier text kept). The validity dates and the urgent area and topic are fields of
`Post` itself, so that feeds filter on them without a join."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_ATTACHMENTS = 4
CORRECTION_NOTE_MAX_LENGTH = 300


class AttachmentKind(models.TextChoices):
    PDF = "pdf", _("PDF document")
    IMAGE = "image", _("Image")


class Attachment(models.Model):
    """A file that goes with an announcement. Stored under a random name and served only
    through Agora (`social:attachment`), with the post's own access check."""

    post = models.ForeignKey("social.Post", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="announcements/")
    kind = models.CharField(max_length=8, choices=AttachmentKind.choices)
    name = models.CharField(_("file name"), max_length=200)
    alt_text = models.CharField(_("text alternative"), max_length=1000)
    size = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["post", "position"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.kind == AttachmentKind.IMAGE


class Correction(models.Model):
    """One correction of a published announcement: the text before it, what changed in the
    office's words, who corrected it and when. Never edited or deleted on its own."""

    post = models.ForeignKey("social.Post", on_delete=models.CASCADE, related_name="corrections")
    previous_body = models.TextField()
    note = models.CharField(_("what changed"), max_length=CORRECTION_NOTE_MAX_LENGTH)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-corrected_at", "-id"]

    def __str__(self) -> str:
        return f"correction of post {self.post_id}"
