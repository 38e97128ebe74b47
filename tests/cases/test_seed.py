"""`agora seed` adds demo cases in every state, made through the services; again, nothing."""

import pytest
from django.core.management import call_command

from agora.cases.models import Case, CaseEvent, State

pytestmark = pytest.mark.django_db


def test_seed_loads_demo_cases_in_every_state_once():
    call_command("seed", verbosity=0)
    states = set(Case.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert CaseEvent.objects.filter(kind="transferred").exists()
    assert Case.objects.filter(channel="phone", submitted_by__isnull=True).exists()
    assert Case.objects.filter(is_public=False).exists()
    count = Case.objects.count()

    call_command("seed", verbosity=0)
    assert Case.objects.count() == count
