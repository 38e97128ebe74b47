"""Shared pieces: audit log, background tasks, health check, base templates."""

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "agora.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.conf import settings
        from django.core.signals import request_finished
        from django_tasks.signals import task_finished, task_started

        from agora.core import (
            identity,  # noqa: F401 - forgets the cached identity on change
            logs,
        )
        from agora.core.ratelimit import Rate

        # A task's log lines carry the id of the request that enqueued it.
        request_finished.connect(logs.forget_request_id, dispatch_uid="agora-request-id-end")
        task_started.connect(logs.task_started, dispatch_uid="agora-request-id-started")
        task_finished.connect(logs.task_finished, dispatch_uid="agora-request-id-finished")

        # A malformed rate stops start-up with a message naming the variable.
        for name in ("AGORA_API_RATE", "AGORA_POST_RATE", "AGORA_COMMENT_RATE"):
            try:
                Rate.parse(getattr(settings, name))
            except ImproperlyConfigured as error:
                raise ImproperlyConfigured(f"{name}: {error}") from error
