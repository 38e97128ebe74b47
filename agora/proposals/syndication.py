"""RSS 2.0 and Atom feeds of a published process's proposals: the latest a visitor who is not
signed in would find in its list (left visible by moderation), newest first, in two queries
whatever their number (the process, then its proposals). The process's page names both in
its head (`core.pagemeta.add_alternates`)."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from agora.core.pagemeta import Alternate, add_alternates
from agora.processes.models import Process
from agora.proposals import queries
from agora.proposals.models import Proposal

ITEMS = 20
FORMATS = {"rss": Rss201rev2Feed, "atom": Atom1Feed}
MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


class ProposalFeed(Feed):
    def __init__(self, feed_type):
        self.feed_type = feed_type

    def get_object(self, request, slug: str) -> Process:
        return get_object_or_404(Process, slug=slug, is_published=True)

    def title(self, process: Process) -> str:
        return _("Proposals: %(process)s") % {"process": process.title}

    def link(self, process: Process) -> str:
        return process.get_absolute_url()

    def description(self, process: Process) -> str:
        return _("The latest proposals in %(process)s.") % {"process": process.title}

    def items(self, process: Process):
        return (
            queries.visible(AnonymousUser())
            .filter(process=process)
            .select_related("author")
            .order_by("-created_at", "-pk")[:ITEMS]
        )

    def item_title(self, proposal: Proposal) -> str:
        return proposal.title

    def item_description(self, proposal: Proposal) -> str:
        return proposal.body_html

    def item_link(self, proposal: Proposal) -> str:
        return proposal.get_absolute_url()

    def item_pubdate(self, proposal: Proposal):
        return proposal.created_at


_FEEDS = {form: ProposalFeed(feed_type) for form, feed_type in FORMATS.items()}


def proposal_feed(request, slug: str, form: str):
    return _FEEDS[form](request, slug=slug)


def _alternates(thing) -> list[Alternate]:
    if not isinstance(thing, Process) or not thing.is_published:
        return []
    return [
        Alternate(
            title=_("Proposals: %(process)s (%(format)s)")
            % {"process": thing.title, "format": label},
            url=reverse("proposals:feed", args=[thing.slug, form]),
            media_type=MEDIA_TYPES[form],
        )
        for form, label in (("rss", "RSS"), ("atom", "Atom"))
    ]


def connect() -> None:
    add_alternates(_alternates)
