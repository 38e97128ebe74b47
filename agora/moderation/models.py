"""Moderation's records. A `ModeratedItem` is one reported thing (a post, a comment, a profile)
and the queue's row; each `Report` is one person's notice about it (Article 16); each
`Decision` is a moderator's action with its statement of reasons (Article 17); an `Appeal`
asks a different moderator to decide again (Article 20). The house rules a decision names
are versioned `Rule`s: a decision keeps pointing at the wording it applied."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
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
    #: The offences of Articles 3 to 7 of Directive 2011/93/EU: a notice about them need not
    #: carry the reporter's name and email (DSA Article 16(2)(c)).
    CHILD_ABUSE = "child_abuse", _("Sexual abuse or exploitation of a child")
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
    #: The process or office the item belongs to (`ReportableKind.scope`), for moderators
    #: scoped to one; empty when it belongs to none.
    scope_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scope_id = models.PositiveBigIntegerField(null=True, blank=True)
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
            models.Index(fields=["scope_type", "scope_id", "first_reported_at"]),
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


class ModeratorScope(models.Model):
    """A moderator who moderates one process or one office, not all of Agora: their queue
    shows only the items that belong to it, and they decide only on those. A moderator (the
    accounts role) with no scope moderates everything; with scopes, only those. Set by an
    administrator (admin: moderator scopes)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="moderator_scopes",
        verbose_name=_("moderator"),
    )
    scope_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kind of scope"),
        limit_choices_to={"model__in": ["process", "office"]},
    )
    scope_id = models.PositiveBigIntegerField(_("its id"))
    scope = GenericForeignKey("scope_type", "scope_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("moderator scope")
        verbose_name_plural = _("moderator scopes")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "scope_type", "scope_id"], name="moderation_scope_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.scope_type_id}:{self.scope_id}"


class Report(models.Model):
    """One person's notice about one item (Article 16(2)): the reason, the explanation, the
    law for illegal content, their name and email as they were, and their good faith. A
    visitor without an account may send one too (`reporter` empty): it weighs nothing, so it
    reaches a person without hiding anything, and they hear back by email."""

    item = models.ForeignKey(ModeratedItem, on_delete=models.PROTECT, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reports_made",
        null=True,
        blank=True,
    )
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    law = models.CharField(_("the law it breaks"), max_length=300, blank=True)
    explanation = models.TextField(_("explanation"), max_length=2000)
    good_faith = models.BooleanField(_("statement of good faith"))
    #: As they were when the notice was made; both empty when the reporter chose to leave
    #: them out of a notice about child abuse (Article 16(2)(c)). The account stays linked,
    #: only so that one person reports one item once and hears the outcome; moderators never
    #: see it.
    reporter_name = models.CharField(max_length=150, blank=True)
    reporter_email = models.EmailField(blank=True)
    #: The language the notice was written in: a visitor hears back in it.
    language = models.CharField(max_length=8, blank=True)
    weight = models.FloatField(default=1)
    trust_level = models.PositiveSmallIntegerField(default=0)
    #: Whether the decision upheld it (None while open): reporters' record, for Article 23.
    upheld = models.BooleanField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "reporter"], name="moderation_report_once"),
            # A visitor's notice: once per email address and item.
            models.UniqueConstraint(
                fields=["item", "reporter_email"],
                condition=models.Q(reporter__isnull=True) & ~models.Q(reporter_email=""),
                name="moderation_visitor_report_once",
            ),
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
    SUSPEND = "suspend", _("Suspend the author's account")
    LIMIT = "limit", _("Limit the author's account: only their followers see what they write")
    RESTORE = "restore", _("Restore it")
    UPHOLD = "uphold", _("Keep the decision")
    AUTO_HIDE = "auto_hide", _("Hidden while it is reviewed")


OUTCOME_LABELS = {
    Action.DISMISS: _("Reports dismissed"),
    Action.HIDE: _("Hidden"),
    Action.REMOVE: pgettext_lazy("moderation outcome", "Removed"),
    Action.WARN: _("Author warned"),
    Action.SUSPEND: _("Account suspended"),
    Action.LIMIT: _("Account limited"),
    Action.RESTORE: _("Restored"),
    Action.UPHOLD: _("Decision kept"),
    Action.AUTO_HIDE: _("Hidden while it is reviewed"),
}

