"""How a petition anyone may read describes itself to other networks (`core.pagemeta`): a
published one left visible by moderation. A draft, one awaiting moderation or a hidden one
says nothing."""

from agora.core.pagemeta import PageMeta, describe, summary
from agora.moderation.models import ModerationState
from agora.petitions.models import Petition


def _petition(petition: Petition) -> PageMeta | None:
    if not petition.is_public or petition.moderation_state != ModerationState.VISIBLE:
        return None
    return PageMeta(title=petition.title, description=summary(petition.asks), kind="article")


def connect() -> None:
    describe(Petition, _petition)
