"""A process's proposals as RSS and Atom: they parse with a third-party reader (feedparser),
hold only what a visitor who is not signed in may read, are named in the process page's
head, take the same number of queries whatever the number of proposals, and a process in
draft has none."""

import feedparser
import pytest
from django.test import Client

from agora.moderation.models import ModerationState
from tests.helpers import assert_constant_queries
from tests.proposals.conftest import a_proposal, support_process

pytestmark = pytest.mark.django_db


def test_a_processs_proposals_feeds_hold_its_visible_proposals_in_constant_queries(town):
    process = support_process(town)
    shown = a_proposal(process, town.verified, title="Protected cycle lane")
    a_proposal(
        process,
        town.verified,
        title="Hidden by moderation",
        moderation_state=ModerationState.HIDDEN,
    )
    for form, version in (("rss", "rss20"), ("atom", "atom10")):
        response = Client().get(f"/proposals/feeds/{process.slug}.{form}")
        assert response.status_code == 200
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, parsed.bozo_exception
        assert parsed.version == version
        assert [entry.title for entry in parsed.entries] == ["Protected cycle lane"]
        assert parsed.entries[0].link.endswith(shown.get_absolute_url())
    head = Client().get(process.get_absolute_url()).content.decode().split("</head>")[0]
    assert f'href="/proposals/feeds/{process.slug}.rss"' in head
    assert f'href="/proposals/feeds/{process.slug}.atom"' in head

    numbers = iter(range(100))
    assert_constant_queries(
        {
            form: (lambda form=form: Client().get(f"/proposals/feeds/{process.slug}.{form}"))
            for form in ("rss", "atom")
        },
        lambda: [
            a_proposal(process, town.verified, title=f"Proposal {next(numbers)}") for _ in range(3)
        ],
        expected={"rss": 2, "atom": 2},
    )

    draft = support_process(town, is_published=False)
    assert Client().get(f"/proposals/feeds/{draft.slug}.rss").status_code == 404


def test_a_proposal_anyone_may_read_describes_itself_a_hidden_one_does_not(town):
    process = support_process(town)
    shown = a_proposal(process, town.verified, title="Protected cycle lane")
    hidden = a_proposal(
        process, town.verified, title="Hidden one", moderation_state=ModerationState.HIDDEN
    )
    head = Client().get(shown.get_absolute_url()).content.decode().split("</head>")[0]
    assert '<meta property="og:title" content="Protected cycle lane">' in head
    assert 'name="twitter:card"' in head
    from tests.helpers import signed_in

    author_view = signed_in(town.verified).get(hidden.get_absolute_url()).content.decode()
    assert "og:title" not in author_view.split("</head>")[0]
