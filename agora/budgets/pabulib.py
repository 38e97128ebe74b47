"""Reading Pabulib's `.pb` files, the open format of participatory-budgeting data
(pabulib.org), without Django or a database.

A file has three sections, each a line with its name (META, PROJECTS, VOTES) followed by a
header row and rows of semicolon-separated fields (CSV quoting allowed). META holds
`key;value` rows, of which Agora needs `budget` and `vote_type` (approval, cumulative or
ordinal); PROJECTS needs `project_id` and `cost`; VOTES needs `voter_id` and `vote` (the
chosen projects, comma-separated, best first for ordinal ballots) and, for cumulative ballots,
`points` (one number per chosen project, in the same order). A project named twice counts once
on an approval ballot, adds its points up on a cumulative one and is refused on a ranking.
Every other column is kept as read, so that `selected`, `votes`, `score`, `name` and the like
stay available.

A file Agora cannot count is refused with a `PabulibError` that names the line and the fault.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

VOTE_TYPES = ("approval", "cumulative", "ordinal")
SECTIONS = ("META", "PROJECTS", "VOTES")


class PabulibError(ValueError):
    """The file is not a Pabulib file Agora can count; the message says where and why."""


@dataclass(frozen=True)
class Project:
    id: str
    cost: Decimal
    name: str = ""
    fields: dict = field(default_factory=dict, compare=False)

    @property
    def selected(self) -> bool | None:
        """Whether the city funded it, when the file says (`selected` column), else None."""
        value = self.fields.get("selected", "").strip()
        return None if value == "" else value not in {"0", "false", "False"}


@dataclass(frozen=True)
class Ballot:
    voter_id: str
    projects: tuple[str, ...]
    # Cumulative ballots only: the points given to each project of `projects`, in order.
    points: tuple[int, ...] | None = None


@dataclass
class Election:
    meta: dict[str, str]
    projects: list[Project]
    ballots: list[Ballot]

    @property
    def budget(self) -> Decimal:
        return _number(self.meta["budget"], "the budget")

    @property
    def vote_type(self) -> str:
        return self.meta["vote_type"]

    @property
    def currency(self) -> str:
        return self.meta.get("currency", "")

    @property
    def description(self) -> str:
        return self.meta.get("description", "")


def _number(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise PabulibError(f"{what} is not a number: {text!r}") from None
    if not value.is_finite() or value < 0:
        raise PabulibError(f"{what} must be a number of zero or more: {text!r}")
    return value


def read(path: str | Path) -> Election:
    """Read a `.pb` file from disk."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return parse(handle)
    except OSError as error:
        raise PabulibError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise PabulibError(f"{path} is not UTF-8 text") from None


def parse_text(text: str) -> Election:
    return parse(io.StringIO(text.lstrip("\ufeff"), newline=""))


def parse(handle) -> Election:
    """Parse an open text stream in the Pabulib format."""
    rows: dict[str, list[tuple[int, dict[str, str]]]] = {name: [] for name in SECTIONS}
    headers: dict[str, list[str]] = {}
    section = None
    reader = csv.reader(handle, delimiter=";")
    expect_header = False
    for row in reader:
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        first = row[0].strip()
        if first in SECTIONS and len([cell for cell in row if cell.strip()]) == 1:
            if first in headers:
                raise PabulibError(f"line {line}: a second {first} section")
            section, expect_header = first, True
            continue
        if section is None:
            raise PabulibError(f"line {line}: the file must start with a META section")
        cells = [cell.strip() for cell in row]
        if expect_header:
            headers[section], expect_header = cells, False
            continue
        header = headers[section]
        if len(cells) > len(header) and any(cells[len(header) :]):
            raise PabulibError(
                f"line {line}: {len(cells)} fields where the {section} header has {len(header)}"
            )
        rows[section].append((line, dict(zip(header, cells, strict=False))))
    for name in SECTIONS:
        if name not in headers:
            raise PabulibError(f"the {name} section is missing")
    meta = _meta(rows["META"], headers["META"])
    projects = _projects(rows["PROJECTS"], headers["PROJECTS"])
    ballots = _ballots(rows["VOTES"], headers["VOTES"], meta["vote_type"], projects)
    return Election(meta=meta, projects=projects, ballots=ballots)


def _require(header: list[str], columns: tuple[str, ...], section: str) -> None:
    missing = [column for column in columns if column not in header]
    if missing:
        raise PabulibError(f"the {section} section has no {', '.join(missing)} column")


def _meta(rows, header) -> dict[str, str]:
    # The META header is `key;value`; its rows are read by position.
    meta = {}
    for _line, row in rows:
        values = list(row.values())
        if len(values) >= 2:
            meta[values[0]] = values[1]
    if "budget" not in meta:
        raise PabulibError("META has no budget")
    _number(meta["budget"], "the budget")
    vote_type = meta.get("vote_type", "")
    if vote_type not in VOTE_TYPES:
        raise PabulibError(
            f"vote_type {vote_type!r} is not one Agora counts ({', '.join(VOTE_TYPES)})"
        )
    return meta


def _projects(rows, header) -> list[Project]:
    _require(header, ("project_id", "cost"), "PROJECTS")
    projects, seen = [], set()
    for line, row in rows:
        key = row["project_id"]
        if not key:
            raise PabulibError(f"line {line}: a project without an id")
        if key in seen:
            raise PabulibError(f"line {line}: project {key} appears twice")
        seen.add(key)
        cost = _number(row["cost"], f"line {line}: the cost of project {key}")
        projects.append(Project(id=key, cost=cost, name=row.get("name", ""), fields=row))
    return projects


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _ballots(rows, header, vote_type, projects) -> list[Ballot]:
    _require(header, ("voter_id", "vote"), "VOTES")
    if vote_type == "cumulative":
        _require(header, ("points",), "VOTES")
    known = {project.id for project in projects}
    ballots = []
    for line, row in rows:
        chosen = _split(row["vote"])
        unknown = [key for key in chosen if key not in known]
        if unknown:
            raise PabulibError(f"line {line}: a vote for unknown project {unknown[0]}")
        points = None
        if len(set(chosen)) != len(chosen) and vote_type == "ordinal":
            raise PabulibError(f"line {line}: a ranking names a project twice")
        if vote_type == "approval":
            chosen = list(dict.fromkeys(chosen))
        elif vote_type == "cumulative":
            try:
                points = tuple(int(part) for part in _split(row["points"]))
            except ValueError:
                raise PabulibError(f"line {line}: points must be whole numbers") from None
            if len(points) != len(chosen):
                raise PabulibError(f"line {line}: {len(points)} points for {len(chosen)} projects")
            if any(value < 0 for value in points):
                raise PabulibError(f"line {line}: negative points")
            if len(set(chosen)) != len(chosen):
                # One voter in Częstochowa 2020 gave project 579 one point four times: the
                # points given to a project add up.
                summed: dict[str, int] = {}
                for key, value in zip(chosen, points, strict=True):
                    summed[key] = summed.get(key, 0) + value
                chosen, points = list(summed), tuple(summed.values())
        ballots.append(Ballot(voter_id=row["voter_id"], projects=tuple(chosen), points=points))
    return ballots
