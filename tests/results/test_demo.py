"""`agora seed` adds demo results in English and Spanish with their updates, one of them from
the demo's accepted proposal; again, nothing."""

import pytest
from django.core.management import call_command

from agora.notifications.models import Notification
from agora.results.models import Result, ResultOrigin

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_seed_loads_results_with_updates_once():
    call_command("seed", verbosity=0)
    results = {result.title: result for result in Result.objects.all()}
    guard = results["A crossing guard at Riverside School"]
    assert (guard.status, guard.progress) == ("in_progress", 75)
    assert ResultOrigin.objects.get(result=guard).kind == "proposal"
    assert results["Viviendas modulares en el solar de la estación"].status == "dropped"
    assert results["Housing advice desk at the library"].progress == 100
    assert [update.body[:9] for update in guard.updates.all()] == ["The guard", "The post "]
    assert Notification.objects.filter(kind="result_updated").exists()
    call_command("seed", verbosity=0)
    assert Result.objects.count() == len(results) == 4
