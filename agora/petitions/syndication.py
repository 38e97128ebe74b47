"""RSS 2.0 and Atom feeds of the petitions list: the latest petitions a visitor who is not
signed in would find there (published, left visible by moderation), newest first, in one
query whatever their number. The list page names both in its head."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from agora.petitions import queries
from agora.petitions.models import Petition

ITEMS = 20
FORMATS = {"rss": Rss201rev2Feed, "atom": Atom1Feed}


class PetitionFeed(Feed):
    def __init__(self, feed_type):
        self.feed_type = feed_type

    def title(self) -> str:
        return _("Petitions")

    def link(self) -> str:
        return reverse("petitions:list")

    def description(self) -> str:
        return _("The latest petitions published on this site.")

    def items(self):
        return queries.listed(AnonymousUser()).order_by("-published_at", "-pk")[:ITEMS]

    def item_title(self, petition: Petition) -> str:
        return petition.title

    def item_description(self, petition: Petition) -> str:
        return f"<p>{escape(petition.asks)}</p>{petition.why_html}"

    def item_link(self, petition: Petition) -> str:
        return petition.get_absolute_url()

    def item_pubdate(self, petition: Petition):
        return petition.published_at or petition.created_at


_FEEDS = {form: PetitionFeed(feed_type) for form, feed_type in FORMATS.items()}


def petition_feed(request, form: str):
    return _FEEDS[form](request)
