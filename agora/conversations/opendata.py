"""Reading Pol.is open-data exports (comments.csv, votes.csv, participants-votes.csv) and
turning an analysis into the JSON the `agora conversations analyze` command prints.

Every row is checked before anything is used: one malformed row anywhere and the whole export
is refused, with every problem listed by file and line.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from agora.conversations import analysis

VOTE_VALUES = {analysis.AGREE, analysis.DISAGREE, analysis.PASS}


class ExportError(ValueError):
    """The export cannot be read; `problems` lists each one as "file, line N: what"."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Comment:
    id: int
    timestamp: int
    author: int | None
    moderated: int
    body: str


@dataclass(frozen=True)
class Export:
    matrix: analysis.VoteMatrix
    moderated_out: list[int]
    #: Pol.is's own group per participant id, where the export gives one.
    polis_groups: dict[int, int]
    comments: list[Comment]
    #: The vote rows as four columns: timestamps, comment ids, voter ids, votes.
    vote_columns: tuple[list[int], list[int], list[int], list[int]]

    @property
    def votes(self) -> list[tuple[int, int, int, int]]:
        """Every vote row as (timestamp, comment id, voter id, vote), changed votes included;
        built when asked (importing asks, analysing does not)."""
        return list(zip(*self.vote_columns, strict=True))


def _rows(path: Path, required: list[str], problems: list[str]):
    """Yield (line number, row dict) for each record, noting a missing file or header."""
    if not path.is_file():
        problems.append(f"{path.name}: file is missing")
        return
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            problems.append(f"{path.name}, line 1: the file is empty")
            return
        missing = [name for name in required if name not in header]
        if missing:
            problems.append(f"{path.name}, line 1: missing column(s) {', '.join(missing)}")
            return
        start = reader.line_num
        for record in reader:
            if not record:
                start = reader.line_num
                continue
            if len(record) != len(header):
                problems.append(
                    f"{path.name}, line {start + 1}: {len(record)} fields, "
                    f"the header has {len(header)}"
                )
            else:
                yield start + 1, header, record
            start = reader.line_num


def _plain_integer_columns(path: Path, names: list[str]) -> dict[str, np.ndarray] | None:
    """Every row's values of `names` as whole numbers, read in bulk, when the file is plain:
    no quotes, no carriage returns or blank lines, each row as wide as the header and each of
    these values an integer. None otherwise, and the careful row-by-row reader then finds and
    names what is wrong, so the messages are the same either way."""
    if not path.is_file():
        return None
    data = path.read_bytes()
    header_end = data.find(b"\n")
    if header_end < 0 or b'"' in data or b"\r" in data:
        return None
    header = data[:header_end].decode("utf-8", errors="replace").split(",")
    if any(name not in header for name in names):
        return None
    body = data[header_end + 1 :].removesuffix(b"\n")
    if not body:
        return {name: np.empty(0, dtype=np.int64) for name in names}
    raw = np.frombuffer(body, dtype=np.uint8)
    newlines = np.flatnonzero(raw == ord("\n"))
    commas = np.flatnonzero(raw == ord(","))
    bounds = np.concatenate(([-1], newlines, [len(raw)]))
    if not np.all(np.diff(np.searchsorted(commas, bounds)) == len(header) - 1):
        return None
    fields = body.replace(b"\n", b",").split(b",")
    columns = {}
    for name in names:
        try:  # int() reads ASCII digits from bytes: "3.0" or "" fall to the careful reader
            column = list(map(int, fields[header.index(name) :: len(header)]))
        except ValueError:
            return None
        columns[name] = np.array(column, dtype=np.int64)
    return columns


def _integer(value: str, path: Path, line: int, column: str, problems: list[str]) -> int | None:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number != int(number):
        problems.append(f"{path.name}, line {line}: {column} is not a whole number: {value!r}")
        return None
    return int(number)


