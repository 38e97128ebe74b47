"""Proposals in participation processes: residents propose and support, and the process's
office answers, against a clock, what reached the support threshold."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "agora.proposals"
    label = "proposals"
    verbose_name = _("Proposals")
    api_router = "agora.proposals.api.router"
    api_prefix = "/proposals"
    demo_data = ("agora.proposals.demo.load_demo_proposals",)

    def ready(self) -> None:
        from agora.proposals import (  # noqa: F401
            moderating,
            notifying,
            pagemeta,
            parts,
            resulting,
            syndication,
        )
        from agora.proposals.models import Proposal
        from agora.social import commentables

        moderating.connect()
        pagemeta.connect()
        parts.connect()
        resulting.connect()
        syndication.connect()
        commentables.register(commentables.CommentTarget(Proposal, takes_alignment=True))
