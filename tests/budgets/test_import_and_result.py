"""`agora budgets import FILE.pb`, the stored count, one ballot per person, and the result page
in English and Spanish with a fixed number of queries."""

import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import translation

from agora.budgets import counting, services
from agora.budgets.models import Ballot, Budget
from agora.processes.models import Process
from tests.budgets.conftest import PABULIB, profile
from tests.directory.factories import OfficeFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEBNIKI = "poland_krakow_2018_debniki.pb"
REJON4 = "poland_warszawa_2018_rejon-4.pb"


@pytest.fixture
def process():
    return Process.objects.create(
        slug="pb-2018",
        title_en="Participatory budget 2018",
        title_es="Presupuesto participativo 2018",
        office=OfficeFactory(),
        is_published=True,
    )


def import_file(name, *options) -> Budget:
    out = io.StringIO()
    call_command(
        "budgets", "import", str(PABULIB / name), "--process", "pb-2018", *options, stdout=out
    )
    assert out.getvalue().startswith("Imported as budget ")
    return Budget.objects.latest("pk")


def test_import_stores_a_closed_budget_counted_as_the_file_is(process):
    budget = import_file(DEBNIKI, "--rule", "equal-shares")
    assert budget.is_closed
    assert (budget.ballot_kind, budget.rule, budget.amount) == ("ordinal", "equal-shares", 318900)
    assert budget.projects.count() == 19
    assert budget.ballots.count() == 3463
    first = budget.ballots.get(voter_key="15")
    assert first.projects == ["17", "3", "13"]
    expected = counting.equal_shares(profile(DEBNIKI))
    assert budget.result["winners"] == expected.winners
    # Counted again from the stored ballots, the result is the same.
    assert services.count_budget(budget).winners == expected.winners


def test_a_bad_file_imports_nothing(process, tmp_path):
    broken = tmp_path / "broken.pb"
    broken.write_text(
        (PABULIB / REJON4).read_text("utf-8").replace("vote_type;approval", "vote_type;scoring"),
        "utf-8",
    )
    with pytest.raises(CommandError, match="Nothing was imported: vote_type 'scoring'"):
        call_command("budgets", "import", str(broken), "--process", "pb-2018")
    assert not Budget.objects.exists()
    with pytest.raises(CommandError, match="No process with the slug nowhere"):
        call_command("budgets", "import", str(PABULIB / REJON4), "--process", "nowhere")


def test_one_ballot_per_person_and_the_last_one_counts(process):
    budget = import_file("poland_warszawa_2019_radosc.pb", "--rule", "greedy")
    voter = UserFactory()
    services.cast_ballot(budget, voter, ["257"])
    services.cast_ballot(budget, voter, ["1318", "2391"])
    mine = Ballot.objects.filter(budget=budget, voter=voter)
    assert [ballot.projects for ballot in mine] == [["1318", "2391"]]
    assert budget.ballots.count() == 186
    outcome = services.count_budget(budget)
    votes = {verdict.key: verdict.votes for verdict in outcome.verdicts}
    assert (votes["1318"], votes["2391"], votes["257"]) == (139, 96, 112)


def test_the_result_page_says_why_each_project_won_or_lost(
    client, process, django_assert_num_queries
):
    budget = import_file(REJON4, "--rule", "greedy")
    url = reverse("budgets:result", kwargs={"pk": budget.pk})
    with django_assert_num_queries(2):
        page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "6 projects funded, for 269,129; 11,201 left." in text
    skipped = next(v for v in budget.result["projects"] if v["reason"] == "did_not_fit")
    left = f"{skipped['left']:,.0f}"
    assert f"Not funded: it did not fit the {left} left when its turn came." in text
    assert "Ties were broken, as announced before the vote" in text
    assert "Funded: its turn came with 280,330 left." in text
    assert text.count("<strong>Funded</strong>") == 6


def test_equal_shares_reasons_in_spanish(client, process):
    budget = import_file(DEBNIKI, "--rule", "equal-shares")
    url = reverse("budgets:result", kwargs={"pk": budget.pk})
    with translation.override("es"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    text = page.content.decode()
    assert "Resultado" in text
    assert "No financiado: las cuotas de sus partidarios se agotaron." in text
    assert "Financiado en la ronda 5" in text
    # Figures are grouped as Spanish writes them (a non-breaking space, Django's format).
    assert "<td>67\xa0400</td><td>1\xa0706</td>" in text


def test_the_page_has_the_same_queries_for_few_or_many_ballots(
    client, process, django_assert_num_queries
):
    small = import_file("poland_warszawa_2019_radosc.pb", "--rule", "greedy")
    with django_assert_num_queries(2):
        client.get(reverse("budgets:result", kwargs={"pk": small.pk}))


def test_a_budget_of_a_draft_process_is_hidden_from_others(client, process):
    budget = import_file(REJON4)
    Process.objects.filter(pk=process.pk).update(is_published=False)
    client.force_login(UserFactory())
    assert client.get(reverse("budgets:result", kwargs={"pk": budget.pk})).status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's connections")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_ballots_by_one_person_leave_one(process):
    budget = import_file("poland_warszawa_2019_radosc.pb", "--rule", "greedy")
    voter = UserFactory()
    barrier = threading.Barrier(2)
    errors = []

    def cast(choice):
        try:
            barrier.wait(timeout=10)
            services.cast_ballot(budget, voter, choice)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(choice,)) for choice in (["257"], ["1318"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    mine = list(Ballot.objects.filter(budget=budget, voter=voter))
    assert len(mine) == 1
    assert mine[0].projects in (["257"], ["1318"])
