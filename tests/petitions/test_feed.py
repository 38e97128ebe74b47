"""The petitions list's RSS and Atom feeds: they parse with a third-party reader
(feedparser), hold only the petitions a visitor who is not signed in may list, are named in
the list's head, and take the same number of queries whatever the number of petitions."""

import feedparser
import pytest
from django.test import Client

from agora.moderation.models import ModerationState
from agora.petitions.models import Petition
from tests.helpers import assert_constant_queries
from tests.petitions.conftest import a_draft, an_open_petition

pytestmark = pytest.mark.django_db


def read(path: str):
    response = Client().get(path)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def test_the_petitions_feeds_hold_only_public_petitions_in_constant_queries(town):
    shown = an_open_petition(town, title="Shade on the river walk")
    a_draft(town, title="A draft nobody sees yet")
    hidden = an_open_petition(town, title="Hidden by moderation")
    Petition.objects.filter(pk=hidden.pk).update(moderation_state=ModerationState.HIDDEN)
    for form, version in (("rss", "rss20"), ("atom", "atom10")):
        parsed = read(f"/petitions/feed.{form}")
        assert parsed.version == version and parsed.feed.title == "Petitions"
        assert [entry.title for entry in parsed.entries] == ["Shade on the river walk"]
        assert parsed.entries[0].link.endswith(shown.get_absolute_url())
        assert "too hot" in parsed.entries[0].summary
    head = Client().get("/petitions/").content.decode().split("</head>")[0]
    assert 'type="application/rss+xml"' in head and 'href="/petitions/feed.rss"' in head
    assert 'href="/petitions/feed.atom"' in head

    numbers = iter(range(100))
    assert_constant_queries(
        {form: (lambda form=form: Client().get(f"/petitions/feed.{form}")) for form in FORMS},
        lambda: [an_open_petition(town, title=f"Petition {next(numbers)}") for _ in range(3)],
        expected={"rss": 1, "atom": 1},
    )


FORMS = ("rss", "atom")


def test_a_public_petition_describes_itself_a_draft_does_not(town):
    from tests.helpers import signed_in

    shown = an_open_petition(town, title="Shade on the river walk")
    draft = a_draft(town, title="A draft")
    head = Client().get(shown.get_absolute_url()).content.decode().split("</head>")[0]
    assert '<meta property="og:title" content="Shade on the river walk">' in head
    assert '<meta property="og:description" content="Plant trees along the river walk.">' in head
    own = signed_in(town.verified).get(draft.get_absolute_url()).content.decode()
    assert "og:title" not in own.split("</head>")[0]
