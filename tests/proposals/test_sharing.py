"""Share links on a proposal's page: on the proposals of a published process, which anyone
may read, and not on those of a process in draft."""

import pytest
from django.test import Client

from tests.core.test_sharing import share_part
from tests.helpers import main_part
from tests.proposals.conftest import a_proposal, support_process

pytestmark = pytest.mark.django_db


def test_a_proposal_anyone_may_read_has_share_links(town, settings):
    settings.SITE_URL = "https://agora.example.org"
    process = support_process(town)
    proposal = a_proposal(process, town.verified)
    part = share_part(main_part(Client().get(proposal.get_absolute_url())))
    assert ">Telegram</a>" in part
    assert "Protected+cycle+lane" in part or "Protected%20cycle%20lane" in part


def test_a_proposal_in_a_draft_process_has_no_share_links(town):
    process = support_process(town)
    process.is_published = False
    process.save(update_fields=["is_published"])
    proposal = a_proposal(process, town.verified)
    official = process.office.memberships.first().user
    client = Client()
    client.force_login(official)
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    assert not share_part(main_part(response))
