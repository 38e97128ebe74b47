"""What a result can come from, as a registry the apps above results fill (proposals, later
petitions and budgets), so results never imports them. A kind says how to name a thing, link
to it, whether a reader may see it, whether it may become a result now, what a new result
starts with, and who hears of the result's updates (its author, its supporters or signers).

    register(OriginKind(key="proposal", model=Proposal, ...))   # from the app's ready()

A result stores its origins as (kind, object id) rows (`ResultOrigin`)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import QuerySet

from agora.results.models import ResultOrigin


@dataclass(frozen=True)
class OriginKind:
    key: str  # stored on `ResultOrigin.kind`, sent by the API: at most 24 characters
    model: type[models.Model]
    label: Any  # "Proposal", in the reader's language (lazy)
    title_of: Callable[[Any], str]
    url_of: Callable[[Any], str]
    visible_to: Callable[[Any, Any], bool]  # (person, thing)
    process_of: Callable[[Any], Any]  # the thing's process: a result stays in it
    # Why the thing cannot become a result now (a sentence), or "" when it can.
    refusal: Callable[[Any], str] = field(default=lambda thing: "")
    # What a result made from it starts with: {"title": ..., "description": ...}.
    prefill: Callable[[Any], dict] = field(default=lambda thing: {})
    # Who hears of the result's updates: a queryset of people (its author, supporters...).
    people: Callable[[Any], QuerySet] | None = None
    # The things of a process that may become results and have none yet (what the office
    # is offered on the process's results page).
    waiting: Callable[[Any], QuerySet] | None = None


_kinds: dict[str, OriginKind] = {}


def register(kind: OriginKind) -> OriginKind:
    if len(kind.key) > 24:
        raise ValueError(f"An origin kind's key has at most 24 characters: {kind.key}")
    if _kinds.get(kind.key, kind) != kind:
        raise ValueError(f"The origin kind {kind.key} is registered twice, differently")
    _kinds[kind.key] = kind
    return kind


def kinds() -> list[OriginKind]:
    return list(_kinds.values())


def kind_named(key: str) -> OriginKind | None:
    return _kinds.get(key)


def kind_of(thing) -> OriginKind:
    for kind in _kinds.values():
        if isinstance(thing, kind.model):
            return kind
    raise TypeError(f"{type(thing).__name__} is no registered origin of results")


def find(key: str, object_id) -> Any | None:
    """The thing of that kind and id, or None (an unknown kind, a malformed or missing id)."""
    kind = _kinds.get(key)
    try:
        object_id = int(object_id)
    except (TypeError, ValueError):
        return None
    if kind is None or not 0 < object_id < 2**63:
        return None
    return kind.model.objects.filter(pk=object_id).first()


def waiting_in(process, *, limit: int = 10) -> list[tuple[OriginKind, Any]]:
    """What may become a result in the process and has none yet: one query per kind."""
    found = []
    for kind in _kinds.values():
        if kind.waiting is None:
            continue
        taken = ResultOrigin.objects.filter(kind=kind.key).values("object_id")
        rows = kind.waiting(process).exclude(pk__in=taken).order_by("-pk")[:limit]
        found += [(kind, thing) for thing in rows]
    return found


def things_of(rows) -> list[tuple[OriginKind, Any]]:
    """The things behind `ResultOrigin` rows, one query per kind present."""
    wanted: dict[str, list[int]] = {}
    for row in rows:
        wanted.setdefault(row.kind, []).append(row.object_id)
    found = []
    for key, ids in wanted.items():
        kind = _kinds.get(key)
        if kind is None:
            continue
        for thing in kind.model.objects.filter(pk__in=ids).order_by("pk"):
            found.append((kind, thing))
    return found
