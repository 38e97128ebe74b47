"""The result's chart and the administrator's override (a public reason, audited, refused to
others); the exports in Pabulib's format and CSV, read back by Agora's own reader and counted
to the same winners; the API for budgets, projects, ballots and results in the one error
shape, with pinned query counts; the demo budgets."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from agora.budgets import counting, demo, export, pabulib, services, tally
from agora.budgets.models import Ballot, BallotKind, Budget, Override
from agora.core.models import AuditEntry
from agora.processes.models import PhaseKind, Process
from tests.api.conftest import assert_error
from tests.budgets.conftest import PABULIB
from tests.budgets.test_ballot import a_budget
from tests.helpers import assert_constant_queries, main_part, signed_in
from tests.processes.conftest import town  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

API = "/api/v1/budgets"
REJON4 = "poland_warszawa_2018_rejon-4.pb"


@pytest.fixture
def counted(town):  # noqa: F811
    process = town.process((PhaseKind.SUPPORT, -10, -1), (PhaseKind.RESULTS, -1, None))
    return services.import_election(PABULIB / REJON4, process=process, rule="greedy")


def test_the_chart_and_an_override_with_its_public_reason(client, town, counted):  # noqa: F811
    page = main_part(client.get(counted.get_result_url()))
    assert 'role="img" aria-labelledby="money-chart-title money-chart-desc"' in page
    assert page.count('class="bar-funded"') == len(counted.result["winners"])
    loser = next(v["key"] for v in counted.result["projects"] if not v["won"])
    winner = counted.result["winners"][0]
    override = reverse("budgets:override", kwargs={"pk": counted.pk})
    for person in (town.verified, town.other_official):  # a second account may not
        assert signed_in(person).post(override, {"project": loser}).status_code == 403
    assert "Change the result" not in page
    official = signed_in(town.official)
    typed = {"project": loser, "override": Override.FUNDED, "reason": "  "}
    refused = main_part(official.post(override, typed))
    assert "Give the public reason for this decision." in refused
    assert f'value="{loser}" selected' in refused
    reason = "The school gave the land for free, so it costs the city less."
    done = official.post(override, {**typed, "reason": reason})
    assert done.status_code == 302
    official.post(
        override, {"project": winner, "override": Override.NOT_FUNDED, "reason": "Flooded site."}
    )
    page = main_part(client.get(counted.get_result_url()))
    assert f"was funded although the count did not fund it. The reason given: {reason}" in page
    assert "Flooded site." in page
    entry = AuditEntry.objects.filter(action="budgets.overridden").order_by("pk").first()
    assert entry.actor == town.official and entry.data["reason"] == reason
    counted.refresh_from_db()
    projects = list(counted.projects.all())
    winners = services.final_winners(counted, projects)
    assert loser in winners and winner not in winners
    results = list(csv.DictReader(io.StringIO(export.results_csv(counted))))
    row = next(row for row in results if row["project_id"] == loser)
    assert (row["counted"], row["funded"], row["override_reason"]) == ("0", "1", reason)


def test_the_pabulib_export_reads_back_and_counts_the_same(client, counted, tmp_path):
    written = tmp_path / "out.pb"
    call_command("budgets", "export", str(counted.pk), "--output", str(written))
    text = written.read_text("utf-8")
    assert text == export.pabulib_text(counted)
    assert tally.tally_file(written, "greedy")["winners"] == counted.result["winners"]
    election = pabulib.parse_text(text)
    original = pabulib.read(PABULIB / REJON4)
    assert len(election.ballots) == len(original.ballots) == counted.ballots.count()
    assert sorted(b.projects for b in election.ballots) == sorted(
        b.projects for b in original.ballots
    )
    assert [ballot.voter_id for ballot in election.ballots[:3]] == ["1", "2", "3"]
    for rule in counting.RULES:
        again = counting.count(counting.profile_of_election(election), rule).winners
        assert again == counting.count(counting.profile_of_election(original), rule).winners
    selected = {project.id for project in election.projects if project.selected}
    assert selected == set(counted.result["winners"])
    ballots = list(csv.DictReader(io.StringIO(export.ballots_csv(counted))))
    assert len(ballots) == len(original.ballots) and set(ballots[0]) == {
        "voter_id",
        "vote",
        "points",
    }
    download = client.get(reverse("budgets:download", kwargs={"pk": counted.pk, "what": "pabulib"}))
    name = f"budget-{counted.pk}-pabulib.pb"
    assert download["Content-Disposition"] == f'attachment; filename="{name}"'
    assert download.content.decode() == text


def test_cumulative_ballots_export_their_points(town):  # noqa: F811
    process = town.process((PhaseKind.SUPPORT, -1, 10))
    budget = a_budget(process, ballot_kind=BallotKind.CUMULATIVE, knapsack=False, points=10)
    services.cast_ballot(budget, town.verified, ["lights", "racks"], [7, 3])
    assert client_get_status(budget, "ballots") == 404  # an open vote's ballots stay in
    Budget.objects.filter(pk=budget.pk).update(is_closed=True)
    budget.refresh_from_db()
    services.count_budget(budget)
    election = pabulib.parse_text(export.pabulib_text(budget))
    assert election.ballots[0].points == (7, 3)
    assert str(town.verified.pk) not in export.ballots_csv(budget).split("\n", 1)[1].split(",")[0]


def client_get_status(budget, what) -> int:
    from django.test import Client

    address = reverse("budgets:download", kwargs={"pk": budget.pk, "what": what})
    return Client().get(address).status_code


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_api_reads_budgets_casts_ballots_and_gives_results(client, town, counted):  # noqa: F811
    process = town.process((PhaseKind.SUPPORT, -1, 10))
    voting = a_budget(process, minimum_projects=1)
    listed = client.get(API, {"process": process.slug}).json()
    assert [item["id"] for item in listed["items"]] == [voting.pk]
    detail = client.get(f"{API}/{voting.pk}").json()
    assert [p["key"] for p in detail["projects"]] == ["lights", "pavement", "racks", "humps"]
    assert detail["may_vote"] is False and detail["why_not"] == "not_signed_in"
    assert detail["knapsack"] is True and detail["rules"][0] == "Tick the projects you want funded."
    voter = signed_in(town.verified)
    ballot = f"{API}/{voting.pk}/ballot"
    over = _post(voter, ballot, {"projects": ["lights", "pavement"]})
    said = assert_error(over, 422, "invalid_ballot")["message"]
    assert "more than the budget of 200,000 EUR" in said
    assert_error(_post(voter, ballot, {"projects": ["nowhere"]}), 422, "invalid_ballot")
    cast = _post(voter, ballot, {"projects": ["racks", "lights"]})
    assert cast.status_code == 201 and cast.json()["total"] == "120000.00"
    assert voter.get(f"{API}/{voting.pk}/ballot").json()["projects"] == ["lights", "racks"]
    outsider = signed_in(town.outsider)  # a second account: its own ballot only
    assert_error(outsider.get(f"{API}/{voting.pk}/ballot"), 404, "no_ballot")
    assert_error(_post(outsider, ballot, {"projects": ["racks"]}), 403, "outside_areas")
    assert_error(_post(client, ballot, {"projects": ["racks"]}), 401, "not_authenticated")
    assert_error(_post(voter, f"{API}/{counted.pk}/ballot", {"projects": ["257"]}), 409, "closed")
    assert_error(client.get(f"{API}/{voting.pk}/result"), 409, "not_counted")
    assert voter.delete(f"{API}/{voting.pk}/ballot").status_code == 204
    assert not Ballot.objects.filter(voter=town.verified).exists()
    result = client.get(f"{API}/{counted.pk}/result").json()
    assert result["winners"] == counted.result["winners"]
    assert {p["reason"] for p in result["projects"]} <= set(counting.REASONS)
    assert result["projects"][0]["because"]


def test_api_and_pages_have_constant_queries(client, town, counted):  # noqa: F811
    process = town.process((PhaseKind.SUPPORT, -1, 10))
    voting = a_budget(process)
    voter = signed_in(town.verified)
    voter.get(f"{API}/{voting.pk}")  # the directory's routing index, read once per process
    services.cast_ballot(voting, town.verified, ["lights"])  # each cast below changes it

    def grow():
        for number in range(21):
            a_budget(process, title_en=f"Budget {number}")

    def cast():
        response = _post(voter, f"{API}/{voting.pk}/ballot", {"projects": ["racks"]})
        assert response.status_code == 201

    assert_constant_queries(
        {
            "list": lambda: client.get(API),
            "detail": lambda: voter.get(f"{API}/{voting.pk}"),
            "result": lambda: client.get(f"{API}/{counted.pk}/result"),
            "page": lambda: client.get(counted.get_result_url()),
            "cast": cast,
        },
        grow,
        expected={"list": 2, "detail": 9, "result": 3, "page": 2, "cast": 14},
    )


def test_the_demo_budgets(town):  # noqa: F811
    from tests.factories import UserFactory

    for slug in (demo.SCHOOL, demo.BUSES):
        Process.objects.create(slug=slug, title_en=slug, office=town.mobility, is_published=True)
    UserFactory(handle="sam")
    assert demo.load_demo_budgets().startswith("Loaded 2 demo budgets")
    voting, counted = Budget.objects.order_by("pk")
    assert not voting.is_closed and voting.ballots.count() == 1 and voting.title_es
    assert counted.result["winners"] and counted.ballots.count() == 60
    assert demo.load_demo_budgets() == ""
    assert Decimal(counted.result["spent"]) <= counted.amount


def test_a_ballot_sent_again_with_its_idempotency_key_is_cast_once(town):  # noqa: F811
    from tests.api.idempotent import assert_idempotent

    voting = a_budget(town.process((PhaseKind.SUPPORT, -1, 10)), minimum_projects=1)
    assert_idempotent(
        signed_in(town.verified),
        f"{API}/{voting.pk}/ballot",
        json.dumps({"projects": ["racks", "lights"]}),
        json.dumps({"projects": ["racks"]}),
        count=Ballot.objects.count,
        content_type="application/json",
    )