def read_export(directory: str | Path) -> Export:
    """Read and check an export directory; raise ExportError listing every bad row."""
    directory = Path(directory)
    problems: list[str] = []

    comments_path = directory / "comments.csv"
    statements, moderated_out, comments = [], [], []
    for line, header, record in _rows(comments_path, ["comment-id", "moderated"], problems):
        row = dict(zip(header, record, strict=True))
        statement = _integer(row["comment-id"], comments_path, line, "comment-id", problems)
        moderation = _integer(row["moderated"], comments_path, line, "moderated", problems)
        if moderation is not None and moderation not in (-1, 0, 1):
            problems.append(f"{comments_path.name}, line {line}: moderated must be -1, 0 or 1")
        timestamp = _integer(
            row.get("timestamp") or "0", comments_path, line, "timestamp", problems
        )
        author = row.get("author-id", "").strip()
        author_id = _integer(author, comments_path, line, "author-id", problems) if author else None
        if statement is not None:
            statements.append(statement)
            if moderation == -1:
                moderated_out.append(statement)
            comments.append(
                Comment(
                    id=statement,
                    timestamp=timestamp or 0,
                    author=author_id,
                    moderated=moderation or 0,
                    body=row.get("comment-body", ""),
                )
            )

    votes_path = directory / "votes.csv"
    voters, voted, values, times = [], [], [], []
    names = ["timestamp", "comment-id", "voter-id", "vote"]
    plain = _plain_integer_columns(votes_path, names)
    if plain is not None and np.isin(plain["vote"], list(VOTE_VALUES)).all():
        times, voted, voters, values = (plain[name].tolist() for name in names)
    for line, header, record in (
        [] if plain is not None and values else _rows(votes_path, names, problems)
    ):
        row = dict(zip(header, record, strict=True))
        parsed = [
            _integer(row[column], votes_path, line, column, problems)
            for column in ("timestamp", "comment-id", "voter-id", "vote")
        ]
        if None in parsed:
            continue
        timestamp, statement, voter, vote = parsed
        if vote not in VOTE_VALUES:
            problems.append(f"{votes_path.name}, line {line}: vote must be -1, 0 or 1, not {vote}")
            continue
        times.append(timestamp)
        voted.append(statement)
        voters.append(voter)
        values.append(vote)

    groups_path = directory / "participants-votes.csv"
    polis_groups = {}
    for line, header, record in _rows(groups_path, ["participant", "group-id"], problems):
        # By position: a row holds a field per statement, and only these two are read.
        person, group_text = record[header.index("participant")], record[header.index("group-id")]
        participant = _integer(person, groups_path, line, "participant", problems)
        if group_text.strip() and participant is not None:
            group = _integer(group_text, groups_path, line, "group-id", problems)
            if group is not None:
                polis_groups[participant] = group

    known = set(statements)
    unknown = np.setdiff1d(np.asarray(voted, dtype=np.int64), list(known)).tolist()
    if unknown and not problems:
        problems.append(
            f"{votes_path.name}: votes on statements not in comments.csv: "
            + ", ".join(map(str, unknown[:10]))
        )
    if problems:
        raise ExportError(problems)
    matrix = analysis.build_vote_matrix(
        voters, voted, values, times, statements=np.array(sorted(known), dtype=np.int64)
    )
    return Export(
        matrix=matrix,
        moderated_out=moderated_out,
        polis_groups=polis_groups,
        comments=comments,
        vote_columns=(times, voted, voters, values),
    )


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def summary(result: analysis.Analysis) -> dict:
    """The analysis as JSON-ready data, with ids as the export has them."""
    statements = result.statements.tolist()
    groups = []
    for group, (members, counts, representative) in enumerate(
        zip(result.groups, result.group_counts, result.representative, strict=True)
    ):
        agrees, disagrees, seen = counts
        column = {statement: index for index, statement in enumerate(statements)}
        groups.append(
            {
                "id": group,
                "members": [_plain(member) for member in members.tolist()],
                "representative": [
                    {
                        "statement": _plain(entry["tid"]),
                        # Pol.is flags the statement a group agrees with most as best-agree
                        # and its client shows it as agreement, whatever test won.
                        "direction": "agree" if entry.get("best-agree") else entry["repful-for"],
                        "agree": _share(agrees, seen, column[entry["tid"]]),
                        "disagree": _share(disagrees, seen, column[entry["tid"]]),
                    }
                    for entry in representative
                ],
            }
        )
    return {
        "participants": len(result.participants),
        "statements": len(statements),
        "in_conversation": [
            _plain(p) for p in result.participants[result.in_conversation].tolist()
        ],
        "groups": groups,
        "consensus": {
            side: [_plain(entry["tid"]) for entry in result.consensus[side]]
            for side in ("agree", "disagree")
        },
        "group_aware_consensus": {
            str(statement): float(value)
            for statement, value in zip(statements, result.group_aware_consensus, strict=True)
        },
    }


def _share(counts: np.ndarray, seen: np.ndarray, index: int) -> float:
    return float(counts[index] / seen[index]) if seen[index] else 0.0


def agreement_with_polis(export: Export, result: analysis.Analysis) -> float:
    """Adjusted Rand index of Agora's groups against the export's group-id column, over the
    participants both put in a group."""
    ours = dict(zip(result.participants.tolist(), result.group_labels.tolist(), strict=True))
    common = [p for p in export.polis_groups if ours.get(p, -1) >= 0]
    return analysis.adjusted_rand_index(
        [export.polis_groups[p] for p in common], [ours[p] for p in common]
    )
