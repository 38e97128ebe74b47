"""Storing budgets: importing a Pabulib file as a closed, counted budget; the managers'
projects (added, changed, removed, or made of an accepted proposal) while the vote is open;
checking and casting a ballot (one per person, the last one counts) and withdrawing it, each
confirmed by email (`tasks`); counting a budget from its stored ballots; an administrator's
override of the count, with a public reason."""

from dataclasses import dataclass, field
from datetime import UTC
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora.budgets import counting, pabulib, wording
from agora.budgets.models import (
    IMAGE_ALT_MAX_LENGTH,
    IMAGE_MAX_BYTES,
    IMAGE_MAX_SIDE,
    PROJECT_TITLE_MAX_LENGTH,
    Ballot,
    BallotKind,
    Budget,
    Override,
    Project,
)
from agora.core import audit
from agora.core.images import reencode_image
from agora.moderation.models import ModerationState
from agora.processes import features
from agora.processes.models import Phase
from agora.processes.permissions import can_manage_process
from agora.proposals.models import AnswerKind, Proposal, ProposalState

#: The action a resident takes in a budget (`processes.features`; allowed in support phases).
VOTE = "vote"

BATCH = 2000


def profile_of_budget(budget: Budget) -> counting.Profile:
    """The budget's projects and stored ballots as a counting profile (two queries)."""
    items = [
        counting.Item(key, float(cost))
        for key, cost in budget.projects.order_by("position").values_list("key", "cost")
    ]
    ballots = budget.ballots.order_by("pk").values_list("projects", "points").iterator(BATCH)
    return counting.Profile(budget.ballot_kind, items, ballots, budget.amount)


def count_budget(budget: Budget) -> counting.Outcome:
    """Count the stored ballots by the budget's rule and keep the result on the budget."""
    outcome = counting.count(
        profile_of_budget(budget), budget.rule, minimum_votes=budget.minimum_votes
    )
    budget.result = outcome.as_dict()
    budget.counted_at = timezone.now()
    budget.save(update_fields=["result", "counted_at"])
    return outcome


@transaction.atomic
def import_election(
    path: str | Path,
    *,
    process,
    rule: str = counting.RULES[1],
    minimum_votes: int = 0,
    title_en: str = "",
    title_es: str = "",
) -> Budget:
    """A closed budget in `process` with the file's projects and ballots, counted by `rule`.
    Raises PabulibError (and stores nothing) when the file cannot be counted."""
    election = pabulib.read(path)
    if rule not in counting.RULES:
        raise ValueError(f"unknown rule {rule!r}")
    source = f"{Path(path).name}: {election.description}".strip(": ")
    budget = Budget.objects.create(
        process=process,
        title_en=title_en or election.description or Path(path).stem,
        title_es=title_es,
        amount=election.budget,
        currency=election.currency,
        ballot_kind=election.vote_type,
        rule=rule,
        minimum_votes=minimum_votes,
        is_closed=True,
        source=source[:300],
    )
    Project.objects.bulk_create(
        [
            Project(
                budget=budget,
                key=project.id,
                title=(project.name or project.id)[:300],
                cost=project.cost,
                position=position,
            )
            for position, project in enumerate(election.projects)
        ],
        batch_size=BATCH,
    )
    Ballot.objects.bulk_create(
        [
            Ballot(
                budget=budget,
                voter_key=ballot.voter_id or str(number),
                projects=list(ballot.projects),
                points=None if ballot.points is None else list(ballot.points),
            )
            for number, ballot in enumerate(election.ballots, start=1)
        ],
        batch_size=BATCH,
    )
    count_budget(budget)
    return budget


