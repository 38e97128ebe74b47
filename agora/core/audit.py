"""Writing the audit log. Service functions call `record` inside their transaction."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from agora.core.models import AuditEntry


def record(action: str, target: models.Model, *, actor=None, **data) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        data=_storable(data),
    )


def _storable(value):
    """The data without NUL characters, which PostgreSQL's JSON refuses: a reason or a name
    someone typed must never stop the change it records."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def entries_for(target: models.Model):
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")
