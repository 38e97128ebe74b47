"""The API keys Open311 applications send their reports with."""

from django.db import transaction

from agora.cases.models import Open311ApiKey
from agora.core import audit


@transaction.atomic
def create_open311_key(name: str, *, by=None) -> str:
    """A new api_key for an Open311 application; the key is returned once, only its hash kept."""
    key = Open311ApiKey.new_key()
    application = Open311ApiKey.objects.create(
        name=name.strip(), key_hash=Open311ApiKey.hash(key), created_by=by
    )
    audit.record("cases.open311_key_created", application, actor=by, name=application.name)
    return key
