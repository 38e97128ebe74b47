"""Reading and checking a directory file before anything is written.

A file is CSV or JSON Lines: one record per row or line, each with a `type` (authority, area,
office, topic, responsibility) and that type's fields (docs/directory-import.md). Every record
is checked and every problem reported with its line number, so one run shows all of them."""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agora.directory.models import (
    Area,
    AreaKind,
    Authority,
    AuthorityKind,
    Office,
    OfficeKind,
    Responsibility,
    Topic,
)

MAX_FILE_BYTES = 10 * 1024 * 1024

TEXT_FIELDS = {
    "authority": ["name_en", "name_es", "kind", "website"],
    "area": ["name_en", "name_es", "kind", "aliases", "boundary"],
    "office": [
        "name_en",
        "name_es",
        "kind",
        "description_en",
        "description_es",
        "email",
        "phone",
        "address",
        "website",
        "opening_hours_en",
        "opening_hours_es",
    ],
    "topic": [
        "name_en",
        "name_es",
        "description_en",
        "description_es",
        "keywords_en",
        "keywords_es",
    ],
    "responsibility": ["handles_en", "handles_es", "excludes_en", "excludes_es"],
}
REFERENCES = {
    "authority": {},
    "area": {"parent": "area"},
    "office": {"parent": "office", "authority": "authority"},
    "topic": {"parent": "topic"},
    "responsibility": {"topic": "topic", "area": "area", "office": "office"},
}
REQUIRED = {
    "authority": ["slug", "name_en"],
    "area": ["slug", "name_en", "kind"],
    "office": ["slug", "name_en", "authority"],
    "topic": ["slug", "name_en"],
    "responsibility": ["topic", "area", "office"],
}
DEFAULTS = {
    "authority": {"kind": AuthorityKind.CITY},
    "office": {"kind": OfficeKind.DEPARTMENT},
}
MODELS = {
    "authority": Authority,
    "area": Area,
    "office": Office,
    "topic": Topic,
    "responsibility": Responsibility,
}
# The order records are written in, so every reference points at something already there.
ORDER = ["authority", "area", "office", "topic", "responsibility"]
LIST_FIELDS = {"aliases", "keywords_en", "keywords_es"}


@dataclass
class Record:
    line: int
    type: str
    slug: str  # for a responsibility: "topic@area"
    values: dict  # text fields, ready for the model
    references: dict  # field -> slug ("" for none)


