"""The site layer: what assembles the apps into one Agora (the home page, the API, demo data,
the worker's periodic jobs, the page frame). It stands on every app; no app imports it."""

from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "agora.site"
    label = "site"
    verbose_name = "Site"

    def ready(self) -> None:
        from agora.site.registry import declared
        from agora.site.views import FRONT_DOOR

        FRONT_DOOR.watch(*declared.home_models())
