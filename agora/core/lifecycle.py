"""Declared lifecycles: which action moves an object from which states to which, checked in one
place and applied with a conditional update, so two workers cannot both win. Domain-free: cases
declare theirs, and proposals, petitions, reports and budgets can declare their own."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.db import models

from agora.core.signals import changed


class TransitionError(Exception):
    """An action the object's state does not allow. The message is for programmers and logs;
    an app says it to people in its own words."""

    def __init__(self, action: str, state: str, message: str = "") -> None:
        super().__init__(message or f"The action “{action}” is not allowed from “{state}”.")
        self.action = action
        self.state = state


class StaleTransition(TransitionError):
    """The object was moved (or its other conditions changed) in the database since it was
    read: someone else won, and this change was not made."""

    def __init__(self, action: str, state: str) -> None:
        super().__init__(
            action,
            state,
            f"The action “{action}” lost: the object is no longer “{state}” as it was read, "
            "or it changed under us.",
        )


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None keeps the state


class Lifecycle:
    """A transition table, `action -> (states it is allowed from, state it leads to or None to
    keep the state)`, over the model field `field`."""

    def __init__(
        self,
        transitions: Mapping[str, tuple[Collection[str], str | None]],
        *,
        field: str = "state",
    ) -> None:
        self.field = field
        self.transitions = {
            action: Transition(frozenset(sources), target)
            for action, (sources, target) in transitions.items()
        }

    def allows(self, action: str, state: str) -> bool:
        return state in self.transitions[action].sources

    def allowed_actions(self, state: str) -> list[str]:
        """The actions allowed from `state`, in the order they were declared."""
        return [action for action in self.transitions if self.allows(action, state)]

    def move(
        self,
        obj: models.Model,
        action: str,
        *,
        conditions: Mapping[str, object] | None = None,
        **changes,
    ) -> models.Model:
        """Apply `action` to `obj` with the `changes` that go with it, and answer `obj` as it
        is now. The update only matches the row while it is still in the state `obj` was read
        in (and matches `conditions`), so an object someone else moved in the meantime loses
        with StaleTransition, even when its new state would allow the action too. Sends
        `agora.core.signals.changed`, as no `post_save` follows an update."""
        state = getattr(obj, self.field)
        transition = self.transitions[action]
        if state not in transition.sources:
            raise TransitionError(action, state)
        values = dict(changes)
        if transition.target is not None:
            values[self.field] = transition.target
        updated = (
            type(obj)
            ._default_manager.filter(pk=obj.pk, **{self.field: state}, **(conditions or {}))
            .update(**values)
        )
        if not updated:
            raise StaleTransition(action, state)
        for name, value in values.items():
            setattr(obj, name, value)
        changed.send(sender=type(obj), instance=obj)
        return obj