@dataclass
class RecordError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class DirectoryFileError(Exception):
    """The file cannot be imported; `errors` says where and why, line by line."""

    def __init__(self, errors: list[RecordError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class CheckedFile:
    records: dict[str, list[Record]] = field(default_factory=lambda: {kind: [] for kind in ORDER})


def _as_text(name: str, value) -> str:
    if value is None:
        return ""
    if name in LIST_FIELDS and isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise ValueError(_("%(field)s: a list of texts is expected.") % {"field": name})
        return "; ".join(item.strip() for item in value if item.strip())
    if name == "boundary":
        return value
    if not isinstance(value, str):
        raise ValueError(_("%(field)s: text is expected.") % {"field": name})
    return value.strip()


def read_lines(path: Path) -> list[tuple[int, dict]]:
    """The raw records of a file with their line numbers."""
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise DirectoryFileError([RecordError(0, _("The file is larger than 10 MB."))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DirectoryFileError([RecordError(line, _("The file is not UTF-8 text."))]) from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(text)
    if suffix in {".jsonl", ".json", ".ndjson"}:
        return _read_json_lines(text)
    raise DirectoryFileError(
        [
            RecordError(
                0, _("Use a .csv or .jsonl file; %(suffix)s is neither.") % {"suffix": suffix}
            )
        ]
    )


def _read_csv(text: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    known = {"type", "slug", "parent", "authority", "topic", "area", "office"}
    for fields in TEXT_FIELDS.values():
        known.update(fields)
    unknown = [name for name in reader.fieldnames or [] if name not in known]
    if not reader.fieldnames or "type" not in reader.fieldnames:
        raise DirectoryFileError(
            [RecordError(1, _("The first line must name the columns, type among them."))]
        )
    if unknown:
        raise DirectoryFileError(
            [RecordError(1, _("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)})]
        )
    rows = []
    try:
        for row in reader:
            if None in row:
                rows.append(
                    (
                        reader.line_num,
                        {"__error__": _("This row has more cells than there are columns.")},
                    )
                )
                continue
            if not any((value or "").strip() for value in row.values()):
                continue
            values = {name: value for name, value in row.items() if value not in (None, "")}
            if "boundary" in values:
                try:
                    values["boundary"] = json.loads(values["boundary"])
                except ValueError:
                    values["boundary"] = {"__invalid__": True}
            rows.append((reader.line_num, values))
    except csv.Error as error:
        raise DirectoryFileError([RecordError(reader.line_num, str(error))]) from None
    return rows


def _read_json_lines(text: str) -> list[tuple[int, dict]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            rows.append((number, {"__error__": _("This line is not valid JSON.")}))
            continue
        if not isinstance(value, dict):
            rows.append((number, {"__error__": _("Each line must be a JSON object.")}))
            continue
        rows.append((number, value))
    return rows


def _check_boundary(value) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, dict) or value.get("type") not in {"Polygon", "MultiPolygon"}:
        return _("boundary: a GeoJSON Polygon or MultiPolygon object is expected.")
    if not isinstance(value.get("coordinates"), list) or not value["coordinates"]:
        return _("boundary: the polygon has no coordinates.")
    return None


def _validate_fields(kind: str, values: dict) -> list[str]:
    """The model's own field checks (lengths, choices, slugs, email and web addresses)."""
    model = MODELS[kind]
    instance = model(**{name: value for name, value in values.items() if name != "boundary"})
    problems = []
    exclude = {f.name for f in model._meta.fields if f.is_relation} | {"boundary", "id"}
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            problems.extend(f"{name}: {message}" for message in messages)
    return problems


def check_rows(rows: list[tuple[int, dict]]) -> CheckedFile:
    """Check every record; raise DirectoryFileError with all problems, or return them parsed."""
    checked = CheckedFile()
    errors: list[RecordError] = []
    seen: dict[tuple[str, str], int] = {}
    for line, data in rows:
        if "__error__" in data:
            errors.append(RecordError(line, data["__error__"]))
            continue
        kind = str(data.get("type", "")).strip().lower()
        if kind not in MODELS:
            errors.append(
                RecordError(
                    line,
                    _("type must be one of %(types)s.") % {"types": ", ".join(ORDER)},
                )
            )
            continue
        allowed = {"type", "slug", *TEXT_FIELDS[kind], *REFERENCES[kind]}
        if kind == "responsibility":
            allowed.discard("slug")
        problems = []
        extra = sorted(name for name, value in data.items() if name not in allowed and value)
        if extra:
            problems.append(
                _("fields that a %(type)s does not have: %(names)s.")
                % {"type": kind, "names": ", ".join(extra)}
            )
        values, references = dict(DEFAULTS.get(kind, {})), {}
        for name in TEXT_FIELDS[kind]:
            if name in data:
                try:
                    text = _as_text(name, data[name])
                except ValueError as error:
                    problems.append(str(error))
                    continue
                if text != "" or name not in values:
                    values[name] = text
        for name in REFERENCES[kind]:
            reference = data.get(name) or ""
            if not isinstance(reference, str):
                problems.append(_("%(field)s: a slug is expected.") % {"field": name})
                reference = ""
            references[name] = reference.strip()
        slug = str(data.get("slug") or "").strip() if kind != "responsibility" else ""
        for name in REQUIRED[kind]:
            present = slug if name == "slug" else values.get(name) or references.get(name)
            if not present:
                problems.append(_("%(field)s is required.") % {"field": name})
        if kind == "area":
            boundary_problem = _check_boundary(values.get("boundary"))
            if boundary_problem:
                problems.append(boundary_problem)
            if values.get("kind") and values["kind"] not in AreaKind.values:
                problems.append(
                    _("kind must be one of %(kinds)s.") % {"kinds": ", ".join(AreaKind.values)}
                )
        if kind != "responsibility":
            values["slug"] = slug
        if not problems:
            problems.extend(_validate_fields(kind, values))
        if kind == "responsibility":
            slug = f"{references.get('topic')}@{references.get('area')}"
        key = (kind, slug)
        if slug and key in seen:
            problems.append(
                _("this %(type)s is already on line %(line)d.") % {"type": kind, "line": seen[key]}
            )
        seen.setdefault(key, line)
        if kind != "responsibility" and references.get("parent") == slug and slug:
            problems.append(_("parent: an entry cannot be inside itself."))
        if problems:
            errors.extend(RecordError(line, problem) for problem in problems)
            continue
        values.pop("slug", None)
        checked.records[kind].append(Record(line, kind, slug, values, references))
    errors.extend(_check_references(checked))
    if errors:
        raise DirectoryFileError(sorted(errors, key=lambda error: error.line))
    return checked


def _check_references(checked: CheckedFile) -> list[RecordError]:
    """Every slug referred to exists in the file or the database, and no parent chain loops."""
    errors = []
    in_file = {kind: {record.slug for record in checked.records[kind]} for kind in ORDER}
    wanted: dict[str, set[str]] = {kind: set() for kind in ORDER}
    for kind in ORDER:
        for record in checked.records[kind]:
            for name, target in REFERENCES[kind].items():
                if record.references.get(name):
                    wanted[target].add(record.references[name])
    in_database = {
        kind: set(
            MODELS[kind]
            .objects.filter(slug__in=wanted[kind] - in_file[kind])
            .values_list("slug", flat=True)
        )
        for kind in ORDER
        if kind != "responsibility"
    }
    for kind in ORDER:
        for record in checked.records[kind]:
            for name, target in REFERENCES[kind].items():
                slug = record.references.get(name)
                if slug and slug not in in_file[target] and slug not in in_database[target]:
                    errors.append(
                        RecordError(
                            record.line,
                            _(
                                "%(field)s: there is no %(type)s “%(slug)s” in the file or the "
                                "directory."
                            )
                            % {"field": name, "type": target, "slug": slug},
                        )
                    )
    for kind in ("area", "office", "topic"):
        errors.extend(_check_loops(kind, checked.records[kind]))
    return errors


def _check_loops(kind: str, records: list[Record]) -> list[RecordError]:
    parents = dict(
        MODELS[kind].objects.filter(parent__isnull=False).values_list("slug", "parent__slug")
    )
    parents.update({record.slug: record.references.get("parent") or None for record in records})
    errors = []
    for record in records:
        seen = {record.slug}
        current = parents.get(record.slug)
        while current:
            if current in seen:
                errors.append(
                    RecordError(
                        record.line,
                        _("parent: “%(slug)s” would end up inside itself.") % {"slug": record.slug},
                    )
                )
                break
            seen.add(current)
            current = parents.get(current)
    return errors


def read_directory_file(path: Path) -> CheckedFile:
    return check_rows(read_lines(path))
