"""Who relates to whom: follows of people, connections, blocks and mutes.

Follows of offices, topics and areas are models of their own (`sources.py`); the home feed
asks `agora.social.feeds.followed_sources` for the authors and things a person follows, so a
new kind of source is one more clause there and nothing else in the feed changes."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Follow(models.Model):
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following_set"
    )
    followee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follower_set"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="social_follow_once"),
            models.CheckConstraint(
                condition=~Q(follower=F("followee")), name="social_follow_not_self"
            ),
        ]
        indexes = [models.Index(fields=["followee", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.follower_id} -> {self.followee_id}"


class ConnectionRequest(models.Model):
    """One person asks another to connect; accepting turns it into a connection."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_connection_requests"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="received_connection_requests",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("connection request")
        verbose_name_plural = _("connection requests")
        constraints = [
            models.UniqueConstraint(fields=["sender", "recipient"], name="social_request_once"),
        ]
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.sender_id} ?> {self.recipient_id}"


class Connection(models.Model):
    """A mutual connection, stored as two rows (one per direction) so "the connections of X"
    is one indexed lookup on `person`."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connection_set"
    )
    other = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        constraints = [
            models.UniqueConstraint(fields=["person", "other"], name="social_connection_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} <-> {self.other_id}"


class Block(models.Model):
    """Private: the blocked person is never told."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocking_set"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_by_set"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="social_block_once"),
        ]
        indexes = [models.Index(fields=["blocked", "blocker"])]

    def __str__(self) -> str:
        return f"{self.blocker_id} x {self.blocked_id}"


class Mute(models.Model):
    """Private: the muter stops seeing the muted person; nobody else notices anything."""

    muter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muting_set"
    )
    muted = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mute")
        verbose_name_plural = _("mutes")
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="social_mute_once"),
        ]

    def __str__(self) -> str:
        return f"{self.muter_id} ~ {self.muted_id}"


class MutedWord(models.Model):
    """Private: posts and comments holding the word or phrase fold away for the person who
    listed it (a personal word filter); nobody else notices anything."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_words"
    )
    phrase = models.CharField(_("word or phrase"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("muted word")
        verbose_name_plural = _("muted words")
        ordering = ["phrase"]
        constraints = [
            models.UniqueConstraint(fields=["person", "phrase"], name="social_muted_word_once"),
        ]

    def __str__(self) -> str:
        return self.phrase
