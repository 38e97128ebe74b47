"""`agora seed` adds demo petitions in English and Spanish, one past its first threshold with
the office's response; again, nothing."""

import pytest
from django.core.management import call_command

from agora.notifications.models import Notification
from agora.petitions.models import Petition, PetitionState, ReachedThreshold

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_seed_loads_petitions_one_past_its_threshold_and_answered_once():
    call_command("seed", verbosity=0)
    answered = Petition.objects.get(title="Safe crossing lights on Riverside Avenue")
    assert answered.state == PetitionState.OPEN and answered.signature_count == 3
    assert ReachedThreshold.objects.filter(petition=answered).count() == 1
    assert answered.responded_at is not None and answered.office.slug == "roads-mobility"
    assert Petition.objects.filter(title="Aceras más anchas en la calle del Río").exists()
    assert Notification.objects.filter(kind="petition_responded").exists()
    count = Petition.objects.count()
    call_command("seed", verbosity=0)
    assert Petition.objects.count() == count == 2
