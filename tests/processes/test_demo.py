"""`agora seed` adds demo processes, one standing in each kind of phase, in English and
Spanish, followed by demo residents who were told the running phase started; again, nothing."""

import pytest
from django.core.management import call_command
from django.utils import translation

from agora.notifications.models import Notification
from agora.processes import features, notifying
from agora.processes.models import PhaseKind, Process, ProcessFollow, ProcessPost

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_seed_loads_one_process_in_each_kind_of_phase_once():
    call_command("seed", verbosity=0)
    processes = list(Process.objects.prefetch_related("phases"))
    current = {features.current_phase(process).kind for process in processes}
    assert current == set(PhaseKind.values)
    assert all(process.title_es and process.description_html_es for process in processes)
    with translation.override("es"):
        assert {process.name for process in processes} >= {"Presupuestos participativos 2027"}
    assert ProcessFollow.objects.count() == 2 * len(processes)
    assert ProcessPost.objects.count() == 1
    told = Notification.objects.filter(kind=notifying.PHASE_STARTED)
    assert told.count() == 2 * len(processes)  # María and Sam, once per running phase

    call_command("seed", verbosity=0)
    assert Process.objects.count() == len(processes)
    assert told.count() == 2 * len(processes)
