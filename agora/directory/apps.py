"""The directory: authorities, offices, areas, topics, responsibilities, officials."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "agora.directory"
    label = "directory"
    verbose_name = _("Directory")
    # What the site layer assembles (see agora.site.registry).
    api_router = "agora.directory.api.router"
    api_prefix = "/directory"
    demo_data = ("agora.directory.demo.load_demo_directory",)

    def ready(self):
        from agora.accounts import kinds
        from agora.directory import pagemeta, signals
        from agora.directory.permissions import office_required_for_institutional

        signals.connect()
        pagemeta.connect()
        kinds.register_requirement(
            kinds.AccountKind.INSTITUTIONAL, office_required_for_institutional
        )
