"""An opinion map in a real browser: five people vote one statement at a time, the worker
draws the map, and the group cards below the SVG say the same thing; axe audits every page."""

from unittest import mock

import pytest
from django.core.management import call_command

from agora.accounts.models import Role
from agora.conversations import services
from tests.browser.conftest import browser, media_root, open_tab  # noqa: F401 - fixtures
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

SEEDS = ["Buses every ten minutes", "A charge for cars", "More cycle lanes", "Free night buses"]
#: How each of the five people votes on the seeds, as the buttons read.
PEOPLE = [
    ["Agree", "Agree", "Disagree", "Agree"],
    ["Agree", "Agree", "Disagree", "Pass / unsure"],
    ["Agree", "Disagree", "Agree", "Agree"],
    ["Agree", "Disagree", "Agree", "Agree"],
    ["Agree", "Disagree", "Agree", "Agree"],
]


def run_worker():
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", batch=True, verbosity=0)


@pytest.mark.slow
def test_five_people_vote_and_the_map_appears_with_a_matching_table(
    open_tab,  # noqa: F811 - the fixture imported above
    transactional_db,
):
    conversation = services.open_conversation(
        owner=UserFactory(role=Role.OFFICIAL), question="How should we get around?", seeds=SEEDS
    )
    url = f"/conversations/{conversation.pk}/"
    tabs = []
    for votes in PEOPLE:
        tab = open_tab()
        tabs.append(tab)
        tab.log_in_as(UserFactory())
        page = tab.page
        page.goto(tab.url(url))
        if votes is PEOPLE[0]:
            assert page.get_by_text("Not enough votes yet").is_visible()
        tab.audit()
        for choice in votes:
            page.get_by_role("button", name=choice, exact=True).click()
            page.wait_for_load_state("load")
            tab.audit()
        assert page.get_by_text("You have voted on every statement").is_visible()

    run_worker()
    tab = tabs[-1]
    page = tab.page
    page.goto(tab.url(url))
    tab.audit()
    svg = page.get_by_role("img", name="Opinion map")
    assert svg.locator("> circle").count() == 5
    labels = svg.locator("> text").all_text_contents()
    cards = page.locator("#map-groups > li")
    names = [name.split("(")[0].strip() for name in cards.locator("h4").all_inner_texts()]
    assert names == labels == ["Group A", "Group B"]
    sizes = [int(size.split()[0]) for size in cards.locator(".group-size").all_inner_texts()]
    assert sorted(sizes) == [2, 3]
    # the last voter is marked, in the drawing and in words
    assert svg.locator("#you-mark text").text_content() == "You"
    assert page.locator("#you-on-map").inner_text().startswith("You are here: in Group ")
    assert "Buses every ten minutes" in page.locator("#consensus").inner_text()
    for each in tabs:
        each.check_what_happened()
