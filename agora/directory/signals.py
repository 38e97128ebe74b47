"""Any change to the directory makes the routing index stale: bump its version. A change to a
topic or an area may also change which hashtags name it: relink the tags after commit."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _directory_changed(sender, **kwargs):
    from agora.directory.index import invalidate

    invalidate()


def _relink_tags() -> None:
    from agora.social.services import relink_tags

    relink_tags()


def _vocabulary_changed(sender, **kwargs):
    _directory_changed(sender, **kwargs)
    transaction.on_commit(_relink_tags)


def connect() -> None:
    from agora.directory.models import Area, Authority, Office, Responsibility, Topic

    for model in (Authority, Office, Responsibility):
        post_save.connect(_directory_changed, sender=model, dispatch_uid=f"directory-{model}")
        post_delete.connect(_directory_changed, sender=model, dispatch_uid=f"directory-{model}-d")
    for model in (Area, Topic):
        post_save.connect(_vocabulary_changed, sender=model, dispatch_uid=f"directory-{model}")
        post_delete.connect(_vocabulary_changed, sender=model, dispatch_uid=f"directory-{model}-d")
