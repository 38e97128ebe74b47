"""Moderation's records. A `ModeratedItem` is one reported thing (a post, a comment, a profile)
and the queue's row; each `Report` is one person's notice about it (Article 16); each
`Decision` is a moderator's action with its statement of reasons (Article 17); an `Appeal`
asks a different moderator to decide again (Article 20). The house rules a decision names
are versioned `Rule`s: a decision keeps pointing at the wording it applied."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ModerationState(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    UNDER_REVIEW = "under_review", _("Hidden while it is reviewed")
    HIDDEN = "hidden", _("Hidden by a moderator")
    REMOVED = "removed", _("Removed by a moderator")


class Moderated(models.Model):
    """For a reportable model whose items can be hidden: one indexed field its app's read paths
    filter on (visible to everyone, or only to the author)."""

    moderation_state = models.CharField(
        _("moderation"),
        max_length=16,
        choices=ModerationState.choices,
        default=ModerationState.VISIBLE,
    )

    class Meta:
        abstract = True

    @property
    def is_withheld(self) -> bool:
        return self.moderation_state != ModerationState.VISIBLE


class Reason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    HARASSMENT = "harassment", _("Harassment or bullying")
    HATE = "hate", _("Hate against a group")
    ILLEGAL = "illegal", _("Illegal content")
    MISINFORMATION = "misinformation", _("False or misleading information")
    PERSONAL_DATA = "personal_data", _("Someone's personal data")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Something else")


class Rule(models.Model):
    """One house rule in one wording. A new wording is a new row with the next version; the
    old row stays, so a decision still shows the rule as it stood when it was applied."""

    number = models.PositiveSmallIntegerField(_("number"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title_en = models.CharField(_("title (English)"), max_length=120)
    title_es = models.CharField(_("title (Spanish)"), max_length=120)
    text_en = models.TextField(_("text (English)"))
    text_es = models.TextField(_("text (Spanish)"))
    in_force_from = models.DateTimeField(_("in force from"), default=timezone.now)
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    class Meta:
        ordering = ["number", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="moderation_rule_version")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def _in_language(self, field: str) -> str:
        spanish = (get_language() or "en").startswith("es")
        return getattr(self, f"{field}_es" if spanish else f"{field}_en")

    @property
    def title(self) -> str:
        return self._in_language("title")

    @property
    def text(self) -> str:
        return self._in_language("text")


class ItemState(models.TextChoices):
    OPEN = "open", _("Waiting for a moderator")
    DECIDED = "decided", _("Decided")
    APPEALED = "appealed", _("Appealed")


class ModeratedItem(models.Model):
    """A reported thing, once, with what the queue sorts and filters by."""

    kind = models.CharField(_("kind"), max_length=24)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderated_items"
    )
    excerpt = models.TextField(_("excerpt"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    is_official = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=ItemState.choices, default=ItemState.OPEN)
    #: The sum of the open reports' weights (each reporter's trust when they reported).
    score = models.FloatField(default=0)
    report_count = models.PositiveIntegerField(default=0)
    #: Many reports from new accounts in a short time: shown to moderators as a possible wave.
    suspected_wave = models.BooleanField(default=False)
    first_reported_at = models.DateTimeField(default=timezone.now)
    last_reported_at = models.DateTimeField(default=timezone.now)
    #: What stands now: the last decision's action (a reversal on appeal replaces it).
    outcome = models.CharField(max_length=16, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="moderation_item_once"
            )
        ]
        indexes = [
            models.Index(fields=["state", "first_reported_at"]),
            models.Index(fields=["state", "score"]),
            models.Index(fields=["author", "outcome", "decided_at"]),
            # The queue: what waits, the longest waiting first, read in order rather than
            # sorted (a backlog of 10,000 items sorted cost 18 ms; read in order, 0.2 ms).
            models.Index(
                fields=["first_reported_at", "id"],
                condition=models.Q(state__in=["open", "appealed"]),
                name="moderation_item_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("moderation:item", args=[self.pk])


class Report(models.Model):
    """One person's notice about one item (Article 16(2)): the reason, the explanation, the
    law for illegal content, their name and email as they were, and their good faith."""

    item = models.ForeignKey(ModeratedItem, on_delete=models.PROTECT, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports_made"
    )
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    law = models.CharField(_("the law it breaks"), max_length=300, blank=True)
    explanation = models.TextField(_("explanation"), max_length=2000)
    good_faith = models.BooleanField(_("statement of good faith"))
    reporter_name = models.CharField(max_length=150, blank=True)
    reporter_email = models.EmailField(blank=True)
    weight = models.FloatField(default=1)
    trust_level = models.PositiveSmallIntegerField(default=0)
    #: Whether the decision upheld it (None while open): reporters' record, for Article 23.
    upheld = models.BooleanField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "reporter"], name="moderation_report_once")
        ]
        indexes = [
            models.Index(fields=["reporter", "upheld"]),
            # The public log's monthly figures count this month's reports.
            models.Index(fields=["created_at"], name="moderation_report_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.item}"


class Action(models.TextChoices):
    DISMISS = "dismiss", _("Dismiss the reports")
    HIDE = "hide", _("Hide it")
    REMOVE = "remove", _("Remove it")
    WARN = "warn", _("Warn the author")
    RESTORE = "restore", _("Restore it")
    UPHOLD = "uphold", _("Keep the decision")
    AUTO_HIDE = "auto_hide", _("Hidden while it is reviewed")


#: The actions that restrict someone: each needs a full statement of reasons.
RESTRICTING = frozenset({Action.HIDE, Action.REMOVE, Action.WARN})


class Decision(models.Model):
    """One action on an item, with its statement of reasons (Article 17(3)): what was
    restricted and for how long, the facts, whether automated means decided or detected it,
    the rule or the law, and how to seek redress (the appeal, written on every statement)."""

    item = models.ForeignKey(ModeratedItem, on_delete=models.PROTECT, related_name="decisions")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_decisions",
    )
    rule = models.ForeignKey(
        Rule, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("house rule")
    )
    law = models.CharField(_("law"), max_length=300, blank=True)
    facts = models.TextField(_("facts and circumstances"), max_length=4000, blank=True)
    automated = models.BooleanField(_("automated means used"), default=False)
    #: The decision an appeal asked to review, when this one answers an appeal.
    reviews = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reviewed_by"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["created_at", "id"])]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.item}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("moderation:decision", args=[self.pk])

    @property
    def restricts(self) -> bool:
        return self.action in RESTRICTING


class Appeal(models.Model):
    """A request to review a decision (Article 20): by the author, or by a reporter whose
    notice was dismissed, within the window; a different moderator answers it."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals_made"
    )
    grounds = models.TextField(_("why it should be decided again"), max_length=4000)
    answer = models.OneToOneField(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "appellant"], name="moderation_appeal_once")
        ]

    def __str__(self) -> str:
        return f"Appeal of {self.decision}"
