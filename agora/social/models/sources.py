"""Follows of things that are not people: an office, a topic, an area. One small table per
kind, each with one row per (follower, thing), so "who follows this office" and "what does
this person follow" are single index lookups and the home feed can ask for each kind as a
subquery. A new kind of source (a participation process, say) is one more model here, one more
entry in `agora.social.sources.SOURCE_KINDS` and one more clause in
`agora.social.feeds.followed_sources`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowedThingManager(models.Manager):
    """Reads the followed thing in the same query, so a person's list of what they follow
    (`person.office_follows.all`) costs one query per kind however long it is."""

    def get_queryset(self):
        return super().get_queryset().select_related(self.model.thing_field)


class FollowedThing(models.Model):
    thing_field = ""
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowedThingManager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.follower_id} -> {self.thing_field} {getattr(self, f'{self.thing_field}_id')}"

    @property
    def thing(self):
        return getattr(self, self.thing_field)


class OfficeFollow(FollowedThing):
    thing_field = "office"
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_follows"
    )
    office = models.ForeignKey("directory.Office", on_delete=models.CASCADE, related_name="follows")

    class Meta:
        verbose_name = _("follow of an office")
        verbose_name_plural = _("follows of offices")
        ordering = ["office__name_en", "id"]
        constraints = [
            models.UniqueConstraint(fields=["follower", "office"], name="social_office_follow_once")
        ]


class TopicFollow(FollowedThing):
    thing_field = "topic"
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_follows"
    )
    topic = models.ForeignKey("directory.Topic", on_delete=models.CASCADE, related_name="follows")

    class Meta:
        verbose_name = _("follow of a topic")
        verbose_name_plural = _("follows of topics")
        ordering = ["topic__name_en", "id"]
        constraints = [
            models.UniqueConstraint(fields=["follower", "topic"], name="social_topic_follow_once")
        ]
        # An urgent announcement walks the followers of a topic in id order, a batch at a time.
        indexes = [models.Index(fields=["topic", "follower"], name="social_topic_followers")]


class AreaFollow(FollowedThing):
    thing_field = "area"
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="area_follows"
    )
    area = models.ForeignKey("directory.Area", on_delete=models.CASCADE, related_name="follows")

    class Meta:
        verbose_name = _("follow of an area")
        verbose_name_plural = _("follows of areas")
        ordering = ["area__name_en", "id"]
        constraints = [
            models.UniqueConstraint(fields=["follower", "area"], name="social_area_follow_once")
        ]
        # An urgent announcement walks the followers of a area in id order, a batch at a time.
        indexes = [models.Index(fields=["area", "follower"], name="social_area_followers")]
