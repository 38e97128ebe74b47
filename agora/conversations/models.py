"""Opinion maps: conversations, their statements, participants and votes, and the last map
the worker computed."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Moderation(models.TextChoices):
    STRICT = "strict", _("Strict: statements wait for approval")
    LAZY = "lazy", _("Lazy: statements show at once and can be removed")


class Conversation(models.Model):
    question = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conversations"
    )
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.STRICT
    )
    allow_anonymous = models.BooleanField(_("anonymous visitors may take part"), default=False)
    is_open = models.BooleanField(_("open for votes and statements"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    #: The last map the worker computed (see maps.recompute_map), and how many votes it saw.
    map = models.JSONField(null=True, blank=True)
    map_votes = models.PositiveIntegerField(default=0)
    map_computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.question


#: The longest statement a person can write here (Pol.is's limit is similar).
STATEMENT_MAX_LENGTH = 280


class StatementStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    ACCEPTED = "accepted", _("Accepted")
    REMOVED = "removed", _("Removed")


class Statement(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    #: New statements have at most STATEMENT_MAX_LENGTH characters; imported Pol.is comments
    #: may be longer.
    text = models.CharField(_("statement"), max_length=1000)
    author = models.ForeignKey(
        "Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=StatementStatus.choices)
    is_seed = models.BooleanField(default=False)
    is_meta = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["conversation", "status"])]

    def __str__(self):
        return self.text


class Participant(models.Model):
    """One person in one conversation: a signed-in account, or an anonymous visitor known only
    by the hash of a token their browser holds."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=models.Q(user__isnull=False),
                name="conversations_one_participant_per_user",
            ),
            models.UniqueConstraint(
                fields=["conversation", "token_hash"],
                condition=~models.Q(token_hash=""),
                name="conversations_one_participant_per_token",
            ),
        ]

    def __str__(self):
        return f"participant {self.pk} in conversation {self.conversation_id}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class VoteValue(models.IntegerChoices):
    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")


class Vote(models.Model):
    """The current vote of a participant on a statement (a changed mind replaces it). Three
    small integers and a time: the matrix is built from values_list, never from objects."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    first_voted_at = models.DateTimeField()
    voted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "statement"], name="conversations_one_vote_per_statement"
            )
        ]
        indexes = [models.Index(fields=["conversation", "participant"])]

    def __str__(self):
        return f"{self.participant_id} on {self.statement_id}: {self.value}"
