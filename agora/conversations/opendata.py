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
from numpy.lib.stride_tricks import sliding_window_view

from agora.conversations import analysis
from agora.conversations.analysis import versions

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
    #: The vote rows as four integer arrays: timestamps, comment ids, voter ids, votes.
    vote_columns: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]

    @property
    def votes(self) -> list[tuple[int, int, int, int]]:
        """Every vote row as (timestamp, comment id, voter id, vote), changed votes included;
        built when asked (importing asks, analysing does not)."""
        return list(zip(*(column.tolist() for column in self.vote_columns), strict=True))


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


def _plain_integer_columns(
    path: Path, names: list[str], *, may_be_empty: tuple[str, ...] = ()
) -> dict[str, np.ndarray] | None:
    """Every row's values of `names` as whole numbers, read in bulk without a Python object
    per field, when the file is plain: no quotes, no carriage returns or blank lines, each row
    as wide as the header and each of these values an integer (or, for a column in
    `may_be_empty`, nothing, read as `EMPTY`). None otherwise, and the careful row-by-row
    reader then finds and names what is wrong, so the messages are the same either way."""
    if not path.is_file():
        return None
    # The file is read straight into an array after `_PADDING` zero bytes, so that every
    # field has at least `_PADDING` bytes before its end, with room for a last newline.
    size = path.stat().st_size
    buffer = bytearray(_PADDING + size + 1)
    with path.open("rb") as handle:
        if handle.readinto(memoryview(buffer)[_PADDING : _PADDING + size]) != size:
            return None
    header_end = buffer.find(b"\n", _PADDING) - _PADDING
    if header_end < 0 or b'"' in buffer or b"\r" in buffer:
        return None
    header = buffer[_PADDING : _PADDING + header_end].decode("utf-8", errors="replace").split(",")
    if any(name not in header for name in names):
        return None
    raw = np.frombuffer(buffer, dtype=np.uint8)
    newline = raw == ord("\n")
    if size and raw[_PADDING + size - 1] != ord("\n"):
        raw[-1] = newline[-1] = ord("\n")
    else:
        raw, newline = raw[:-1], newline[:-1]
    # The header becomes padding too: the rows start after it.
    raw[: _PADDING + header_end + 1] = 0
    newline[: _PADDING + header_end + 1] = False
    if not newline.any():
        return {name: np.empty(0, dtype=np.int64) for name in names}
    # Every field ends at a comma or a newline. With as many fields on each row as in the
    # header, and a newline ending each row's last field and no other, the ends of row r's
    # fields are ends[r, :].
    width = len(header)
    separator = raw == ord(",")
    separator |= newline
    ends = np.flatnonzero(separator)
    if len(ends) % width:
        return None
    ends = ends.reshape(-1, width)
    if np.count_nonzero(newline) != len(ends) or not newline[ends[:, -1]].all():
        return None
    first_row = _PADDING + header_end + 1
    columns = {}
    for name in names:
        column = header.index(name)
        stop = ends[:, column]
        start = ends[:, column - 1] + 1 if column else np.r_[first_row, ends[:-1, -1] + 1]
        values = _whole_numbers(raw, start, stop, empty_allowed=name in may_be_empty)
        if values is None:
            return None
        columns[name] = values
    return columns


#: The most digits a whole number may have here, and the zero bytes put before the rows.
_PADDING = 18
#: What an empty field of a column that may be empty reads as.
EMPTY = np.iinfo(np.int64).min


def _whole_numbers(raw, start, stop, *, empty_allowed: bool) -> np.ndarray | None:
    """The fields raw[start:stop] read as optionally signed decimal integers of at most 18
    digits, all at once; None when one is anything else. `raw` begins with `_PADDING` zero
    bytes that belong to no field. Each field's last bytes are copied into a table, a row
    per field aligned to the right, and read a place at a time."""
    negative = (stop > start) & (raw[start] == ord("-"))
    length = stop - start - negative
    if np.any(length > _PADDING) or np.any((length == 0) & (negative | ~empty_allowed)):
        return None
    widest = int(length.max(initial=0))
    if widest == 0:
        return np.full(len(start), EMPTY, dtype=np.int64)
    table = sliding_window_view(raw, widest)[stop - widest] - np.uint8(ord("0"))
    inside = np.arange(widest) >= (widest - length)[:, None]
    if np.any(inside & (table > 9)):  # below "0" wraps round to above 9
        return None
    table[~inside] = 0
    values = np.zeros(len(start), dtype=np.int64)
    for place in range(widest):  # most significant first: value = value * 10 + digit
        values *= 10
        values += table[:, place]
    values = np.where(negative, -values, values)
    return np.where(length == 0, EMPTY, values)


def _integer(value: str, path: Path, line: int, column: str, problems: list[str]) -> int | None:
    try:
        number = int(value)  # exact, however many digits
    except ValueError:
        try:
            number = float(value)  # "3.0" is a whole number too
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or number != int(number):
            problems.append(f"{path.name}, line {line}: {column} is not a whole number: {value!r}")
            return None
        number = int(number)
    if not -(2**63) < number < 2**63:
        problems.append(f"{path.name}, line {line}: {column} is too large: {value!r}")
        return None
    return number


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
    names = ["timestamp", "comment-id", "voter-id", "vote"]
    plain = _plain_integer_columns(votes_path, names)
    if plain is not None and np.isin(plain["vote"], list(VOTE_VALUES)).all():
        times, voted, voters, values = (plain[name] for name in names)
    else:
        times, voted, voters, values = _careful_votes(votes_path, names, problems)

    groups_path = directory / "participants-votes.csv"
    plain = _plain_integer_columns(
        groups_path, ["participant", "group-id"], may_be_empty=("group-id",)
    )
    if plain is not None:
        grouped = plain["group-id"] != EMPTY
        polis_groups = dict(
            zip(
                plain["participant"][grouped].tolist(),
                plain["group-id"][grouped].tolist(),
                strict=True,
            )
        )
    else:
        polis_groups = _careful_groups(groups_path, problems)

    known = set(statements)
    unknown = np.setdiff1d(voted, list(known)).tolist()
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


