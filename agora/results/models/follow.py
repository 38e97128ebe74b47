"""Who follows a result (social's followable sources): they are told of each update."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.results.models.result import Result
from agora.social.models.sources import FollowedThing


class ResultFollow(FollowedThing):
    thing_field = "result"
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="result_follows"
    )
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="follows")

    class Meta:
        verbose_name = _("follow of a result")
        verbose_name_plural = _("follows of results")
        ordering = ["result__title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["follower", "result"], name="results_follow_once")
        ]
