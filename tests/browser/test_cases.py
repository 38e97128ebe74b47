"""A case in a real browser: a resident asks who handles broken streetlights on Calle Mayor,
reports it, the office transfers it with a reason, another office answers, and the resident
sees the whole timeline. axe audits every page."""

import pytest

from agora.accounts.models import Role
from agora.directory import services as directory_services
from agora.directory.demo import DEMO_DIRECTORY
from agora.directory.models import Office
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def people(transactional_db):
    directory_services.import_directory_file(DEMO_DIRECTORY)
    resident = UserFactory(display_name="Rosa Resident")
    lighting = UserFactory(display_name="Lucia Lighting", role=Role.OFFICIAL)
    maintenance = UserFactory(display_name="Mario Maintenance", role=Role.OFFICIAL)
    directory_services.add_official(Office.objects.get(slug="public-lighting"), lighting)
    directory_services.add_official(Office.objects.get(slug="street-maintenance"), maintenance)
    return resident, lighting, maintenance


def act(tab, button: str) -> None:
    tab.page.get_by_role("button", name=button).click()
    tab.page.wait_for_load_state("load")
    if tab.javascript:  # axe runs in the page
        tab.audit()


def update_case(tab, action: str, **fields) -> None:
    """The case page's one form: choose the action, fill in its fields (by label), send."""
    page = tab.page
    page.get_by_role("radio", name=action, exact=True).check()
    for label, value in fields.items():
        field = page.get_by_label(label.replace("_", " "), exact=True)
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value=value)  # a slug
        else:
            field.fill(value)
    act(tab, "Update the case")


def continue_and_send(tab, *, private=False, kind="report") -> None:
    """The first page done: Continue, check the answers, choose who sees it, send."""
    page = tab.page
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/cases/new/check/")
    if tab.javascript:
        tab.audit()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your answers before sending"
    if private:
        page.get_by_label("Only me and the responsible office").check()
    page.get_by_role("button", name=f"Send my {kind}").click()


def reach_the_case_from_the_confirmation(tab, kind="report") -> str:
    """After sending: the confirmation with the reference, then the case page; its address."""
    page = tab.page
    page.wait_for_url("**/cases/*/sent/")
    if tab.javascript:
        tab.audit()
    heading = "Your report is sent" if kind == "report" else "Your question is sent"
    assert page.get_by_role("heading", level=1).inner_text() == heading
    reference = page.locator(".reference-number").inner_text()
    assert len(reference) == 9 and reference[4] == "-"
    page.get_by_role("link", name="See the case and follow its steps").click()
    page.wait_for_url("**/cases/*/")
    assert reference in page.locator(".facts").inner_text()
    return page.url


def test_a_streetlight_report_is_transferred_answered_and_followed(open_tab, people):
    resident, lighting, maintenance = people

    tab = open_tab()
    tab.log_in_as(resident)
    page = tab.page
    page.goto(tab.url("/directory/ask/"))
    tab.audit()
    page.get_by_label("What do you need?").fill("who handles broken streetlights on Calle Mayor?")
    page.get_by_role("button", name="Find the office").click()
    page.wait_for_load_state("load")
    assert (
        page.locator(".answer")
        .get_by_role("heading", level=2)
        .inner_text()
        .endswith("Public Lighting Unit")
    )
    tab.audit()

    page.locator(".answer").screenshot(path="var/screenshots/ask-answer-desktop-en.png")
    # From the answer straight to the form, with the words, the topic and the place carried.
    page.get_by_role("link", name="Report this to Public Lighting Unit").click()
    page.wait_for_url("**/cases/new/?kind=report&*")
    assert page.get_by_label("Title").input_value() == (
        "Who handles broken streetlights on Calle Mayor?"
    )
    assert page.get_by_label("Topic").input_value() == "streetlights"
    assert page.get_by_label("Where?").input_value() == "calle-mayor"
    tab.audit()
    page.get_by_label("Title").fill("Streetlight out on Calle Mayor")
    page.get_by_label("Description").fill("The lamp in front of number 12 is dark.")
    page.get_by_label("Address or place").fill("Calle Mayor 12")
    continue_and_send(tab)
    case_url = reach_the_case_from_the_confirmation(tab)
    tab.audit()

    office_tab = open_tab()
    office_tab.log_in_as(lighting)
    office_page = office_tab.page
    office_page.goto(office_tab.url("/cases/inbox/public-lighting/"))
    office_tab.audit()
    office_page.get_by_role("button", name="Acknowledge “Streetlight out on Calle Mayor”").click()
    office_page.wait_for_load_state("load")
    office_tab.audit()
    office_page.get_by_role("link", name="Streetlight out on Calle Mayor").click()
    office_page.wait_for_load_state("load")
    office_tab.audit()
    update_case(
        office_tab,
        "Transfer",
        Transfer_to="street-maintenance",
        Reason_for_the_transfer=(
            "The lamp hangs on a street-furniture post that Street Maintenance repairs."
        ),
    )

    other_tab = open_tab()
    other_tab.log_in_as(maintenance)
    other_tab.page.goto(case_url)
    other_tab.audit()
    update_case(
        other_tab, "Send the official answer", Official_answer="We repair the post on Monday."
    )

    page.goto(case_url)
    timeline = page.get_by_role("region", name="Timeline").inner_text()
    for text in [
        "Submitted",
        "Sent to Public Lighting Unit",
        "Acknowledged",
        "From Public Lighting Unit to Street Maintenance Unit.",
        "Reason: The lamp hangs on a street-furniture post",
        "Official answer of Street Maintenance Unit",
        "We repair the post on Monday.",
    ]:
        assert text in timeline, text
    tab.audit()


