"""Results: what came of accepted proposals and successful petitions. The office reports its
status, progress and dated updates; residents follow it and hear of each update."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "agora.results"
    label = "results"
    verbose_name = _("Results")
    api_router = "agora.results.api.router"
    api_prefix = "/results"
    demo_data = ("agora.results.demo.load_demo_results",)

    def ready(self) -> None:
        # The notification kind, the result as a followable source, the process page's part.
        from agora.results import notifying, parts, sources  # noqa: F401

        parts.connect()
