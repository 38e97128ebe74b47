"""The site layer assembles what each app declares on its AppConfig: a new app adds an API
router, demo data, a periodic job or a part of the home page by declaring it, and the site
picks it up without an edit."""

from io import StringIO
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import call_command
from ninja import Router

from agora.core.sections import Section
from agora.site.registry import declared
from tests.factories import UserFactory
from tests.helpers import main_part

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


def a_part_of_the_home_page(request):
    return Section("site/_test_part.html", {"word": "Budgets are open"})


def a_demo_loader(*, force=False):
    return f"Loaded the demo budgets (force={force})."


def a_periodic_job():
    CALLS.append("job")
    return "Next budget reminder queued."


@pytest.fixture
def a_new_app(monkeypatch, settings, tmp_path):
    """The conversations app stands in for a new one, with declarations added."""
    config = apps.get_app_config("conversations")
    module = "tests.site.test_assembly"
    monkeypatch.setattr(
        config, "home_sections", (*config.home_sections, f"{module}.a_part_of_the_home_page")
    )
    monkeypatch.setattr(config, "demo_data", (*config.demo_data, f"{module}.a_demo_loader"))
    monkeypatch.setattr(config, "periodic_jobs", (f"{module}.a_periodic_job",), raising=False)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "_test_part.html").write_text("<p class='test-part'>{{ word }}</p>")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    CALLS.clear()
    return config


def test_the_api_mounts_each_apps_router_where_it_says_in_the_order_of_the_apps():
    mounted = [(prefix, router) for prefix, router in declared.api_routers()]
    assert [prefix for prefix, _router in mounted] == [
        "/",
        "/directory",
        "/",
        "/notifications",
        "/",
        "/cases",
        "/conversations",
        "/processes",
        "/proposals",
        "/petitions",
        "/budgets",
        "/polls",
        "/results",
    ]
    assert all(isinstance(router, Router) for _prefix, router in mounted)


def test_a_declared_part_of_the_home_page_shows_after_the_others(client, a_new_app):
    html = main_part(client.get("/"))
    assert "<p class='test-part'>Budgets are open</p>" in html
    assert html.index("Open conversations") < html.index("Budgets are open")
    assert html.index("Recent questions and reports") < html.index("Open conversations")


def test_seed_runs_every_declared_loader_and_says_what_each_loaded(a_new_app):
    UserFactory()
    out = StringIO()
    call_command("seed", stdout=out)
    said = out.getvalue()
    assert "Accounts exist already; demo data not loaded." in said
    assert said.index("Accounts exist") < said.index("Loaded the demo budgets (force=False).")
    out = StringIO()
    call_command("seed", "--force", stdout=out)
    said = out.getvalue()
    assert "Loaded 11 demo accounts." in said
    assert "Loaded the demo budgets (force=True)." in said


def test_a_starting_worker_runs_every_declared_periodic_job(a_new_app, settings):
    settings.AGORA_DIGEST_HOUR = 7
    out = StringIO()
    with mock.patch("agora.site.management.commands.worker.call_command") as db_worker:
        call_command("worker", stdout=out)
    assert CALLS == ["job"]
    assert "Next daily digest queued." in out.getvalue()
    assert "Next budget reminder queued." in out.getvalue()
    assert db_worker.call_count == 1
    with mock.patch("agora.site.management.commands.worker.call_command"):
        call_command("worker", "--batch", stdout=StringIO())
    assert CALLS == ["job"]  # a batch run is for tests and cron, not the schedule