def test_a_case_can_be_reported_and_answered_without_javascript(open_tab, people):
    resident, lighting, _maintenance = people
    tab = open_tab(javascript=False)
    tab.log_in_as(resident)
    page = tab.page
    page.goto(tab.url("/cases/new/"))
    page.get_by_label("Title").fill("Lamp flickers all night")
    page.get_by_label("Description").fill("Outside the library.")
    page.get_by_label("Topic").select_option(label="Street lighting")
    continue_and_send(tab, private=True)
    case_url = reach_the_case_from_the_confirmation(tab)
    assert "Private: only you and the office see it" in page.locator("main").inner_text()

    office_tab = open_tab(javascript=False)
    office_tab.log_in_as(lighting)
    office_tab.page.goto(case_url)
    update_case(
        office_tab, "Send the official answer", Official_answer="A new lamp goes in on Friday."
    )

    page.goto(case_url)
    assert "A new lamp goes in on Friday." in page.locator("main").inner_text()


def test_the_resident_is_told_of_each_step_and_follows_the_timeline(open_tab, people):
    """A resident reports a lamp, the office acknowledges it, comments for the office and
    answers; the resident finds each step in their notifications, marks one read and follows
    the link to the timeline. A neighbour follows the case and hears the answer too."""
    resident, lighting, _maintenance = people
    neighbour = UserFactory(display_name="Nina Neighbour")

    tab = open_tab()
    tab.log_in_as(resident)
    page = tab.page
    page.goto(tab.url("/cases/new/"))
    tab.audit()
    page.get_by_label("Title").fill("Lamp dark by the bakery")
    page.get_by_label("Description").fill("Dark since Friday.")
    page.get_by_label("Topic").select_option(label="Street lighting")
    continue_and_send(tab)
    case_url = reach_the_case_from_the_confirmation(tab)
    tab.audit()
    assert page.get_by_role("button", name="Following this case").is_visible()

    neighbour_tab = open_tab()
    neighbour_tab.log_in_as(neighbour)
    neighbour_tab.page.goto(case_url)
    neighbour_tab.audit()
    act(neighbour_tab, "Follow this case")
    assert neighbour_tab.page.get_by_role("button", name="Following this case").is_visible()

    office_tab = open_tab()
    office_tab.log_in_as(lighting)
    office_page = office_tab.page
    office_page.goto(case_url)
    office_tab.audit()
    update_case(office_tab, "Acknowledge")
    office_page.get_by_label("Your comment").fill("A crew checks the lamp tonight.")
    act(office_tab, "Send comment")
    comments = office_page.get_by_role("region", name="Comments").inner_text()
    assert "On behalf of Public Lighting Unit" in comments
    update_case(
        office_tab,
        "Send the official answer",
        Official_answer="The lamp was replaced this morning.",
    )

    page.goto(tab.url("/cases/"))
    tab.audit()
    page.get_by_role("link", name="Notifications (4 unread)").click()
    page.wait_for_url(tab.url("/notifications/"))
    tab.audit()
    listed = page.locator("main").inner_text()
    for text in [
        "The case “Lamp dark by the bakery” was sent to Public Lighting Unit.",
        "Public Lighting Unit acknowledged the case “Lamp dark by the bakery”.",
        "Public Lighting Unit commented on the case “Lamp dark by the bakery”.",
        "Public Lighting Unit answered the case “Lamp dark by the bakery”.",
        "The lamp was replaced this morning.",
    ]:
        assert text in listed, text
    page.get_by_role("button", name="Mark read").first.click()
    page.wait_for_load_state("load")
    tab.audit()
    assert page.get_by_role("link", name="Notifications (3 unread)").is_visible()

    narrow = open_tab(viewport={"width": 320, "height": 640})
    narrow.log_in_as(resident)
    narrow.page.goto(narrow.url("/notifications/"))
    narrow.audit()
    narrow.assert_fits_width()
    narrow.page.goto(case_url)
    narrow.audit()
    narrow.assert_fits_width()

    page.get_by_role(
        "link", name="Public Lighting Unit answered the case “Lamp dark by the bakery”."
    ).click()
    page.wait_for_url("**/cases/*/#event-*")
    tab.audit()
    timeline = page.get_by_role("region", name="Timeline").inner_text()
    for text in ["Submitted", "Acknowledged", "Official answer of Public Lighting Unit"]:
        assert text in timeline, text

    neighbour_tab.page.goto(neighbour_tab.url("/notifications/"))
    neighbour_tab.audit()
    heard = neighbour_tab.page.locator("main").inner_text()
    assert "Public Lighting Unit answered the case “Lamp dark by the bakery”." in heard
    assert "was sent to" not in heard  # they followed after the routing
