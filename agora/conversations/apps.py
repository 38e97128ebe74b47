"""Opinion maps: statements, votes, opinion groups and consensus, as Pol.is computes them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "agora.conversations"
    label = "conversations"
    verbose_name = _("Conversations")
