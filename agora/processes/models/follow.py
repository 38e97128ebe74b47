"""Who follows a process (social's followable sources), and which posts are about it: the
news its office posts from the process page, which reach its followers' home feeds."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.processes.models.process import Process
from agora.social.models.sources import FollowedThing


class ProcessFollow(FollowedThing):
    thing_field = "process"
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="process_follows"
    )
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="follows")

    class Meta:
        verbose_name = _("follow of a process")
        verbose_name_plural = _("follows of processes")
        ordering = ["process__title_en", "id"]
        constraints = [
            models.UniqueConstraint(fields=["follower", "process"], name="processes_follow_once")
        ]


class ProcessPost(models.Model):
    """An announcement of the responsible office about the process."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="posts")
    post = models.OneToOneField(
        "social.Post", on_delete=models.CASCADE, related_name="process_link"
    )

    class Meta:
        verbose_name = _("news of a process")
        verbose_name_plural = _("news of processes")
        indexes = [models.Index(fields=["process", "-post"])]

    def __str__(self) -> str:
        return f"{self.process_id} ← post {self.post_id}"