def cast_ballot(budget: Budget, voter, projects: list[str], points: list[int] | None = None):
    """Keep `voter`'s ballot in `budget`, replacing any earlier one: the last one counts. The
    ballot page's checks (eligibility, the phase, limits) come before this. Two ballots cast
    at once by one person leave one: the unique constraint refuses the second insert, which
    then updates the row the first one made."""
    values = {"projects": projects, "points": points}
    updated = Ballot.objects.filter(budget=budget, voter=voter).update(
        **values, cast_at=timezone.now()
    )
    if not updated:
        try:
            with transaction.atomic():
                return Ballot.objects.create(budget=budget, voter=voter, **values)
        except IntegrityError:
            Ballot.objects.filter(budget=budget, voter=voter).update(
                **values, cast_at=timezone.now()
            )
    return Ballot.objects.get(budget=budget, voter=voter)


# Checking and casting a ballot from the page or the API.


@dataclass
class Checked:
    """A ballot as checked against its budget: what was chosen (keys in the budget's order,
    or best first on a ranking), the points, the running total and what is left, and the
    messages that refuse it (empty: it can be cast)."""

    projects: list[str]
    points: list[int] | None
    total: Decimal
    left: Decimal
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


class BallotRefused(Exception):
    """The ballot was not stored: `code` for programs, `messages` for people."""

    def __init__(self, code: str, messages: list[str]):
        super().__init__(" ".join(messages))
        self.code = code
        self.messages = messages


def can_vote(person, budget: Budget, at=None) -> features.Decision:
    """May the person cast or change a ballot in this budget now? The process's rule and
    phase (`vote` is allowed in a support phase), the budget still open, and, when the budget
    has an area, a home in it. Reads the process's prefetched phases and areas."""
    if budget.is_closed:
        return features.Decision(False, features.Reason.OUTSIDE_PHASE)
    decision = features.can_act(person, VOTE, budget.process, at)
    if not decision or budget.area_id is None:
        return decision
    if features.lives_in(person, {budget.area_id}):
        return decision
    return features.Decision(
        False,
        features.Reason.OUTSIDE_AREAS,
        decision.phase,
        explanation=_(
            "Only residents of %(area)s vote in this budget. Your home area, as your profile "
            "says, is not in it."
        )
        % {"area": budget.area.name},
    )


def check_ballot(
    budget: Budget, projects: list[Project], chosen: list[str], points: list[int] | None = None
) -> Checked:
    """Check a ballot against the budget's limits. `projects` are the budget's projects in
    their order; `chosen` are keys (best first on a ranking); `points` the points given to
    each chosen key, on a cumulative ballot. Never raises on bad input: it says what is
    wrong, in words a resident understands."""
    by_key = {project.key: project for project in projects}
    errors: list[str] = []
    unknown = [key for key in chosen if key not in by_key]
    if unknown:
        errors.append(_("This budget has no project %(key)s.") % {"key": unknown[0]})
    if len(set(chosen)) != len(chosen):
        errors.append(_("A project is chosen twice."))
    kept = [key for key in dict.fromkeys(chosen) if key in by_key]
    kind = budget.ballot_kind
    if kind == BallotKind.CUMULATIVE:
        given = list(points or [])
        if len(given) != len(chosen):
            errors.append(_("Give points to each project you choose."))
            given = (given + [0] * len(chosen))[: len(chosen)]
        if any(value < 0 for value in given):
            errors.append(_("Points cannot be negative."))
        pairs = [(key, value) for key, value in zip(chosen, given, strict=True) if value > 0]
        kept = [key for key, _value in pairs if key in by_key]
        points = [value for key, value in pairs if key in by_key]
        spent = sum(value for _key, value in pairs)
        if budget.points and spent != budget.points and not errors:
            errors.append(
                _("You gave %(given)s points; give exactly %(points)s.")
                % {"given": spent, "points": budget.points}
            )
        if kind == BallotKind.CUMULATIVE and budget.points == 0 and spent == 0:
            errors.append(_("Give points to at least one project."))
    else:
        points = None
        if kind == BallotKind.APPROVAL:
            kept = [project.key for project in projects if project.key in set(kept)]
    total = sum((by_key[key].cost for key in kept), Decimal(0))
    left = budget.amount - total
    count = len(kept)
    if not chosen:
        errors.append(_("Choose at least one project."))
    elif budget.minimum_projects and count < budget.minimum_projects:
        errors.append(
            ngettext(
                "Choose at least %(minimum)s project; you chose %(count)s.",
                "Choose at least %(minimum)s projects; you chose %(count)s.",
                budget.minimum_projects,
            )
            % {"minimum": budget.minimum_projects, "count": count}
        )
    if budget.maximum_projects and count > budget.maximum_projects:
        errors.append(
            ngettext(
                "Choose at most %(maximum)s project; you chose %(count)s.",
                "Choose at most %(maximum)s projects; you chose %(count)s.",
                budget.maximum_projects,
            )
            % {"maximum": budget.maximum_projects, "count": count}
        )
    if budget.knapsack and left < 0:
        errors.append(
            _(
                "Your projects cost %(total)s, more than the budget of %(amount)s: take "
                "%(over)s off."
            )
            % {
                "total": wording.amount(total, budget.currency),
                "amount": wording.amount(budget.amount, budget.currency),
                "over": wording.amount(-left, budget.currency),
            }
        )
    if budget.knapsack and budget.minimum_share and chosen:
        least = budget.amount * budget.minimum_share / 100
        if total < least:
            errors.append(
                _(
                    "Your projects cost %(total)s; choose projects worth at least %(least)s "
                    "(%(share)s%% of the budget)."
                )
                % {
                    "total": wording.amount(total, budget.currency),
                    "least": wording.amount(least, budget.currency),
                    "share": budget.minimum_share,
                }
            )
    return Checked(projects=kept, points=points, total=total, left=left, errors=errors)


