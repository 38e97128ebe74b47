"""`agora seed` adds demo proposals in English and Spanish, with supports and an answer;
again, nothing."""

import pytest
from django.core.management import call_command

from agora.notifications.models import Notification
from agora.proposals.models import Proposal, ProposalState, Support

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_seed_loads_proposals_with_supports_and_an_answer_once():
    call_command("seed", verbosity=0)
    titles = set(Proposal.objects.values_list("title", flat=True))
    assert "A crossing guard at Riverside School" in titles
    assert "Bancos y sombra en el paseo del río" in titles
    answered = Proposal.objects.get(state=ProposalState.ANSWERED)
    assert answered.support_count == 3 == Support.objects.filter(proposal=answered).count()
    assert answered.answer_due_at is not None and answered.answer_office.slug == "roads-mobility"
    assert Notification.objects.filter(kind="proposal_answered").exists()
    count = Proposal.objects.count()
    call_command("seed", verbosity=0)
    assert Proposal.objects.count() == count
