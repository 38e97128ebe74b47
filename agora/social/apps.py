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
