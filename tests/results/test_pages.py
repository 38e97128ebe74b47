"""The result pages: a process's results (filtered by status, paged by id) and a result (its
updates, cases and origins), each in a fixed number of queries; the results part of the
process page; making a result from an accepted proposal's page; the update form keeping what
was typed; refusals for another office and for residents."""

from django.urls import reverse

from agora.results import services
from agora.results.models import Result, ResultUpdate
from tests.helpers import assert_constant_queries, main_part, signed_in
from tests.results.conftest import a_case, a_result, accepted_proposal, answers_process


def test_the_process_results_page_filters_and_pages_in_a_fixed_number_of_queries(client, town):
    process = answers_process(town)
    a_result(process, town.official, "Benches on the square", status="done")
    url = reverse("results:process", args=[process.slug])

    def grow():
        for number in range(22):
            a_result(process, town.official, f"Lamp number {number}", progress=number)

    office = signed_in(town.official)
    fetches = {
        "anonymous": lambda: client.get(url),
        "office": lambda: office.get(url, {"status": "planned"}),
    }
    # The office also sees what waits to become a result: one query per kind of origin
    # (proposals, petitions).
    found = assert_constant_queries(fetches, grow, expected={"anonymous": 3, "office": 8})
    first = main_part(found["anonymous"][1])
    assert "Lamp number 21" in first and "Benches on the square" not in first
    assert "Delivered: 21%" in first and 'value="21"' in first  # in words, not only the bar
    assert "Done: 1" in first and "Planned: 22" in first
    more = first.split("before=")[1].split('"')[0]
    rest = main_part(client.get(url, {"before": more}))
    assert "Lamp number 1<" in rest and "Benches on the square" in rest
    done = main_part(client.get(url, {"status": "done"}))
    assert "Benches on the square" in done and "Lamp number" not in done
    assert "Add a result" in main_part(found["office"][1]) and "Add a result" not in first


def test_a_result_page_shows_updates_cases_and_origins_in_a_fixed_number_of_queries(town):
    process = answers_process(town)
    proposal = accepted_proposal(process, town.verified)
    private = a_case(town, is_public=False, by=town.outsider, title="My own report")
    result = a_result(
        process,
        town.official,
        origins_of=[proposal],
        cases=[a_case(town), private],
    )
    services.add_update(result, by=town.official, body="Works **start**.", status="in_progress")
    reader = signed_in(town.verified)

    def grow():
        for number in range(5):
            services.add_update(result, by=town.official, body=f"Step {number}.", progress=number)

    found = assert_constant_queries(
        lambda: reader.get(result.get_absolute_url()), grow, expected=10
    )
    page = main_part(found[1])
    assert page.index("Step 4.") < page.index("Step 0.") < page.index("<strong>start</strong>")
    assert proposal.title in page and "Cars park on the cycle lane" in page
    assert "My own report" not in page  # a private case, for those who may read it
    assert "My own report" in main_part(signed_in(town.outsider).get(result.get_absolute_url()))
    assert "Publish the update" not in page and "Follow" in page


def test_the_process_page_shows_its_newest_results_in_a_fixed_number_of_queries(client, town):
    process = answers_process(town)
    assert "results-heading" not in main_part(client.get(process.get_absolute_url()))
    a_result(process, town.official, "Benches on the square", progress=40)

    def grow():
        for number in range(4):
            a_result(process, town.official, f"Lamp number {number}")

    few, many = assert_constant_queries(
        # A visitor's page: whether the process is published, then the page rendered (each
        # new result starts a new generation of the kept pages), the proposals' list and
        # overdue count kept from the first read (proposals.parts.LISTS); of the other parts'
        # short lists (processes.pages.short_list), only the results' read anew.
        lambda: client.get(process.get_absolute_url()),
        grow,
        expected=8,
    )
    page = main_part(few)
    assert "Benches on the square" in page and "Delivered: 40%" in page
    assert reverse("results:process", args=[process.slug]) in page
    shown = main_part(many)
    assert "Lamp number 3" in shown and "Benches on the square" not in shown  # the newest 3


def test_the_office_makes_a_result_from_an_accepted_proposal_page(town):
    process = answers_process(town)
    proposal = accepted_proposal(process, town.verified, "Shade trees on the river walk")
    office = signed_in(town.official)
    page = main_part(office.get(proposal.get_absolute_url()))
    assert "Make it a result" in page
    for other in (town.other_official, town.verified):
        assert "Make it a result" not in main_part(
            signed_in(other).get(proposal.get_absolute_url())
        )
    form_url = reverse("results:new", args=[process.slug])
    form = main_part(office.get(form_url, {"origin": "proposal", "id": proposal.pk}))
    assert 'value="Shade trees on the river walk"' in form
    sent = {
        "origin": "proposal",
        "origin_id": proposal.pk,
        "title": "Shade trees on the river walk",
        "description": "Forty trees.",
        "office": town.cycling_unit.pk,
        "status": "in_progress",
        "progress": "101",
        "reason": "",
        "cases": "",
    }
    refused = main_part(office.post(form_url, sent))
    assert "from 0 to 100" in refused and "Forty trees." in refused  # what was typed stays
    assert not Result.objects.exists()
    response = office.post(form_url, {**sent, "progress": "10"})
    result = Result.objects.get()
    assert response.status_code == 302 and response["Location"] == result.get_absolute_url()
    shown = main_part(signed_in(town.verified).get(proposal.get_absolute_url()))
    assert result.get_absolute_url() in shown and "Delivered: 10%" in shown
    assert "Make it a result" not in main_part(office.get(proposal.get_absolute_url()))


def test_the_update_form_keeps_what_was_typed_and_another_office_is_refused(town):
    process = answers_process(town)
    result = a_result(process, town.official)
    url = reverse("results:update", args=[result.pk])
    office = signed_in(town.official)
    page = main_part(
        office.post(url, {"body": "Contract signed.", "status": "dropped", "reason": ""})
    )
    assert "Say why the result is dropped." in page and "Contract signed." in page
    refused = signed_in(town.other_official).post(url, {"body": "Ours now.", "progress": "90"})
    assert "Only the officials of the responsible office" in main_part(refused, status=403)
    assert not ResultUpdate.objects.exists()
    assert Result.objects.get(pk=result.pk).progress == 0
    assert office.post(url, {"body": "Contract signed.", "progress": "20"}).status_code == 302
    assert Result.objects.get(pk=result.pk).progress == 20
    new = reverse("results:new", args=[process.slug])
    assert "Only the officials" in main_part(signed_in(town.verified).get(new), status=403)


def test_a_result_of_an_unpublished_process_is_not_found(client, town):
    process = answers_process(town)
    result = a_result(process, town.official)
    process.is_published = False
    process.save(update_fields=["is_published"])
    assert client.get(result.get_absolute_url()).status_code == 404
    assert client.get(reverse("results:process", args=[process.slug])).status_code == 404
    assert signed_in(town.official).get(result.get_absolute_url()).status_code == 200
