"""The proposal list as everyone sees it is rendered once and kept (proposals.parts.LISTS),
and a visitor's whole process page with it (processes.pages.VISITORS_PAGES), per process,
filters, order, cursor page and language; what is a person's own ("mine", their own private
name, their hidden proposals) stays out of what others are given."""

import re

from django.test import Client

from agora.accounts.models import Visibility
from agora.processes.pages import VISITORS_PAGES
from agora.proposals import parts
from agora.proposals.models import Proposal
from tests.helpers import assert_constant_queries, main_part, signed_in
from tests.proposals.conftest import a_proposal, residents, support_process


def _shown(response) -> str:
    """The page's main part without its CSRF token, which is each visitor's own."""
    return re.sub(r'name="(csrfmiddlewaretoken|form_once)" value="\w+"', "", main_part(response))


def test_a_visitors_page_is_kept_per_order_and_cursor_in_one_query(town, django_assert_num_queries):
    process = support_process(town)
    for number in range(22):
        a_proposal(process, town.verified, f"Idea {number}")
    url = process.get_absolute_url()
    first, second = Client(), Client()
    newest = _shown(first.get(url))
    with django_assert_num_queries(1):  # whether the process is published
        assert _shown(second.get(url)) == newest
    cursor = newest.split("after=")[1].split("#")[0]
    later = _shown(first.get(url, {"after": cursor}))
    assert "Idea 1<" in later and "Idea 21<" not in later
    with django_assert_num_queries(1):
        assert _shown(second.get(url, {"after": cursor})) == later
    in_spanish = main_part(first.get(url, headers={"accept-language": "es"}))
    assert "Propuestas" in in_spanish and in_spanish != newest
    # A parameter the page does not read: the page rendered, not kept (its list kept, and
    # the other parts' short lists: processes.pages.short_list).
    with django_assert_num_queries(7):
        second.get(url, {"utm_source": "x"})


def test_a_new_proposal_shows_at_once_and_counts_within_seconds(client, town):
    process = support_process(town)
    a_proposal(process, town.verified, "Benches on the square")
    url = process.get_absolute_url()
    assert "Benches on the square" in main_part(client.get(url))
    a_proposal(process, town.verified, "Lamps on the bridge")  # saved: a new generation
    assert "Lamps on the bridge" in main_part(client.get(url))
    proposal = Proposal.objects.get(title="Lamps on the bridge")
    Proposal.objects.filter(pk=proposal.pk).update(support_count=7)  # as a support does
    assert "7 supports" not in main_part(client.get(url))  # kept: lags by seconds at most
    VISITORS_PAGES.invalidate()
    parts.LISTS.invalidate()
    assert "7 supports" in main_part(client.get(url))


def test_the_list_is_the_same_queries_at_any_size_signed_in_and_not(client, town):
    process = support_process(town)
    a_proposal(process, town.verified, "Benches on the square")
    url = process.get_absolute_url()
    person = signed_in(residents(1)[0])

    def fetch(browser, sort, *, anew=False):
        def one():
            if anew:  # as after a change: nothing kept
                VISITORS_PAGES.invalidate()
                parts.LISTS.invalidate()
            return browser.get(url, {"sort": sort, "seed": "7"})

        return one

    def grow():
        for number in range(25):
            a_proposal(process, town.outsider, f"Lamp number {number}")

    person.get(url)  # a first request reads what a session keeps afterwards
    fetches = {}
    for sort in ("newest", "supported", "commented", "random"):
        fetches[f"visitor {sort}"] = fetch(client, sort, anew=True)
        fetches[f"visitor {sort}, kept"] = fetch(client, sort)
        fetches[f"resident {sort}"] = fetch(person, sort, anew=True)
        fetches[f"resident {sort}, kept"] = fetch(person, sort)
    expected = {}
    for sort in ("newest", "supported", "commented", "random"):
        random = sort == "random"  # its two ranges of the index, always both
        # A visitor's page rendered: whether the process is published, then the page; kept:
        # the first query alone.
        # The other parts' short lists stay kept: a proposal does not change them
        # (processes.pages.short_list).
        expected[f"visitor {sort}"] = 9 + random
        expected[f"visitor {sort}, kept"] = 1
        # A signed-in person's page rendered (the list and the count of overdue answers with
        # it), then with the list and count kept for everyone signed in.
        expected[f"resident {sort}"] = 11 + random
        expected[f"resident {sort}, kept"] = 9
    results = assert_constant_queries(fetches, grow, expected=expected)
    page = main_part(results["resident newest"][1])
    assert "Lamp number 24" in page and "Only mine" in page


def test_no_ones_own_private_name_or_hidden_proposal_reaches_others(town):
    process = support_process(town)
    (author,) = residents(1, "Private")
    author.profile_visibility = Visibility.PRIVATE
    author.save()
    a_proposal(process, author, "Shade on the river walk")
    hidden = a_proposal(process, author, "Hidden idea", moderation_state="hidden")
    url = process.get_absolute_url()
    own = signed_in(author)
    mine = main_part(own.get(url, {"mine": "1"}))
    assert "Hidden idea" in mine and "Private 0" in mine  # theirs alone, not kept
    shared = main_part(own.get(url))  # the first to render the shared list
    assert "Shade on the river walk" in shared and "Hidden idea" not in shared
    assert "Private 0" not in shared
    other = main_part(signed_in(town.verified).get(url))
    assert "Shade on the river walk" in other and "Private 0" not in other
    assert "Hidden idea" not in other
    assert hidden.get_absolute_url() not in main_part(Client().get(url))


def test_after_a_change_only_the_changed_items_are_rendered_again(town):
    process = support_process(town)
    for number in range(5):
        a_proposal(process, town.verified, f"Idea {number}")
    url = process.get_absolute_url()

    def items_rendered() -> int:
        response = Client().get(url)
        return [template.name for template in response.templates].count(
            "proposals/_proposal_item.html"
        )

    assert items_rendered() == 5
    supported = Proposal.objects.get(title="Idea 2")
    Proposal.objects.filter(pk=supported.pk).update(support_count=3)
    a_proposal(process, town.verified, "Idea 5")  # saved: a new generation of the page
    assert items_rendered() == 2  # the new one, and the one whose count changed
    page = main_part(Client().get(url))
    assert "Idea 5<" in page and "3 supports" in page and page.count("<li>") >= 6
