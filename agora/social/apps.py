"""Social network: follows, connections, blocks, mutes, posts, comments, feeds."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialConfig(AppConfig):
    name = "agora.social"
    label = "social"
    verbose_name = _("Social")
