"""Social network: follows, connections, blocks, mutes, posts, comments, feeds."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialConfig(AppConfig):
    name = "agora.social"
    label = "social"
    verbose_name = _("Social")
    # What the site layer assembles (see agora.site.registry).
    api_router = "agora.social.api.router"
    demo_data = ("agora.social.demo.load_demo_social",)

    def ready(self) -> None:
        # Social's notification kinds, blocks and mutes as who must not reach whom, posts and
        # comments as reportable content, its sections of the weekly summary, its parts of the
        # directory's pages and its own receivers of the directory's changes.
        from agora.accounts.pages import add_settings_link
        from agora.social import (  # noqa: F401
            moderating,
            notifying,
            pagemeta,
            parts,
            signals,
            summaries,
            syndication,
        )

        moderating.connect()
        parts.connect()
        add_settings_link("social:muted_words", _("Word filter"))
        signals.connect()
        syndication.connect()
        pagemeta.connect()
