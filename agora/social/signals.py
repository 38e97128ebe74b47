"""Social's receivers of other apps' changes: a change to a directory topic or area may change
which hashtags name it, so the tags are relinked after commit."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from agora.directory.models import Area, Topic


def _vocabulary_changed(sender, **kwargs):
    from agora.social.services import relink_tags

    transaction.on_commit(relink_tags)


def connect() -> None:
    for model in (Area, Topic):
        post_save.connect(_vocabulary_changed, sender=model, dispatch_uid=f"social-tags-{model}")
        post_delete.connect(
            _vocabulary_changed, sender=model, dispatch_uid=f"social-tags-{model}-d"
        )
