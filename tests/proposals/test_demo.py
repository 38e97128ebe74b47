"""`agora seed` adds demo proposals in English and Spanish, with supports and answers, one
overdue and a comment in favour; again, nothing."""

import pytest
from django.core.management import call_command

from agora.notifications.models import Notification
from agora.proposals.demo import BUDGET, SCHOOL
from agora.proposals.models import Proposal, ProposalState, Support
from agora.social.models import Comment

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_seed_loads_proposals_with_supports_and_an_answer_once():
    call_command("seed", verbosity=0)
    titles = set(Proposal.objects.values_list("title", flat=True))
    assert "A crossing guard at Riverside School" in titles
    assert "Bancos y sombra en el paseo del río" in titles
    answered = Proposal.objects.get(title="A crossing guard at Riverside School")
    assert answered.state == ProposalState.ANSWERED
    assert answered.support_count == 3 == Support.objects.filter(proposal=answered).count()
    assert answered.answer_due_at is not None and answered.answer_office.slug == "roads-mobility"
    assert Notification.objects.filter(kind="proposal_answered").exists()
    later = dict(
        Proposal.objects.exclude(process__slug__in=[BUDGET, SCHOOL]).values_list("title", "state")
    )
    assert later["Recogida de aceite usado en cada barrio"] == ProposalState.AWAITING_ANSWER
    assert Proposal.objects.get(title="Recogida de aceite usado en cada barrio").is_overdue()
    assert later["A night bus to the hospital"] == ProposalState.ANSWERED
    assert later["Alquiler asequible en los solares vacíos"] == ProposalState.ANSWERED
    assert Comment.objects.get(body__startswith="Yes: the pigeons").alignment == "in_favour"
    count = Proposal.objects.count()
    call_command("seed", verbosity=0)
    assert Proposal.objects.count() == count