@transaction.atomic
def vote(budget: Budget, *, by, projects: list[str], points: list[int] | None = None) -> Ballot:
    """Cast or change `by`'s ballot after checking who may vote and the budget's limits, and
    once it is stored, email them what it holds (`tasks.email_ballot`). Raises BallotRefused
    (and changes nothing, sends nothing) otherwise. The ballot page and the API both cast
    through here; `cast_ballot` alone (imports, demo data) sends no email."""
    decision = can_vote(by, budget)
    if not decision:
        raise BallotRefused(decision.reason, [decision.message])
    checked = check_ballot(budget, list(budget.projects.order_by("position")), projects, points)
    if not checked.valid:
        raise BallotRefused("invalid_ballot", checked.errors)
    ballot = cast_ballot(budget, by, checked.projects, checked.points)
    from agora.budgets.tasks import email_ballot

    version = ballot_version(ballot)
    transaction.on_commit(lambda: email_ballot.enqueue(ballot_id=ballot.pk, version=version))
    return ballot


@transaction.atomic
def withdraw_ballot(budget: Budget, *, by) -> bool:
    """Take `by`'s ballot back while voting is open, and tell them by email once it is gone.
    True if there was one."""
    decision = can_vote(by, budget)
    if not decision:
        raise BallotRefused(decision.reason, [decision.message])
    ballot = Ballot.objects.select_for_update().filter(budget=budget, voter=by).first()
    if ballot is None:
        return False
    ballot_id, version = ballot.pk, ballot_version(ballot)
    ballot.delete()
    from agora.budgets.tasks import email_ballot_withdrawn

    transaction.on_commit(
        lambda: email_ballot_withdrawn.enqueue(
            ballot_id=ballot_id, version=version, budget_id=budget.pk, voter_id=by.pk
        )
    )
    return True


def ballot_version(ballot: Ballot) -> str:
    """Which cast of a ballot this is: the moment it was cast, in UTC to the microsecond, as
    a key part an email's Message-ID can carry. A changed ballot has a new one."""
    return ballot.cast_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


# The administrator's override.


