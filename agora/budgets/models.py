"""A budget of a process, its projects and its ballots (one per person; the last one counts).
A closed budget keeps its count (`result`, what `counting.Outcome.as_dict` gives), so that its
result page reads one row and the projects, whatever the number of ballots."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agora.directory.models import Area, Topic
from agora.directory.models.base import in_language
from agora.moderation.models import ModerationState
from agora.processes.models import Process
from agora.proposals.models import Proposal

TITLE_MAX_LENGTH = 160
PROJECT_TITLE_MAX_LENGTH = 300
IMAGE_ALT_MAX_LENGTH = 300
IMAGE_MAX_SIDE = 2048
IMAGE_MAX_BYTES = 8 * 1024 * 1024


class BallotKind(models.TextChoices):
    APPROVAL = "approval", _("Approval: choose projects")
    CUMULATIVE = "cumulative", _("Cumulative: distribute points")
    ORDINAL = "ordinal", _("Ranked: order projects")


class Rule(models.TextChoices):
    GREEDY = "greedy", _("Greedy: by votes, skipping what no longer fits")
    EQUAL_SHARES = "equal-shares", _("Method of Equal Shares")
    EQUAL_SHARES_ADD1 = "equal-shares-add1", _("Method of Equal Shares with the Add1 completion")


class Override(models.TextChoices):
    NONE = "", _("As counted")
    FUNDED = "funded", _("Funded against the count")
    NOT_FUNDED = "not_funded", _("Not funded against the count")


class Budget(models.Model):
    """Its ballot's limits: `knapsack` approval ballots must fit the amount and spend at least
    `minimum_share` per cent of it; approval and ranked ballots name between
    `minimum_projects` and `maximum_projects` projects (0: no bound); a cumulative ballot
    gives exactly `points` points. Only residents of `area` vote, when it is set, on top of
    the process's own rule (verification, minimum age)."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("process")
    )
    title_en = models.CharField(_("title in English"), max_length=TITLE_MAX_LENGTH)
    title_es = models.CharField(_("title in Spanish"), max_length=TITLE_MAX_LENGTH, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=8, blank=True)
    ballot_kind = models.CharField(_("ballot"), max_length=16, choices=BallotKind.choices)
    rule = models.CharField(_("counting rule"), max_length=24, choices=Rule.choices)
    minimum_votes = models.PositiveIntegerField(_("minimum votes to win"), default=0)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only residents of this area vote in it. Empty: the process's areas."),
    )
    knapsack = models.BooleanField(_("the chosen projects must fit the budget"), default=False)
    minimum_share = models.PositiveSmallIntegerField(
        _("minimum share of the budget to spend, in per cent"), default=0
    )
    minimum_projects = models.PositiveSmallIntegerField(_("fewest projects"), default=0)
    maximum_projects = models.PositiveSmallIntegerField(
        _("most projects"), default=0, help_text=_("0: no limit.")
    )
    points = models.PositiveSmallIntegerField(
        _("points to distribute"), default=0, help_text=_("Cumulative ballots only.")
    )
    is_closed = models.BooleanField(_("closed"), default=False)
    # Where an imported budget came from (the Pabulib file's name and description).
    source = models.CharField(_("source"), max_length=300, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)
    counted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")

    def __str__(self) -> str:
        return self.title_en

    def get_absolute_url(self) -> str:
        if self.is_closed:
            return reverse("budgets:result", kwargs={"pk": self.pk})
        return reverse("budgets:ballot", kwargs={"pk": self.pk})

    def get_result_url(self) -> str:
        return reverse("budgets:result", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        return in_language(self, "title")


class Project(models.Model):
    """A project on a budget's ballot, entered by the process's managers or made of an
    accepted proposal of the same process (`proposal`, at most one project per budget each),
    or read from a Pabulib file. Its image is re-encoded (`core.images`) and served through
    the budget's page, so a draft process's images stay as private as the draft; its width and
    height are kept so the page reserves its place before it loads."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="projects")
    # The id a file or a ballot uses for the project (Pabulib's project_id).
    key = models.CharField(_("key"), max_length=64)
    title = models.CharField(_("title"), max_length=PROJECT_TITLE_MAX_LENGTH)
    cost = models.DecimalField(_("cost"), max_digits=16, decimal_places=2)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position in the list"))
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image = models.ImageField(_("image"), upload_to="budgets/", blank=True)
    image_alt = models.CharField(
        _("image description"), max_length=IMAGE_ALT_MAX_LENGTH, blank=True
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal it came from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_projects",
    )
    # An administrator's decision against the count, with its public reason (audited).
    override = models.CharField(
        _("override"), max_length=12, choices=Override.choices, blank=True, default=""
    )
    override_reason = models.TextField(_("public reason for the override"), blank=True)
    overridden_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["budget", "position"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "key"], name="budgets_project_unique_key"),
            models.UniqueConstraint(
                fields=["budget", "proposal"],
                condition=Q(proposal__isnull=False),
                name="budgets_project_one_per_proposal",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.key

    def get_absolute_url(self) -> str:
        """Its row on the ballot, or on the result once the vote is closed."""
        return f"{self.budget.get_absolute_url()}#project-{self.pk}"

    @property
    def shown_proposal(self) -> Proposal | None:
        """The proposal it came from, unless moderation has hidden it since."""
        if self.proposal_id is None:
            return None
        if self.proposal.moderation_state != ModerationState.VISIBLE:
            return None
        return self.proposal


class Ballot(models.Model):
    """One ballot per person (`voter`) or, for an imported one, per voter id of the file
    (`voter_key`). `projects` lists project keys, best first on a ranking; `points` the points
    given to each, on a cumulative ballot."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    voter_key = models.CharField(max_length=64, blank=True)
    projects = models.JSONField()
    points = models.JSONField(null=True, blank=True)
    cast_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "voter"],
                condition=Q(voter__isnull=False),
                name="budgets_ballot_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["budget", "voter_key"],
                condition=~Q(voter_key=""),
                name="budgets_ballot_one_per_imported_voter",
            ),
            models.CheckConstraint(
                condition=Q(voter__isnull=False) | ~Q(voter_key=""),
                name="budgets_ballot_has_a_voter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_id}: {self.voter_id or self.voter_key}"
