"""`agora seed` adds demo cases in every state, with followers, comments (one for an office)
and the notifications they send, made through the services; again, nothing."""

import pytest
from django.core.management import call_command
from django.db import models

from agora.cases.models import Case, CaseEvent, CaseFollow, OfficeComment, State
from agora.cases.notifying import CASE_COMMENT, CASE_UPDATE
from agora.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_seed_loads_demo_cases_in_every_state_once():
    call_command("seed", verbosity=0)
    states = set(Case.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert CaseEvent.objects.filter(kind="transferred").exists()
    assert Case.objects.filter(channel="phone", submitted_by__isnull=True).exists()
    assert Case.objects.filter(is_public=False).exists()
    assert CaseEvent.objects.filter(kind="info_provided").exists()
    others = CaseFollow.objects.exclude(user=models.F("case__submitted_by"))
    assert others.filter(case__is_public=True).count() >= 4
    assert OfficeComment.objects.exists()
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {CASE_UPDATE, CASE_COMMENT} <= kinds
    count = Case.objects.count()

    call_command("seed", verbosity=0)
    assert Case.objects.count() == count