def can_override(person, budget: Budget) -> bool:
    if not person.is_authenticated or not budget.is_closed or budget.result is None:
        return False
    return can_manage_process(person, budget.process)


@transaction.atomic
def override_project(project: Project, *, by, override: str, reason: str) -> Project:
    """Fund a project the count did not fund, or not fund one it did, or go back to the count
    (`override=""`), with a public reason; the audit log records who and when. Raises
    PermissionDenied for anyone but the process's managers, ValidationError for a missing
    reason or an override that would change nothing."""
    budget = project.budget
    if not can_override(by, budget):
        raise PermissionDenied(_("Only the process's managers can change a counted result."))
    reason = " ".join(reason.split())
    if override not in Override.values:
        raise ValidationError(_("Choose funded, not funded or as counted."))
    counted = project.key in budget.result["winners"]
    if override == Override.FUNDED and counted:
        raise ValidationError(_("The count funded this project already."))
    if override == Override.NOT_FUNDED and not counted:
        raise ValidationError(_("The count did not fund this project."))
    if not reason:
        raise ValidationError(_("Give the public reason for this decision."))
    before = project.override
    project.override = override
    project.override_reason = reason
    project.overridden_at = timezone.now()
    project.save(update_fields=["override", "override_reason", "overridden_at"])
    audit.record(
        "budgets.overridden",
        project,
        actor=by,
        budget=budget.pk,
        key=project.key,
        before=before,
        after=override,
        reason=reason,
    )
    return project


def final_winners(budget: Budget, projects: list[Project]) -> list[str]:
    """The funded projects' keys: the count's winners in the order funded, without those an
    administrator took off, then those an administrator added, in the list's order."""
    if budget.result is None:
        return []
    refused = {project.key for project in projects if project.override == Override.NOT_FUNDED}
    added = [project.key for project in projects if project.override == Override.FUNDED]
    return [key for key in budget.result["winners"] if key not in refused] + added


# The managers' projects.

#: What may still change on a project once ballots are cast: the words and the picture, never
#: what a voter chose by (its title, cost, area, topic or origin).
OPEN_AFTER_BALLOTS = ("description", "image", "image_alt")
PROJECT_FIELDS = ("title", "cost", "description", "area", "topic", "image_alt", "proposal")


def can_manage_projects(person, budget: Budget) -> bool:
    """The process's managers, while the budget is not closed."""
    if not person.is_authenticated or budget.is_closed:
        return False
    return can_manage_process(person, budget.process)


def has_ballots(budget: Budget) -> bool:
    """Once a ballot is cast, projects are neither added nor removed, and what a voter chose
    by stays as it was (`OPEN_AFTER_BALLOTS`)."""
    return budget.ballots.exists()


def proposals_to_make_projects(budget: Budget):
    """The process's accepted, visible proposals not yet a project of this budget, newest
    first."""
    return (
        Proposal.objects.filter(
            process_id=budget.process_id,
            state=ProposalState.ANSWERED,
            answer=AnswerKind.ACCEPTED,
            moderation_state=ModerationState.VISIBLE,
        )
        .exclude(budget_projects__budget=budget)
        .order_by("-pk")
    )


def check_proposal(budget: Budget, proposal: Proposal, project: Project | None = None) -> None:
    """Raise ValidationError unless the proposal may become (or stay) this project: accepted,
    of the budget's process, visible, and not already another project of the budget."""
    if proposal.process_id != budget.process_id:
        raise ValidationError(
            {"proposal": _("This proposal belongs to another process than this budget.")}
        )
    if proposal.state != ProposalState.ANSWERED or proposal.answer != AnswerKind.ACCEPTED:
        raise ValidationError({"proposal": _("Only an accepted proposal becomes a project.")})
    if proposal.moderation_state != ModerationState.VISIBLE:
        raise ValidationError({"proposal": _("This proposal is hidden by moderation.")})
    other = Project.objects.filter(budget=budget, proposal=proposal)
    if project is not None and project.pk:
        other = other.exclude(pk=project.pk)
    existing = other.first()
    if existing is not None:
        raise ValidationError(
            {
                "proposal": _("This proposal is already the project “%(title)s” of this budget.")
                % {"title": existing.title}
            }
        )


