"""A poll or survey of a process, its sections and questions, and the responses: one per
signed-in person, or one per browser for a poll open to visitors, held by the database."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.directory.models.base import in_language
from agora.processes.models import Process

TITLE_MAX_LENGTH = 160
SHORT_TEXT_MAX_LENGTH = 200
LONG_TEXT_MAX_LENGTH = 4000


class ResultsShown(models.TextChoices):
    AFTER_ANSWERING = "after_answering", _("To those who answered")
    AFTER_CLOSING = "after_closing", _("To everyone once the poll closes")
    NEVER = "never", _("Never: only to the staff")


class Poll(models.Model):
    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="polls", verbose_name=_("process")
    )
    title_en = models.CharField(_("title in English"), max_length=TITLE_MAX_LENGTH)
    title_es = models.CharField(_("title in Spanish"), max_length=TITLE_MAX_LENGTH, blank=True)
    intro_en = models.TextField(_("introduction in English"), blank=True)
    intro_es = models.TextField(_("introduction in Spanish"), blank=True)
    # Anonymous: the staff see the answers but never who gave them (the export has no names).
    is_anonymous = models.BooleanField(_("anonymous"), default=True)
    # Visitors who are not signed in may answer, once per browser and within a rate limit.
    allows_visitors = models.BooleanField(_("visitors may answer"), default=False)
    results_shown = models.CharField(
        _("results shown"),
        max_length=16,
        choices=ResultsShown.choices,
        default=ResultsShown.AFTER_ANSWERING,
    )
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        indexes = [models.Index(fields=["process", "-created_at"])]

    def __str__(self) -> str:
        return self.title_en

    def get_absolute_url(self) -> str:
        return reverse("polls:detail", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def intro(self) -> str:
        return in_language(self, "intro")

    def is_closed(self, at=None) -> bool:
        return self.closes_at is not None and self.closes_at <= (at or timezone.now())


class Section(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="sections")
    title_en = models.CharField(_("title in English"), max_length=TITLE_MAX_LENGTH)
    title_es = models.CharField(_("title in Spanish"), max_length=TITLE_MAX_LENGTH, blank=True)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        ordering = ["poll", "position"]

    def __str__(self) -> str:
        return self.title_en

    @property
    def title(self) -> str:
        return in_language(self, "title")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RANKING = "ranking", _("Ranking")
    SCALE = "scale", _("Scale")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    MATRIX = "matrix", _("Matrix of scales")


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING}
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}


class Question(models.Model):
    """A question. Choices (single, multiple, ranking) and a matrix's rows are its `options`;
    a scale and a matrix run from `scale_min` to `scale_max`, labelled at both ends."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    text_en = models.CharField(_("question in English"), max_length=300)
    text_es = models.CharField(_("question in Spanish"), max_length=300, blank=True)
    is_required = models.BooleanField(_("required"), default=True)
    position = models.PositiveIntegerField(_("position"))
    # Multiple choice: how many a person must and may tick; ranking: how many they may rank.
    min_choices = models.PositiveSmallIntegerField(_("at least"), default=0)
    max_choices = models.PositiveSmallIntegerField(_("at most"), null=True, blank=True)
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)
    low_label_en = models.CharField(_("lowest means, in English"), max_length=60, blank=True)
    low_label_es = models.CharField(_("lowest means, in Spanish"), max_length=60, blank=True)
    high_label_en = models.CharField(_("highest means, in English"), max_length=60, blank=True)
    high_label_es = models.CharField(_("highest means, in Spanish"), max_length=60, blank=True)

    class Meta:
        ordering = ["poll", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_min__lt=models.F("scale_max")),
                name="polls_question_scale_runs_upwards",
            ),
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True) | Q(max_choices__gte=models.F("min_choices")),
                name="polls_question_limits_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.text_en

    @property
    def text(self) -> str:
        return in_language(self, "text")

    @property
    def low_label(self) -> str:
        return in_language(self, "low_label")

    @property
    def high_label(self) -> str:
        return in_language(self, "high_label")

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)


class Option(models.Model):
    """A choice of a question, or a row of a matrix."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    label_en = models.CharField(_("label in English"), max_length=200)
    label_es = models.CharField(_("label in Spanish"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        ordering = ["question", "position"]

    def __str__(self) -> str:
        return self.label_en

    @property
    def label(self) -> str:
        return in_language(self, "label")


class Response(models.Model):
    """One response: by a signed-in person (`respondent`), or by a visitor's browser (the
    hash of a random key its cookie holds), never both, and once per poll either way."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    browser_key = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "respondent"],
                condition=Q(respondent__isnull=False),
                name="polls_response_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["poll", "browser_key"],
                condition=~Q(browser_key=""),
                name="polls_response_one_per_browser",
            ),
        ]
        indexes = [models.Index(fields=["poll", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.poll_id}: {self.pk}"


class Answer(models.Model):
    """One part of a response: a chosen option (with its rank on a ranking, or its value on a
    matrix row), a scale's value, or a text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.CASCADE)
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "option"],
                condition=Q(option__isnull=False),
                name="polls_answer_one_per_option",
            ),
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(option__isnull=True),
                name="polls_answer_one_per_question",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"
