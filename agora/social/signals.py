"""Social's receivers of other apps' changes: a change to a directory topic or area may change
which hashtags name it, so the tags are relinked after commit; signing in reads the person's
word filter into the cache, so their pages never query for it."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save

from agora.core.transactions import on_commit_once
from agora.directory.models import Area, Topic


def _vocabulary_changed(sender, **kwargs):
    from agora.social.services import relink_tags

    on_commit_once("social:relink-tags", relink_tags)


def _signed_in(sender, user, **kwargs):
    from agora.social.wordfilter import remember

    remember(user)


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="social-word-filter")
    for model in (Area, Topic):
        post_save.connect(_vocabulary_changed, sender=model, dispatch_uid=f"social-tags-{model}")
        post_delete.connect(
            _vocabulary_changed, sender=model, dispatch_uid=f"social-tags-{model}-d"
        )
