"""The site layer: what assembles the apps into one Agora (the home page, the API, demo data,
the worker's periodic jobs, the page frame). It stands on every app; no app imports it."""

from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "agora.site"
    label = "site"
    verbose_name = "Site"
    demo_data = ("agora.site.demo.load_demo_identity",)

    def ready(self) -> None:
        from agora.core.models import SiteIdentity
        from agora.privacy.consent import add_document_page
        from agora.site.registry import declared
        from agora.site.views import FRONT_DOOR

        # The cached home page carries the header and footer, which show the site's identity.
        FRONT_DOOR.watch(SiteIdentity, *declared.home_models())
        # The privacy notice people accept is one of the site's own pages.
        add_document_page("privacy", "site:privacy")
