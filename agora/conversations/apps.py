"""Opinion maps: statements, votes, opinion groups and consensus, as Pol.is computes them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "agora.conversations"
    label = "conversations"
    verbose_name = _("Conversations")
    # What the site layer assembles (see agora.site.registry).
    api_router = "agora.conversations.api.router"
    api_prefix = "/conversations"
    demo_data = ("agora.conversations.demo.load_demo_conversation",)
    home_sections = ("agora.conversations.home.open_conversations",)
    home_changes_with = ("conversations.Conversation",)

    def ready(self) -> None:
        # Statements are reportable (moderation's registry).
        from agora.conversations import moderating

        moderating.connect()