def _check_project_fields(fields: dict) -> None:
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown project fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    if "title" in fields and not (fields["title"] or "").strip():
        errors["title"] = _("Give the project a title.")
    elif len(fields.get("title") or "") > PROJECT_TITLE_MAX_LENGTH:
        errors["title"] = _("Give the project a shorter title.")
    cost = fields.get("cost")
    if "cost" in fields and (cost is None or cost < 0):
        errors["cost"] = _("Give the project's cost, zero or more.")
    if len(fields.get("image_alt") or "") > IMAGE_ALT_MAX_LENGTH:
        errors["image_alt"] = _("Describe the image in fewer words.")
    if errors:
        raise ValidationError(errors)


def _apply_project_image(project: Project, image, remove_image: bool) -> None:
    """Re-encode a new image (no metadata, bounded size); an image needs its description."""
    project.image_alt = " ".join((project.image_alt or "").split())
    if image:
        if not project.image_alt:
            raise ValidationError(
                {"image_alt": _("Describe what the image shows, for people who cannot see it.")}
            )
        try:
            clean = reencode_image(image, max_bytes=IMAGE_MAX_BYTES, max_side=IMAGE_MAX_SIDE)
        except ValidationError as error:
            raise ValidationError({"image": error.messages}) from error
        project.image.save(clean.file.name, clean.file, save=False)
        project.image_width, project.image_height = clean.width, clean.height
    elif remove_image:
        project.image = ""
    if not project.image:
        project.image_alt = ""
        project.image_width = project.image_height = None
    elif not project.image_alt:
        raise ValidationError(
            {"image_alt": _("Describe what the image shows, for people who cannot see it.")}
        )


def _next_key(budget: Budget) -> str:
    """The next whole number not yet a key of the budget: Pabulib's project ids are numbers."""
    keys = set(budget.projects.values_list("key", flat=True))
    number = max((int(key) for key in keys if key.isdigit()), default=0) + 1
    while str(number) in keys:
        number += 1
    return str(number)


def _lock_managed_budget(pk: int, by) -> Budget:
    """The budget, locked until the change is stored (two managers adding at once get two
    keys and places), if `by` may change its projects now."""
    budget = Budget.objects.select_for_update(of=("self",)).select_related("process__office")
    budget = budget.get(pk=pk)
    if not (by.is_authenticated and can_manage_process(by, budget.process)):
        raise PermissionDenied(_("Only the process's managers can change its budget's projects."))
    if budget.is_closed:
        raise ValidationError(_("The vote is closed: its projects can no longer change."))
    return budget


@transaction.atomic
def add_project(budget: Budget, *, by, image=None, **fields) -> Project:
    """A new project at the end of the budget's list, by the process's managers, before any
    ballot is cast. With `proposal`, made of that accepted proposal of the same process."""
    budget = _lock_managed_budget(budget.pk, by)
    if has_ballots(budget):
        raise ValidationError(
            _("Ballots are cast already: projects can no longer be added to this budget.")
        )
    _check_project_fields(fields)
    fields["title"] = " ".join(fields["title"].split())
    if fields.get("proposal") is not None:
        check_proposal(budget, fields["proposal"])
    last = budget.projects.order_by("-position").values_list("position", flat=True).first()
    project = Project(
        budget=budget,
        key=_next_key(budget),
        position=0 if last is None else last + 1,
        **fields,
    )
    _apply_project_image(project, image, remove_image=False)
    project.save()
    audit.record(
        "budgets.project_added",
        project,
        actor=by,
        budget=budget.pk,
        key=project.key,
        title=project.title,
        proposal=project.proposal_id,
    )
    return project


