"""What a kind of commented thing asks of social's generic comments, declared by the app that
owns the kind from its AppConfig's `ready`, so social never imports it: for now, whether a
comment takes an alignment (in favour, against, neutral), as a proposal's do. A kind not
registered takes none."""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class CommentTarget:
    model: type[models.Model]
    takes_alignment: bool = False


_targets: dict[type[models.Model], CommentTarget] = {}


def register(target: CommentTarget) -> CommentTarget:
    _targets[target.model] = target
    return target


def takes_alignment(thing: models.Model) -> bool:
    target = _targets.get(type(thing)._meta.concrete_model)
    return bool(target and target.takes_alignment)
