"""Questions and problem reports: routing, timeline, transfers, answers, Open311."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "agora.cases"
    label = "cases"
    verbose_name = _("Cases")
    # What the site layer assembles (see agora.site.registry).
    api_router = "agora.cases.api.router"
    api_prefix = "/cases"
    demo_data = ("agora.cases.demo.load_demo_cases",)
    home_sections = ("agora.cases.home.recent_cases",)
    home_changes_with = ("cases.Case", "directory.Office")

    def ready(self) -> None:
        # Cases' notification kinds and an office's response figures on its directory page.
        from agora.cases import notifying, pagemeta, parts  # noqa: F401

        parts.connect()
        pagemeta.connect()

        # Public cases and the comments on them are reportable (moderation's registry).
        from agora.cases import moderating

        moderating.connect()

        # Public cases counted by place, and drawn as points, on the directory's map page.
        from agora.cases import map as case_map

        case_map.connect()

        # Someone who wrote before they had an account lands on their words; an official
        # signing in lands on their inbox.
        from agora.accounts import landing

        landing.register(parts.a_kept_draft_waits)
        landing.register(parts.officials_land_on_their_inbox)

        # What a visitor wrote becomes theirs when they sign up or sign in.
        from allauth.account.signals import user_signed_up
        from django.contrib.auth.signals import user_logged_in

        from agora.cases import drafts

        user_signed_up.connect(drafts.adopt, dispatch_uid="cases.drafts.signed_up")
        user_logged_in.connect(drafts.adopt, dispatch_uid="cases.drafts.logged_in")

        # Errors answered before Open311's views run (an outage, an over-long address) take
        # its error format.
        from agora.cases import open311
        from agora.core.errors import register_shape

        register_shape("/open311/", open311.shaped_error)