@transaction.atomic
def change_project(
    project: Project, *, by, image=None, remove_image: bool = False, **fields
) -> Project:
    """Change a project while the vote is open. Once ballots are cast only its description
    and image (with its description) may change: anything else changed raises
    ValidationError naming the field."""
    budget = _lock_managed_budget(project.budget_id, by)
    _check_project_fields(fields)
    changed = [name for name, value in fields.items() if getattr(project, name) != value]
    if (image or remove_image) and "image" not in changed:
        changed.append("image")
    if has_ballots(budget):
        locked = [name for name in changed if name not in OPEN_AFTER_BALLOTS]
        if locked:
            raise ValidationError(
                {
                    name: _(
                        "Ballots are cast already: only the description and the image can change."
                    )
                    for name in locked
                }
            )
    if "title" in fields:
        fields["title"] = " ".join(fields["title"].split())
    if fields.get("proposal") is not None:
        check_proposal(budget, fields["proposal"], project)
    for name, value in fields.items():
        setattr(project, name, value)
    _apply_project_image(project, image, remove_image)
    project.save()
    audit.record(
        "budgets.project_changed",
        project,
        actor=by,
        budget=budget.pk,
        key=project.key,
        changed=sorted(changed),
    )
    return project


@transaction.atomic
def remove_project(project: Project, *, by) -> None:
    """Take a project off the ballot, before any ballot is cast."""
    budget = _lock_managed_budget(project.budget_id, by)
    if has_ballots(budget):
        raise ValidationError(
            _("Ballots are cast already: projects can no longer be removed from this budget.")
        )
    audit.record(
        "budgets.project_removed",
        project,
        actor=by,
        budget=budget.pk,
        key=project.key,
        title=project.title,
    )
    project.delete()


# Closing the vote --------------------------------------------------------------------------
#
# A budget's vote is over once its process had a phase that allows voting and every such
# phase has ended. Then the worker closes the budget and counts it (`close_due_budgets`, every
# few minutes); the process's managers may do it at once from the ballot page. A vote whose
# phase has no end stays open until a manager gives the phase one.


def _voting_phases():
    """The phases of a budget's process that allow voting (for `Exists` in a budget query)."""
    return Phase.objects.filter(
        process=OuterRef("process"), kind__in=features.phases_allowing("vote")
    )


def budgets_due(at=None):
    """The open budgets whose vote is over: one query."""
    at = at or timezone.now()
    phases = _voting_phases()
    return Budget.objects.filter(is_closed=False).filter(
        Exists(phases.filter(ends_at__lte=at)),
        ~Exists(phases.filter(Q(ends_at__gt=at) | Q(ends_at__isnull=True))),
    )


def vote_is_over(budget: Budget, at=None) -> bool:
    """The same rule as `budgets_due`, on the process's phases (prefetched on the pages)."""
    at = at or timezone.now()
    kinds = features.phases_allowing("vote")
    voting = [phase for phase in budget.process.phases.all() if phase.kind in kinds]
    return bool(voting) and all(phase.ends_at and phase.ends_at <= at for phase in voting)


@transaction.atomic
def close_and_count(budget: Budget, *, by=None) -> bool:
    """Close the budget's vote and count it, once (the row is locked: a worker and a manager
    at the same moment count it once). `by` is the manager, or None for the worker. Answers
    whether this call closed it."""
    if by is not None and not can_manage_projects(by, budget):
        raise PermissionDenied
    locked = Budget.objects.select_for_update().select_related("process").get(pk=budget.pk)
    if locked.is_closed:
        return False
    if not vote_is_over(locked):
        raise ValidationError(_("The vote is still open: it is counted once its phase ends."))
    locked.is_closed = True
    locked.save(update_fields=["is_closed"])
    outcome = count_budget(locked)
    audit.record(
        "budgets.closed",
        locked,
        actor=by,
        ballots=locked.ballots.count(),
        winners=len(outcome.winners),
    )
    budget.is_closed, budget.result, budget.counted_at = True, locked.result, locked.counted_at
    return True


