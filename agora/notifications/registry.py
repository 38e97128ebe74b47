"""What other apps plug into notifications: the kinds of notification they send, and who must
not reach whom. Notifications keeps no list of them; each app registers its own when Django
starts (from its AppConfig's `ready`), and a later app (proposals, moderation) adds its kinds
and its filters the same way without editing this app."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, Q


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification: its stored name (at most 24 characters), the label people see
    in their preferences and as an email's subject, and the template that says in one sentence
    what happened (it reads `notification`, and `name`, `office`, `subject` and `event`)."""

    name: str
    label: str
    template: str


_kinds: dict[str, NotificationKind] = {}

#: A barrier: (person, field) -> a condition on rows, true where the person in the row's
#: `field` (a user's `pk`, a notification's `actor`) and `person` must not reach each other
#: either way (blocks; later, suspended people).
Barrier = Callable[[object, str], Q | Exists]
#: A quieting: (actor, field) -> a condition on rows, true where the person in the row's
#: `field` asked not to hear from `actor` (mutes); heeded where a sender asks for it.
Quieting = Callable[[object, str], Q | Exists]

_barriers: list[Barrier] = []
_quietings: list[Quieting] = []


def register_kind(name: str, *, label, template: str) -> str:
    """Register a kind of notification and answer its name, for `notify(kind=...)`."""
    if len(name) > 24:
        raise ValueError(f"A notification kind's name has at most 24 characters: {name}")
    kind = NotificationKind(name=name, label=label, template=template)
    if _kinds.get(name, kind) != kind:
        raise ValueError(f"The notification kind {name} is registered twice, differently")
    _kinds[name] = kind
    return name


def kinds() -> list[NotificationKind]:
    """Every registered kind, in the order apps registered them."""
    return list(_kinds.values())


def kind_names() -> list[str]:
    return list(_kinds)


def kind(name: str) -> NotificationKind | None:
    return _kinds.get(name)


def register_barrier(barrier: Barrier) -> None:
    if barrier not in _barriers:
        _barriers.append(barrier)


def register_quieting(quieting: Quieting) -> None:
    if quieting not in _quietings:
        _quietings.append(quieting)


def kept_apart(person, field: str):
    """Rows whose `field` person and `person` must not reach each other (every barrier), as a
    condition for `exclude`; None when no app set a barrier."""
    return _any(barrier(person, field) for barrier in _barriers)


def quieted(actor, field: str):
    """Rows whose `field` person asked not to hear from `actor` (every quieting); None when
    no app offers one."""
    return _any(quieting(actor, field) for quieting in _quietings)


def _any(conditions):
    combined = None
    for condition in conditions:
        combined = condition if combined is None else combined | condition
    return combined