#: The actions that restrict someone: each needs a full statement of reasons.
RESTRICTING = frozenset({Action.HIDE, Action.REMOVE, Action.WARN, Action.SUSPEND, Action.LIMIT})


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
    #: How long a suspension or a limit lasts; empty for good (other actions have no end).
    until = models.DateTimeField(_("until"), null=True, blank=True)
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

    @property
    def outcome_label(self) -> str:
        """What was done, as a statement and the log say it (the form offers `Action`'s
        labels, which say what to do)."""
        return str(OUTCOME_LABELS[self.action])


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


class Suspension(models.Model):
    """A person who may not write, support, sign or vote while it lasts (for good when `until`
    is empty), from a decision with its statement of reasons; lifted early by an appeal."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="suspensions"
    )
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="suspension")
    until = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["person", "lifted_at"])]

    def __str__(self) -> str:
        return f"Suspension of {self.person_id}"

    @classmethod
    def in_force(cls, now=None):
        now = now or timezone.now()
        return cls.objects.filter(
            models.Q(until__isnull=True) | models.Q(until__gt=now), lifted_at__isnull=True
        )


class AccountLimit(models.Model):
    """A limited account: while it lasts (for good when `until` is empty), what the person
    writes (posts, comments) is seen only by their followers and themselves, from a decision
    with its statement of reasons; lifted early by an appeal. They may still write."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_limits"
    )
    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="account_limit"
    )
    until = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["person", "lifted_at"])]

    def __str__(self) -> str:
        return f"Limit of {self.person_id}"

    @classmethod
    def in_force(cls, now=None):
        now = now or timezone.now()
        return cls.objects.filter(
            models.Q(until__isnull=True) | models.Q(until__gt=now), lifted_at__isnull=True
        )


class MisuseKind(models.TextChoices):
    ILLEGAL_CONTENT = "illegal_content", _("Repeated manifestly illegal content")
    UNFOUNDED_REPORTS = "unfounded_reports", _("Repeated manifestly unfounded reports")


class Misuse(models.Model):
    """Article 23: a person warned, then suspended for a time, for repeatedly posting
    manifestly illegal content or sending manifestly unfounded reports. Recorded either way;
    a suspension from reporting stops their reports being taken until it ends."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="misuses"
    )
    kind = models.CharField(max_length=24, choices=MisuseKind.choices)
    #: A warning has no end; a suspension ends at `until`.
    until = models.DateTimeField(null=True, blank=True)
    count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["person", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person_id}"

    @property
    def is_warning(self) -> bool:
        return self.until is None


class ScreeningPattern(models.Model):
    """A word or pattern an administrator lists: what matches is held for a moderator (hidden
    while it is reviewed), never deleted silently."""

    pattern = models.CharField(_("word or pattern"), max_length=200)
    is_regex = models.BooleanField(
        _("regular expression"),
        default=False,
        help_text=_("Otherwise the words are matched as they are, without regard to case."),
    )
    note = models.CharField(
        _("why it is listed"), max_length=200, help_text=_("Shown to moderators in the queue.")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("screening pattern")
        verbose_name_plural = _("screening patterns")

    def __str__(self) -> str:
        return self.pattern


class TextFingerprint(models.Model):
    """The digest of a text just written (lower case, spaces folded), kept for a day, to find
    the same text posted again and again by one account or many."""

    digest = models.CharField(max_length=32)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["digest", "created_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return self.digest


class MonthlyCount(models.Model):
    """One figure of one month for the public log and the transparency report, kept by the
    services as they report, decide and appeal (`moderation.figures`): read, never recounted."""

    month = models.DateField()
    figure = models.CharField(max_length=24)
    category = models.CharField(max_length=32, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "figure", "category"], name="moderation_monthly_count_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.figure} {self.category}: {self.count}"
