"""Reading a ballot from the page's plain form: ticked projects (`project`), points per
project (`points-KEY`) or ranks (`rank-KEY`). Whatever is typed is kept, so that a ballot
refused is shown again as it was, with what is wrong said in words."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from agora.budgets.models import BallotKind, Budget, Project


@dataclass
class Entered:
    chosen: list[str]
    points: list[int] | None
    typed: dict[str, str] = field(default_factory=dict)  # what each box held, as typed
    errors: list[str] = field(default_factory=list)


def _whole(text: str) -> int | None:
    text = text.strip()
    if not text:
        return 0
    if not text.isdigit() or len(text) > 6:
        return None
    return int(text)


def read_form(budget: Budget, projects: list[Project], data) -> Entered:
    kind = budget.ballot_kind
    if kind == BallotKind.APPROVAL:
        chosen = [key[:64] for key in data.getlist("project")][: len(projects) + 1]
        return Entered(chosen=chosen, points=None, typed=dict.fromkeys(chosen, "on"))
    prefix = "points-" if kind == BallotKind.CUMULATIVE else "rank-"
    typed, errors, numbers = {}, [], {}
    for project in projects:
        text = data.get(prefix + project.key, "")[:12]
        typed[project.key] = text
        value = _whole(text)
        if value is None:
            errors.append(
                _("“%(text)s” for %(project)s is not a whole number of zero or more.")
                % {"text": text, "project": project.title}
            )
        elif value:
            numbers[project.key] = value
    if kind == BallotKind.CUMULATIVE:
        chosen = list(numbers)
        return Entered(chosen, [numbers[key] for key in chosen], typed, errors)
    ranks = sorted(numbers.values())
    for rank in sorted(set(ranks)):
        if ranks.count(rank) > 1:
            errors.append(_("Two projects have rank %(rank)s; give each its own.") % {"rank": rank})
    if ranks and ranks != list(range(1, len(ranks) + 1)) and len(set(ranks)) == len(ranks):
        errors.append(_("Number the projects you rank 1, 2, 3… without gaps."))
    chosen = sorted(numbers, key=lambda key: numbers[key])
    return Entered(chosen, None, typed, errors)


def typed_from_ballot(budget: Budget, projects: list[str], points: list[int] | None) -> dict:
    """A stored ballot as the form's boxes would hold it."""
    if budget.ballot_kind == BallotKind.APPROVAL:
        return dict.fromkeys(projects, "on")
    if budget.ballot_kind == BallotKind.CUMULATIVE:
        return {key: str(value) for key, value in zip(projects, points or [], strict=False)}
    return {key: str(rank) for rank, key in enumerate(projects, start=1)}
