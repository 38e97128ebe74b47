"""The proposal pages: the process page's list with its filters and sorts in a fixed number
of queries, the propose form's check for similar proposals, forms that keep what was typed,
the support and withdraw buttons, the answer form, and refusals that say why."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from agora.processes.models import ProcessFollow
from agora.processes.pages import VISITORS_PAGES
from agora.proposals import parts, queries, services
from agora.proposals.models import Proposal, ProposalState, Support
from tests.helpers import assert_constant_queries, main_part, signed_in
from tests.proposals.conftest import a_proposal, proposals_process, residents, support_process


def test_the_process_page_lists_proposals_with_filters_in_a_fixed_number_of_queries(client, town):
    process = support_process(town)
    a_proposal(process, town.verified, "Benches on the square", topic=town.cycling)
    url = process.get_absolute_url()
    sorts = {
        sort: (lambda sort=sort: client.get(url, {"sort": sort, "seed": "7"}))
        for sort in ("newest", "supported", "commented", "random")
    }

    def grow():
        for number in range(5):
            a_proposal(process, town.verified, f"Lamp number {number}", area=town.north)

    # The whole process page, with results' and petitions' parts beside the proposals.
    client.get(url)  # short lists kept (processes.pages.short_list)
    VISITORS_PAGES.invalidate()  # the page and the proposals' lists not
    parts.LISTS.invalidate()
    results = assert_constant_queries(
        sorts,
        grow,
        # A visitor's page: whether the process is published, then the page rendered (each
        # new proposal starts a new generation of the kept pages); the count of overdue
        # answers, the same for every order, is kept from the first. The random order reads
        # two ranges of its index, always both.
        expected={"newest": 9, "supported": 8, "commented": 8, "random": 9},
    )
    page = main_part(results["newest"][1])
    assert "Lamp number 4" in page and "Benches on the square" in page
    filtered = main_part(client.get(url, {"topic": town.cycling.pk}))
    assert "Benches on the square" in filtered and "Lamp number" not in filtered


def test_the_list_pages_by_cursor_in_the_order_asked(client, town):
    process = support_process(town, threshold=50)
    made = [a_proposal(process, town.verified, f"Idea {number}") for number in range(23)]
    Proposal.objects.filter(pk=made[0].pk).update(support_count=9)
    first = main_part(client.get(process.get_absolute_url(), {"sort": "supported"}))
    assert first.index("Idea 0<") < first.index("Idea 22<")
    assert "More proposals" in first
    assert "Idea 1<" not in first  # the 21 left over wait on the next pages


def test_the_random_order_stays_the_same_for_one_visitor(client, town):
    process = support_process(town)
    for number in range(6):
        a_proposal(process, town.verified, f"Idea {number}")
    url = process.get_absolute_url()

    def listed(page: str) -> str:  # each render masks its CSRF token and writes a form token anew
        return re.sub(r'name="(csrfmiddlewaretoken|form_once)" value="[^"]*"', "", page)

    once = listed(main_part(client.get(url, {"sort": "random", "seed": "12345"})))
    again = listed(main_part(client.get(url, {"sort": "random", "seed": "12345"})))
    assert once == again and "Idea 5" in once


@pytest.mark.parametrize("seed", [7, 2_000_000_000, 2_147_483_600])
def test_the_random_order_pages_through_every_proposal_once_in_the_seeds_order(town, seed):
    process = support_process(town)
    made = [a_proposal(process, town.verified, f"Idea {number}") for number in range(45)]
    rows = queries.filtered(process, town.verified)
    seen, cursor = [], None
    for _page in range(4):
        page = queries.page(rows, sort="random", cursor=cursor, size=20, seed=seed)
        seen += [proposal.pk for proposal in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    expected = sorted(
        (proposal.pk for proposal in made),
        key=lambda pk: (pk * 48_271 + seed) % 2_147_483_647,
        reverse=True,
    )
    assert seen == expected


def test_proposing_checks_for_similar_proposals_before_publishing(town):
    process = proposals_process(town)
    services.propose(process, by=town.verified, title="Cycle lane on Main Street", body="Yes.")
    (author,) = residents(1)
    browser = signed_in(author)
    url = f"/proposals/new/{process.slug}/"
    typed = {"title": "A lane for bikes on Main", "body": "Safer **cycling**.", "step": "check"}
    checked = main_part(browser.post(url, typed))
    assert "Cycle lane on Main Street" in checked and "Publish the proposal" in checked
    assert "Safer **cycling**." in checked  # what was typed is kept
    published = browser.post(url, {**typed, "step": "publish"})
    assert published.status_code == 302
    assert Proposal.objects.filter(author=author, title="A lane for bikes on Main").exists()


def test_a_proposal_over_the_limit_keeps_what_was_typed_and_says_why(town):
    process = proposals_process(town)
    (author,) = residents(1)
    body = "x" * 6001
    page = main_part(
        signed_in(author).post(
            f"/proposals/new/{process.slug}/", {"title": "Long", "body": body, "step": "publish"}
        )
    )
    assert "Please correct the marked fields." in page
    assert "at most 6000 characters" in page
    assert body in page and not Proposal.objects.exists()


def test_proposing_outside_the_phase_is_refused_with_the_reason(town):
    process = support_process(town)
    response = signed_in(town.verified).get(f"/proposals/new/{process.slug}/")
    assert response.status_code == 403
    assert "current phase" in response.content.decode()


def test_supporting_and_withdrawing_from_the_proposal_page(town):
    process = support_process(town, threshold=5)
    proposal = a_proposal(process, town.verified)
    (someone,) = residents(1)
    browser = signed_in(someone)
    page = main_part(browser.get(proposal.get_absolute_url()))
    assert "Support this proposal" in page
    browser.post(f"/proposals/{proposal.pk}/support/")
    page = main_part(browser.get(proposal.get_absolute_url()))
    assert "Withdraw my support" in page and "1 person supports" in page
    browser.post(f"/proposals/{proposal.pk}/withdraw-support/")
    assert not Support.objects.exists()


def test_the_office_answers_from_the_page_and_a_bad_answer_keeps_what_was_typed(town):
    process = support_process(town, threshold=1)
    proposal = a_proposal(process, town.verified)
    services.support_proposal(proposal, by=residents(1)[0])
    ProcessFollow.objects.create(follower=town.signed_in, process=process)
    official = signed_in(town.official)
    refused = main_part(
        official.post(f"/proposals/{proposal.pk}/answer/", {"answer": "rejected", "reasons": ""})
    )
    assert "Give the reasons" in refused
    official.post(
        f"/proposals/{proposal.pk}/answer/",
        {"answer": "accepted", "reasons": "We build it in *spring*."},
    )
    page = main_part(signed_in(town.verified).get(proposal.get_absolute_url()))
    assert "Accepted" in page and "Cycling Unit" in page and "<em>spring</em>" in page
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.ANSWERED
    other = signed_in(town.other_official).post(
        f"/proposals/{proposal.pk}/answer/", {"answer": "planned"}
    )
    assert other.status_code == 403
    assert "Only the officials of the responsible office" in other.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).answer == "accepted"


def test_a_hidden_proposal_is_for_its_author_only(client, town):
    process = support_process(town)
    proposal = a_proposal(process, town.verified, moderation_state="hidden")
    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert signed_in(town.verified).get(proposal.get_absolute_url()).status_code == 200
    assert proposal.title not in main_part(client.get(process.get_absolute_url()))


def test_commenting_through_social_comments_while_the_phase_allows_it(town):
    process = support_process(town)
    proposal = a_proposal(process, town.verified)
    (someone,) = residents(1)
    browser = signed_in(someone)
    browser.post(
        f"/proposals/{proposal.pk}/comment/", {"body": "Yes, **please**.", "alignment": "in_favour"}
    )
    page = main_part(browser.get(proposal.get_absolute_url()))
    assert "<strong>please</strong>" in page
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 1
    empty = main_part(browser.post(f"/proposals/{proposal.pk}/comment/", {"body": ""}))
    assert "This field is required." in empty
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 1


def test_the_author_edits_and_a_bad_edit_keeps_what_was_typed(town):
    process = proposals_process(town)
    proposal = services.propose(process, by=town.verified, title="Benches", body="First.")
    author = signed_in(town.verified)
    url = f"/proposals/{proposal.pk}/edit/"
    refused = main_part(author.post(url, {"title": "More benches", "body": "x" * 6001}))
    assert "More benches" in refused and "Please correct the marked fields." in refused
    assert author.post(url, {"title": "More benches", "body": "Second."}).status_code == 302
    page = main_part(author.get(proposal.get_absolute_url()))
    assert "Earlier versions" in page and "First." in page and "Second." in page
    assert signed_in(town.outsider).get(url).status_code == 403


def test_an_overdue_answer_is_flagged_on_the_process_page(client, town):
    process = support_process(town, threshold=1)
    proposal = a_proposal(process, town.verified, "Lamps on the bridge")
    services.support_proposal(proposal, by=residents(1)[0])
    page = main_part(client.get(process.get_absolute_url()))
    assert "Answer overdue" not in page and "past the due date" not in page
    Proposal.objects.filter(pk=proposal.pk).update(
        answer_due_at=timezone.now() - timedelta(hours=1)
    )
    # An update without signals shows once the kept pages expire (seconds); here, at once.
    parts.LISTS.invalidate()
    VISITORS_PAGES.invalidate()
    page = main_part(client.get(process.get_absolute_url()))
    assert "1 proposal is waiting for its answer past the due date." in page
    assert "Answer overdue" in page
    assert "Answer overdue" in main_part(client.get(proposal.get_absolute_url()))
