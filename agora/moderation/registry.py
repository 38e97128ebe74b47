"""What can be reported, registered by the app that owns it: how the queue shows an item, who
wrote it, where it is read, and how it is hidden and shown again. Moderation keeps no list of
the apps; a new kind of content is reportable with one `register(ReportableKind(...))` from its
app's `ready`.

A kind whose model carries `Moderated`'s field (`moderation_state`) is hidden by setting it;
the owning app's read paths leave out what is not visible to anyone but its author. A kind
without it hides through its own `set_shown`, or (profiles) cannot be hidden: its decisions
are about the account."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ReportableKind:
    #: Stored with every report and decision (at most 24 characters).
    name: str
    model: type[models.Model]
    #: What people call one: "post", "comment", "profile".
    label: str
    #: The person who wrote the item (the one a decision restricts).
    author: Callable[[models.Model], object]
    #: A short excerpt for the queue and the statement of reasons.
    excerpt: Callable[[models.Model], str]
    #: Where the item is read.
    url: Callable[[models.Model], str]
    #: Speaks for the authority (an office's announcement, an official answer): reports on it
    #: always go to a person, never hide it on their own.
    is_official: Callable[[models.Model], bool] = field(default=lambda item: False)
    #: Whether the reporter may see the item (they can only report what they can read).
    visible_to: Callable[[object, models.Model], bool] = field(default=lambda person, item: True)
    #: The process or office the item belongs to (a proposal's process, a case's office, an
    #: announcement's office), or None: moderators scoped to it see and decide it
    #: (`ModeratorScope`); moderators without a scope see everything.
    scope: Callable[[models.Model], models.Model | None] = field(default=lambda item: None)
    #: For a model without `moderation_state`: how its app hides and shows it again, given a
    #: `ModerationState` (a conversation's statement is removed; a case is made private).
    set_shown: Callable[[models.Model, str], None] | None = None

    @property
    def can_be_hidden(self) -> bool:
        return self.set_shown is not None or any(
            f.name == "moderation_state" for f in self.model._meta.get_fields()
        )


_kinds: dict[str, ReportableKind] = {}


def register(kind: ReportableKind) -> ReportableKind:
    if len(kind.name) > 24:
        raise ValueError(f"A reportable kind's name has at most 24 characters: {kind.name}")
    if _kinds.get(kind.name, kind) != kind:
        raise ValueError(f"The reportable kind {kind.name} is registered twice, differently")
    _kinds[kind.name] = kind
    return kind


def kinds() -> list[ReportableKind]:
    return list(_kinds.values())


def kind(name: str) -> ReportableKind | None:
    return _kinds.get(name)


def kind_of(item: models.Model) -> ReportableKind | None:
    return next((each for each in _kinds.values() if isinstance(item, each.model)), None)


@dataclass(frozen=True)
class ScopeWithin:
    """One kind of scope lying inside another: a process inside its responsible office. A
    moderator scoped to the outer one (an office) moderates what belongs to the inner ones
    (its processes) too. Registered by the app that owns the inner kind, so moderation knows
    neither."""

    inner: type[models.Model]
    outer: type[models.Model]
    #: The inner scopes' primary keys inside the given outer ones, as a query (a subquery of
    #: the moderator's filter: no query of its own).
    inner_ids: Callable[[list[int]], models.QuerySet]


_within: list[ScopeWithin] = []


def register_scope_within(nesting: ScopeWithin) -> ScopeWithin:
    if nesting not in _within:
        _within.append(nesting)
    return nesting


def scopes_within() -> list[ScopeWithin]:
    return list(_within)


def register_profiles() -> None:
    """A person's profile: reportable for what it says (name, bio), decided about the account."""
    from agora.accounts.models import User
    from agora.accounts.permissions import can_view_profile

    register(
        ReportableKind(
            name="profile",
            model=User,
            label=_("profile"),
            author=lambda person: person,
            excerpt=lambda person: f"{person.name} (@{person.handle}) {person.bio}".strip(),
            url=lambda person: reverse("accounts:profile", args=[person.handle]),
            visible_to=lambda viewer, person: can_view_profile(viewer, person),
        )
    )
