"""Any change to the directory makes the routing index stale: bump its version. (Apps above
the directory connect their own receivers: social relinks its tags, see `social.signals`.)"""

from django.db.models.signals import post_delete, post_save


def _directory_changed(sender, **kwargs):
    from agora.directory.index import invalidate

    invalidate()


def connect() -> None:
    from agora.directory.models import Area, Authority, Office, Responsibility, Topic

    for model in (Authority, Office, Responsibility, Area, Topic):
        post_save.connect(_directory_changed, sender=model, dispatch_uid=f"directory-{model}")
        post_delete.connect(_directory_changed, sender=model, dispatch_uid=f"directory-{model}-d")