def _careful_votes(path: Path, names: list[str], problems: list[str]) -> tuple[np.ndarray, ...]:
    """votes.csv read row by row, each problem noted with its line."""
    times, voted, voters, values = [], [], [], []
    for line, header, record in _rows(path, names, problems):
        row = dict(zip(header, record, strict=True))
        parsed = [_integer(row[column], path, line, column, problems) for column in names]
        if None in parsed:
            continue
        timestamp, statement, voter, vote = parsed
        if vote not in VOTE_VALUES:
            problems.append(f"{path.name}, line {line}: vote must be -1, 0 or 1, not {vote}")
            continue
        times.append(timestamp)
        voted.append(statement)
        voters.append(voter)
        values.append(vote)
    return tuple(np.array(column, dtype=np.int64) for column in (times, voted, voters, values))


def _careful_groups(path: Path, problems: list[str]) -> dict[int, int]:
    """participants-votes.csv's group per participant, read row by row."""
    groups = {}
    for line, header, record in _rows(path, ["participant", "group-id"], problems):
        # By position: a row holds a field per statement, and only these two are read.
        person, group_text = record[header.index("participant")], record[header.index("group-id")]
        participant = _integer(person, path, line, "participant", problems)
        if group_text.strip() and participant is not None:
            group = _integer(group_text, path, line, "group-id", problems)
            if group is not None:
                groups[participant] = group
    return groups


def analyze_directory(directory: str | Path, *, meta=()) -> dict:
    """The opinion map of the export in `directory`, as `summary` gives it, with the adjusted
    Rand index against Pol.is's own groups when the export has them. Replayed as Pol.is's
    worker met the votes (analysis/history.py when there are few enough runs, and the rules of
    its 2017 engine for votes of that time, analysis/versions.py). `meta` are the ids of the
    statements Pol.is marked as meta, which an export does not say. Raises ExportError, and
    analyses nothing, when a row is wrong or a meta id is not a statement of the export."""
    export = read_export(directory)
    result = analyze_export(export, meta=meta)
    described = summary(result)
    if export.polis_groups:
        described["agreement_with_polis"] = agreement_with_polis(export, result)
    return described


def analyze_export(export: Export, *, meta=()) -> analysis.Analysis:
    """The replay of an export as Pol.is's engine met it. Pol.is removes meta statements from
    the map as it removes moderated-out ones. Its 2017 engine held as removed only the
    statements moderated while it kept them (analysis/versions.py): when no statement written
    in that time was moderated, the moderation of the others happened before it."""
    known = {comment.id for comment in export.comments}
    unknown = sorted(set(meta) - known)
    if unknown:
        raise ExportError([f"meta: no statement {', '.join(map(str, unknown))} in comments.csv"])
    removed = sorted(set(export.moderated_out) | set(meta))
    moderated = [comment.timestamp for comment in export.comments if comment.moderated != 0]
    moderated_then = bool(versions.in_2017_window(moderated).any())
    return analysis.analyze(
        export.matrix,
        moderated_out=removed,
        meta=meta,
        replay=True,
        removed_in_2017=removed if moderated_then else sorted(set(meta)),
        recomputed_after_fix=recomputed_after_fix(export, removed),
    )


def recomputed_after_fix(export: Export, removed) -> bool:
    """Whether Pol.is made the groups of votes that ended in 2017 with its later engine: they
    are then a partition of today's map, not of the 2017 one (analysis/versions.py)."""
    matrix = export.matrix
    if matrix.log is None or not export.polis_groups:
        return False
    timestamps = matrix.log[3]
    of_2017 = versions.in_2017_window(timestamps).any()
    if not (of_2017 and versions.last_update_before_fix(timestamps)):
        return False
    grouped = np.isin(matrix.participants, list(export.polis_groups))
    rows = np.flatnonzero(grouped)
    labels = [export.polis_groups[person] for person in matrix.participants[rows].tolist()]
    voted = ~np.isnan(matrix.values)
    excluded = np.isin(matrix.statements, list(removed))
    return versions.fits_better_today(matrix.values, voted, excluded, rows, labels)


def statement_ids(text: str) -> list[int]:
    """Statement ids written as a comma-separated list ("0,1,10"), for the command's --meta."""
    return [int(part) for part in text.split(",") if part.strip()]


#: The --meta option's help, the same for both ways of running the command.
META_HELP = (
    "comma-separated ids of the statements Pol.is marked as meta (an export does not say; "
    "see docs/opinion-maps.md)"
)


def describe(described: dict) -> list[str]:
    """`analyze_directory`'s answer as lines for a person to read."""
    lines = [
        f"{described['participants']} participants, {described['statements']} statements, "
        f"{len(described['in_conversation'])} in the conversation."
    ]
    for group in described["groups"]:
        statements = ", ".join(
            f"{entry['statement']} ({entry['direction']})" for entry in group["representative"]
        )
        lines.append(
            f"Group {group['id']}: {len(group['members'])} people; stands out on {statements}"
        )
    for side in ("agree", "disagree"):
        listed = ", ".join(map(str, described["consensus"][side])) or "none"
        lines.append(f"Broad consensus to {side}: {listed}")
    return lines


#: What the command says before the problems when an export cannot be read.
REFUSED = "Nothing was analysed or imported; fix these rows first:"


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
