"""How a proposal anyone may read describes itself to other networks (`core.pagemeta`): one
in a published process, left visible by moderation. Anything else says nothing."""

from django.urls import reverse
from django.utils.html import strip_tags

from agora.core.pagemeta import PageMeta, describe, summary
from agora.moderation.models import ModerationState
from agora.proposals.models import Proposal


def _proposal(proposal: Proposal) -> PageMeta | None:
    if not proposal.process.is_published or proposal.moderation_state != ModerationState.VISIBLE:
        return None
    has_image = bool(proposal.image)
    return PageMeta(
        title=proposal.title,
        description=summary(strip_tags(proposal.body_html)),
        kind="article",
        image_url=reverse("proposals:image", args=[proposal.pk]) if has_image else "",
        image_alt=proposal.image_alt if has_image else "",
    )


def connect() -> None:
    describe(Proposal, _proposal)
