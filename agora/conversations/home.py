"""What conversations add to the home page: the newest open conversations."""

from agora.conversations.models import Conversation
from agora.core.sections import Section

#: How many open conversations the home page lists.
HOME_CONVERSATIONS = 3


def open_conversations(request) -> Section:
    # Ordered newest first by the model.
    conversations = Conversation.objects.filter(is_open=True)[:HOME_CONVERSATIONS]
    return Section("conversations/_home.html", {"conversations": conversations})
