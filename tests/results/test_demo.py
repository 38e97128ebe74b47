"""The demo results in English and Spanish with their updates, one of them from the demo's
accepted proposal, loaded after the demo data they stand on (`agora seed` loads every app's in
the order of the apps; only those results need are loaded here, to keep the test short);
again, nothing."""

import pytest

from agora.accounts.demo import load_demo_people
from agora.directory.demo import load_demo_directory
from agora.notifications.models import Notification
from agora.processes.demo import load_demo_processes
from agora.proposals.demo import load_demo_proposals
from agora.results.demo import load_demo_results
from agora.results.models import Result, ResultOrigin
from agora.site.registry import declared

pytestmark = pytest.mark.django_db


def test_demo_results_load_with_their_updates_once():
    loaders = declared.demo_loaders()
    assert loaders.index(load_demo_proposals) < loaders.index(load_demo_results)
    for load in (load_demo_people, load_demo_directory, load_demo_processes, load_demo_proposals):
        load(force=False)
    assert load_demo_results()
    results = {result.title: result for result in Result.objects.all()}
    guard = results["A crossing guard at Riverside School"]
    assert (guard.status, guard.progress) == ("in_progress", 75)
    assert ResultOrigin.objects.get(result=guard).kind == "proposal"
    assert results["Viviendas modulares en el solar de la estación"].status == "dropped"
    assert results["Housing advice desk at the library"].progress == 100
    assert [update.body[:9] for update in guard.updates.all()] == ["The guard", "The post "]
    assert Notification.objects.filter(kind="result_updated").exists()
    assert load_demo_results() == ""
    assert Result.objects.count() == len(results) == 4
