"""Writing a counted budget out: in Pabulib's format (META, PROJECTS with each project's
votes and whether it was funded, VOTES with anonymous voter ids) and as CSV (the results, one
row per project; the ballots, one row per ballot). `pabulib.parse_text` reads the first back.

Ballots leave without names: their voter ids are 1, 2, 3… in the order of what they chose
(not of when they were cast), so that neither a name nor the order of voting leaves the site."""

import csv
import io

from agora.budgets import services
from agora.budgets.models import BallotKind, Budget

BATCH = 2000
#: The results CSV's columns: `counted` is the count's verdict, `funded` the final one.
HEADER = (
    "project_id",
    "name",
    "cost",
    "votes",
    "score",
    "counted",
    "funded",
    "reason",
    "override",
    "override_reason",
)


def _number(value) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _anonymous_ballots(budget: Budget) -> list[tuple[str, str, str]]:
    """(voter id, vote, points) for each ballot, in the order of their content."""
    rows = []
    for projects, points in budget.ballots.values_list("projects", "points").iterator(BATCH):
        vote = ",".join(projects)
        given = ",".join(str(value) for value in points) if points is not None else ""
        rows.append((vote, given))
    rows.sort()
    return [(str(number), vote, given) for number, (vote, given) in enumerate(rows, start=1)]


def _project_rows(budget: Budget):
    projects = list(budget.projects.order_by("position"))
    verdicts = {verdict["key"]: verdict for verdict in (budget.result or {}).get("projects", [])}
    funded = set(services.final_winners(budget, projects))
    return projects, verdicts, funded


def _write(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def pabulib_text(budget: Budget) -> str:
    projects, verdicts, funded = _project_rows(budget)
    ballots = _anonymous_ballots(budget)
    cumulative = budget.ballot_kind == BallotKind.CUMULATIVE
    meta = [
        ("description", budget.title_en),
        ("num_projects", len(projects)),
        ("num_votes", len(ballots)),
        ("budget", _number(budget.amount)),
        ("vote_type", budget.ballot_kind),
        ("rule", budget.rule),
        ("currency", budget.currency),
    ]
    if budget.maximum_projects:
        meta.append(("max_length", budget.maximum_projects))
    if budget.minimum_projects:
        meta.append(("min_length", budget.minimum_projects))
    if cumulative and budget.points:
        meta.append(("max_sum_points", budget.points))
    lines = [("META",), ("key", "value"), *meta, ("PROJECTS",)]
    lines.append(("project_id", "cost", "votes", "score", "name", "selected"))
    for project in projects:
        verdict = verdicts.get(project.key, {})
        lines.append(
            (
                project.key,
                _number(project.cost),
                verdict.get("votes", 0),
                _number(verdict.get("score", 0)),
                project.title,
                1 if project.key in funded else 0,
            )
        )
    lines.append(("VOTES",))
    lines.append(("voter_id", "vote", "points") if cumulative else ("voter_id", "vote"))
    for voter, vote, given in ballots:
        lines.append((voter, vote, given) if cumulative else (voter, vote))
    return _write(lines)


def results_csv(budget: Budget) -> str:
    projects, verdicts, funded = _project_rows(budget)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for project in projects:
        verdict = verdicts.get(project.key, {})
        writer.writerow(
            [
                project.key,
                project.title,
                _number(project.cost),
                verdict.get("votes", 0),
                _number(verdict.get("score", 0)),
                int(bool(verdict.get("won"))),
                int(project.key in funded),
                verdict.get("reason", ""),
                project.override,
                project.override_reason,
            ]
        )
    return out.getvalue()


def ballots_csv(budget: Budget) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["voter_id", "vote", "points"])
    writer.writerows(_anonymous_ballots(budget))
    return out.getvalue()