def close_due_budgets(at=None) -> int:
    """Close and count every budget whose vote is over; answers how many."""
    closed = 0
    for budget in budgets_due(at).order_by("pk"):
        closed += close_and_count(budget)
    return closed


# The budget itself ---------------------------------------------------------------------------
#
# The process's managers create a budget and change it. Its rules (the amount, the ballot and
# its limits, the counting rule, the area) are stated on its page before voting opens and
# promised to every voter: once a ballot is cast only its titles may change.

BUDGET_FIELDS = (
    "title_en",
    "title_es",
    "amount",
    "currency",
    "area",
    "ballot_kind",
    "rule",
    "minimum_votes",
    "knapsack",
    "minimum_share",
    "minimum_projects",
    "maximum_projects",
    "points",
)
BUDGET_OPEN_AFTER_BALLOTS = ("title_en", "title_es")


def check_budget(fields: dict) -> None:
    """What the model's fields cannot say alone: raises a ValidationError naming the fields."""
    problems = {}
    if fields.get("amount") is not None and fields["amount"] <= 0:
        problems["amount"] = _("A budget needs an amount above zero.")
    kind = fields.get("ballot_kind")
    if kind == BallotKind.CUMULATIVE and not fields.get("points"):
        problems["points"] = _("Say how many points each voter distributes.")
    if kind != BallotKind.CUMULATIVE and fields.get("points"):
        problems["points"] = _("Points are for cumulative ballots only.")
    if fields.get("knapsack") and kind != BallotKind.APPROVAL:
        problems["knapsack"] = _("Only approval ballots can be asked to fit the budget.")
    share = fields.get("minimum_share") or 0
    if share > 100:
        problems["minimum_share"] = _("A share of the budget is at most 100 per cent.")
    elif share and not fields.get("knapsack"):
        problems["minimum_share"] = _(
            "A minimum share applies to ballots that must fit the budget: tick that too."
        )
    most, fewest = fields.get("maximum_projects") or 0, fields.get("minimum_projects") or 0
    if most and most < fewest:
        problems["maximum_projects"] = _("The most projects cannot be fewer than the fewest.")
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def create_budget(process, *, by, **fields) -> Budget:
    if not (by.is_authenticated and can_manage_process(by, process)):
        raise PermissionDenied(_("Only the process's managers can add a budget to it."))
    check_budget(fields)
    budget = Budget.objects.create(process=process, **fields)
    audit.record("budgets.created", budget, actor=by, **_audited(budget))
    return budget


@transaction.atomic
def change_budget(budget: Budget, *, by, **fields) -> Budget:
    """Change a budget not yet closed; once ballots are cast, only its titles."""
    locked = Budget.objects.select_for_update(of=("self",)).select_related("process__office")
    locked = locked.get(pk=budget.pk)
    if not (by.is_authenticated and can_manage_process(by, locked.process)):
        raise PermissionDenied(_("Only the process's managers can change its budgets."))
    if locked.is_closed:
        raise ValidationError(_("The vote is closed: the budget can no longer change."))
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    if has_ballots(locked):
        kept = [name for name in changed if name not in BUDGET_OPEN_AFTER_BALLOTS]
        if kept:
            raise ValidationError(
                {
                    name: _("Ballots are cast already: only the budget's titles can change.")
                    for name in kept
                }
            )
    check_budget(fields)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*fields] or None)
    audit.record("budgets.changed", locked, actor=by, changed=changed)
    return locked


def _audited(budget: Budget) -> dict:
    return {
        "amount": str(budget.amount),
        "ballot_kind": budget.ballot_kind,
        "rule": budget.rule,
        "area": budget.area_id,
    }
