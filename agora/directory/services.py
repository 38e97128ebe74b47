"""Every change to the directory goes through one of these verbs. Each runs in a transaction
and writes the audit log."""

from collections import Counter
from pathlib import Path

from django.db import transaction

from agora.core import audit
from agora.directory.importer import ORDER, CheckedFile, Record, read_directory_file
from agora.directory.models import (
    Area,
    Authority,
    Office,
    OfficeMembership,
    OfficeRole,
    Responsibility,
    Topic,
)
from agora.directory.permissions import forget_offices

MODELS = {"authority": Authority, "area": Area, "office": Office, "topic": Topic}


def _parents_first(records: list[Record]) -> list[Record]:
    """Records whose parent is in the same file come after that parent."""
    by_slug = {record.slug: record for record in records}
    ordered, placed = [], set()

    def place(record: Record, trail: frozenset = frozenset()) -> None:
        if record.slug in placed or record.slug in trail:
            return
        parent = by_slug.get(record.references.get("parent") or "")
        if parent is not None:
            place(parent, trail | {record.slug})
        placed.add(record.slug)
        ordered.append(record)

    for record in records:
        place(record)
    return ordered


def _save(instance, values: dict, *, created: bool, by, source: str, kind: str) -> str:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if not created and not changed:
        return "unchanged"
    for name in changed:
        setattr(instance, name, values[name])
    instance.full_clean(validate_unique=False, validate_constraints=False)
    instance.save()
    audit.record(
        f"directory.{kind}_{'created' if created else 'updated'}",
        instance,
        actor=by,
        source=source,
        fields=sorted(changed),
    )
    return "created" if created else "updated"


@transaction.atomic
def import_directory(checked: CheckedFile, *, by=None, source: str = "") -> Counter:
    """Write a checked directory file: create what is new, update what changed, matched by
    slug (responsibilities by topic and area); rows that change nothing write nothing, so
    importing the same file twice is harmless. Returns counts like {"office created": 3}."""
    counts: Counter = Counter()
    saved: dict[str, dict[str, object]] = {kind: {} for kind in ORDER}

    def resolve(kind: str, slug: str):
        if not slug:
            return None
        if slug not in saved[kind]:
            saved[kind][slug] = MODELS[kind].objects.get(slug=slug)
        return saved[kind][slug]

    for kind in ("authority", "area", "office", "topic"):
        records = _parents_first(checked.records[kind])
        existing = MODELS[kind].objects.in_bulk(
            [record.slug for record in records], field_name="slug"
        )
        for record in records:
            instance = existing.get(record.slug)
            created = instance is None
            if created:
                instance = MODELS[kind](slug=record.slug)
            values = dict(record.values)
            for name, target in (("parent", kind), ("authority", "authority")):
                if name in record.references:
                    target_object = resolve(target, record.references[name])
                    values[f"{name}_id"] = target_object.pk if target_object else None
            outcome = _save(instance, values, created=created, by=by, source=source, kind=kind)
            saved[kind][record.slug] = instance
            counts[f"{kind} {outcome}"] += 1

    for record in checked.records["responsibility"]:
        topic = resolve("topic", record.references["topic"])
        area = resolve("area", record.references["area"])
        office = resolve("office", record.references["office"])
        instance = Responsibility.objects.filter(topic=topic, area=area).first()
        created = instance is None
        if created:
            instance = Responsibility(topic=topic, area=area)
        values = {**record.values, "office_id": office.pk}
        outcome = _save(
            instance, values, created=created, by=by, source=source, kind="responsibility"
        )
        counts[f"responsibility {outcome}"] += 1
    return counts


def import_directory_file(path: Path, *, by=None) -> Counter:
    """Check the whole file, then write it in one transaction: all of it or nothing."""
    return import_directory(read_directory_file(path), by=by, source=Path(path).name)


@transaction.atomic
def add_official(
    office: Office, user, *, role: str = OfficeRole.OFFICIAL, title: str = "", by=None
) -> OfficeMembership:
    """Make the person an official of the office (or change their role there)."""
    forget_offices(user)
    membership, created = OfficeMembership.objects.get_or_create(
        office=office, user=user, defaults={"role": role, "title": title}
    )
    if not created and (membership.role, membership.title) != (role, title):
        membership.role, membership.title = role, title
        membership.save(update_fields=["role", "title"])
    elif not created:
        return membership
    audit.record(
        "directory.official_added" if created else "directory.official_changed",
        membership,
        actor=by,
        office=office.slug,
        user=user.pk,
        role=role,
    )
    return membership


@transaction.atomic
def remove_official(office: Office, user, *, by=None) -> bool:
    """The person no longer acts for the office: from now on they cannot post as it, nor
    change what they posted as it. Their announcements stay, signed. Returns whether they
    were an official of it."""
    forget_offices(user)
    membership = OfficeMembership.objects.filter(office=office, user=user).first()
    if membership is None:
        return False
    audit.record(
        "directory.official_removed", membership, actor=by, office=office.slug, user=user.pk
    )
    membership.delete()
    return True
