"""The directory: authorities, offices, areas, topics, responsibilities, officials."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "agora.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from agora.directory import signals

        signals.connect()
