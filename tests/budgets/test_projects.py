"""The managers' project pages: the process's managers add, change and remove a budget's
projects, with an area, a topic and an image described for people who cannot see it, or make
one of an accepted proposal of the process (linked both ways); anyone else is refused every
page and every POST; once ballots are cast only the description and the image change; the
ballot, the result, the proposal page and the API show it, in a constant number of queries."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agora.budgets import services
from agora.budgets.models import Project
from agora.core.models import AuditEntry
from agora.processes.models import PhaseKind
from agora.proposals import services as proposal_services
from tests.budgets.test_ballot import a_budget
from tests.helpers import assert_constant_queries, main_part, signed_in
from tests.processes.conftest import town  # noqa: F401 (a fixture)
from tests.proposals.conftest import a_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def voting(town):  # noqa: F811
    return a_budget(town.process((PhaseKind.SUPPORT, -1, 10)))


def accepted(process, author, title="Benches along the river"):
    proposal = a_proposal(process, author, title=title, body="Ten benches, *shaded*.")
    official = process.office.memberships.first().user
    return proposal_services.answer_proposal(proposal, by=official, answer="accepted")


def a_photo(size=(64, 48)) -> SimpleUploadedFile:
    output = io.BytesIO()
    image = Image.new("RGB", size, (30, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    image.save(output, format="JPEG", exif=exif)
    return SimpleUploadedFile("bench.jpg", output.getvalue(), content_type="image/jpeg")


def page(name, budget, project=None) -> str:
    kwargs = {"pk": budget.pk}
    if project is not None:
        kwargs["project"] = project.pk
    return reverse(f"budgets:{name}", kwargs=kwargs)


def form(**fields) -> dict:
    values = {"title": "Shade trees", "cost": "12000", "description": "Forty trees."}
    values.update(fields)
    return values


def test_a_manager_adds_changes_and_removes_a_project(town, voting):  # noqa: F811
    manager = signed_in(town.official)
    ballot = main_part(manager.get(voting.get_absolute_url()))
    assert f'href="{page("projects", voting)}"' in ballot
    assert "Make a project of an accepted proposal" in ballot

    added = manager.post(
        page("add_project", voting),
        form(area=town.north.pk, topic=town.cycling.pk),
    )
    assert added.status_code == 302 and added["Location"] == page("projects", voting)
    project = Project.objects.get(title="Shade trees")
    assert (project.key, project.position, project.cost) == ("1", 4, Decimal(12000))
    assert (project.area, project.topic, project.proposal) == (town.north, town.cycling, None)

    listed = main_part(manager.get(page("projects", voting)))
    assert "Shade trees" in listed and "12,000 EUR" in listed and "North" in listed

    shown = main_part(signed_in(town.verified).get(voting.get_absolute_url()))
    assert f'<a href="{town.north.get_absolute_url()}">North</a>' in shown
    assert f'<a href="{town.cycling.get_absolute_url()}">Cycling</a>' in shown
    assert "Make a project of an accepted proposal" not in shown  # not a manager

    edit = main_part(manager.get(page("edit_project", voting, project)))
    assert 'value="Shade trees"' in edit
    changed = manager.post(
        page("edit_project", voting, project), form(title="Shade trees by the school", cost="9000")
    )
    assert changed.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.cost, project.area) == (
        "Shade trees by the school",
        Decimal(9000),
        None,
    )

    confirm = main_part(manager.get(page("remove_project", voting, project)))
    assert "Remove the project “Shade trees by the school”" in confirm
    assert manager.post(page("remove_project", voting, project)).status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()
    assert list(
        AuditEntry.objects.filter(action__startswith="budgets.project")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["budgets.project_added", "budgets.project_changed", "budgets.project_removed"]


def test_a_form_with_mistakes_keeps_what_was_typed_and_says_what_is_wrong(town, voting):  # noqa: F811
    manager = signed_in(town.official)
    response = manager.post(
        page("add_project", voting), form(title="  ", cost="-5", description="Kept words.")
    )
    text = main_part(response)
    assert "Please correct the marked fields." in text
    assert "Kept words." in text
    assert "Ensure this value is greater than or equal to 0." in text
    assert voting.projects.count() == 4


def test_a_project_made_of_an_accepted_proposal_links_both_ways(town, voting):  # noqa: F811
    proposal = accepted(voting.process, town.verified)
    waiting = a_proposal(voting.process, town.verified, title="Not answered yet")
    manager = signed_in(town.official)

    listing = main_part(manager.get(page("from_proposal", voting)))
    assert "Benches along the river" in listing and "Not answered yet" not in listing

    chosen = manager.get(page("from_proposal", voting), {"proposal": proposal.pk})
    assert chosen["Location"] == f"{page('add_project', voting)}?proposal={proposal.pk}"
    prefilled = main_part(manager.get(chosen["Location"]))
    assert 'value="Benches along the river"' in prefilled
    assert "Ten benches, *shaded*." in prefilled
    assert f'<option value="{proposal.pk}" selected>' in prefilled

    made = manager.post(
        page("add_project", voting),
        form(title="Benches along the river", cost="8000", proposal=proposal.pk),
    )
    assert made.status_code == 302
    project = Project.objects.get(proposal=proposal)

    ballot = main_part(signed_in(town.verified).get(voting.get_absolute_url()))
    assert f'From the proposal <a href="{proposal.get_absolute_url()}">' in ballot
    proposal_page = main_part(signed_in(town.verified).get(proposal.get_absolute_url()))
    assert (
        f'This proposal became the project <a href="{voting.get_absolute_url()}'
        f'#project-{project.pk}">Benches along the river</a> of the budget “Safe streets”.'
    ) in proposal_page
    assert f'id="project-{project.pk}"' in ballot
    assert "This proposal became" not in main_part(
        signed_in(town.verified).get(waiting.get_absolute_url())
    )

    # Once a project, it is offered no more, and a second project of it is refused.
    assert "Benches along the river" not in main_part(manager.get(page("from_proposal", voting)))
    again = manager.post(
        page("add_project", voting), form(title="Benches again", proposal=proposal.pk)
    )
    assert "This proposal is already the project “Benches along the river” of this budget." in (
        main_part(again)
    )
    assert Project.objects.filter(proposal=proposal).count() == 1


def test_a_proposal_not_accepted_or_of_another_process_is_refused(town, voting):  # noqa: F811
    open_one = a_proposal(voting.process, town.verified, title="Still open")
    elsewhere = accepted(town.process((PhaseKind.SUPPORT, -1, 10)), town.verified)
    manager = signed_in(town.official)
    for proposal, message in (
        (open_one, "Only an accepted proposal becomes a project."),
        (elsewhere, "This proposal belongs to another process than this budget."),
    ):
        with pytest.raises(ValidationError):
            services.add_project(
                voting, by=town.official, title="X", cost=Decimal(1), proposal=proposal
            )
        posted = main_part(
            manager.post(page("add_project", voting), form(title="Typed", proposal=proposal.pk))
        )
        assert message in posted and 'value="Typed"' in posted
        prefill = main_part(manager.get(page("add_project", voting), {"proposal": proposal.pk}))
        assert message in prefill
    assert voting.projects.count() == 4


def test_anyone_but_the_managers_is_refused_every_page_and_post(town, voting, client):  # noqa: F811
    project = voting.projects.first()
    proposal = accepted(voting.process, town.verified)
    pages = [
        page("projects", voting),
        page("add_project", voting),
        f"{page('add_project', voting)}?proposal={proposal.pk}",
        page("from_proposal", voting),
        page("edit_project", voting, project),
        page("remove_project", voting, project),
    ]
    for person in (town.other_official, town.verified):
        other = signed_in(person)
        for url in pages:
            assert other.get(url).status_code == 403, url
            assert other.post(url, form(title="Taken over", proposal=proposal.pk)).status_code in (
                403,
                405,
            ), url
        assert "Add, change or remove projects" not in main_part(
            other.get(voting.get_absolute_url())
        )
    for url in pages:
        assert client.get(url).status_code == 302  # to log in
    with pytest.raises(PermissionDenied):
        services.add_project(voting, by=town.other_official, title="X", cost=Decimal(1))
    with pytest.raises(PermissionDenied):
        services.remove_project(project, by=town.verified)
    assert voting.projects.count() == 4 and not voting.projects.filter(title="Taken over")

    draft = a_budget(town.process((PhaseKind.SUPPORT, -1, 10), is_published=False))
    assert signed_in(town.other_official).get(page("projects", draft)).status_code == 404
    assert signed_in(town.official).get(page("projects", draft)).status_code == 200


def test_after_ballots_only_the_description_and_the_image_change(town, voting, media):  # noqa: F811
    project = voting.projects.get(key="racks")
    services.cast_ballot(voting, town.verified, ["racks"])
    manager = signed_in(town.official)
    listed = main_part(manager.get(page("projects", voting)))
    assert "Ballots are cast already" in listed
    assert f'href="{page("add_project", voting)}"' not in listed
    assert f'href="{page("remove_project", voting, project)}"' not in listed
    edit = main_part(manager.get(page("edit_project", voting, project)))
    assert "only the description and the image can change" in edit
    assert 'name="title" value="Project racks" maxlength="300" required disabled' in edit

    saved = manager.post(
        page("edit_project", voting, project),
        form(
            title="Renamed",
            cost="1",
            description="Racks for 40 bikes.",
            image=a_photo(),
            image_alt="Bike racks by a school gate",
        ),
    )
    assert saved.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.cost) == ("Project racks", Decimal(30000))
    assert project.description == "Racks for 40 bikes."
    assert project.image and project.image_alt == "Bike racks by a school gate"

    with pytest.raises(ValidationError, match="only the description and the image"):
        services.change_project(project, by=town.official, cost=Decimal(5))
    with pytest.raises(ValidationError, match="can no longer be removed"):
        services.remove_project(project, by=town.official)
    with pytest.raises(ValidationError, match="can no longer be added"):
        services.add_project(voting, by=town.official, title="Late", cost=Decimal(1))
    removed = manager.post(page("remove_project", voting, project), follow=True)
    assert "can no longer be removed" in main_part(removed)
    assert voting.projects.count() == 4


def test_a_closed_budget_sends_its_managers_to_the_result(town, voting):  # noqa: F811
    voting.is_closed = True
    voting.save(update_fields=["is_closed"])
    response = signed_in(town.official).get(page("projects", voting))
    assert response["Location"] == voting.get_result_url()
    with pytest.raises(ValidationError, match="The vote is closed"):
        services.add_project(voting, by=town.official, title="Late", cost=Decimal(1))


def test_an_image_needs_its_description_and_is_shown_lazily_at_its_size(
    town,  # noqa: F811
    voting,
    media,
    client,
):
    manager = signed_in(town.official)
    refused = manager.post(page("add_project", voting), form(image=a_photo()))
    text = main_part(refused)
    assert "Describe what the image shows, for people who cannot see it." in text
    assert 'value="Shade trees"' in text and "Forty trees." in text
    assert "Choose the image again" in text
    with pytest.raises(ValidationError):
        services.add_project(
            voting, by=town.official, title="X", cost=Decimal(1), image=a_photo(), image_alt=" "
        )
    assert voting.projects.count() == 4

    added = manager.post(
        page("add_project", voting), form(image=a_photo((640, 480)), image_alt="Young oaks")
    )
    assert added.status_code == 302
    project = Project.objects.get(title="Shade trees")
    assert b"SecretCam" not in project.image.read()
    url = page("project_image", voting, project)
    img = (
        f'<img class="project-image" src="{url}" alt="Young oaks" width="640" height="480" '
        'loading="lazy" decoding="async">'
    )
    assert img in main_part(client.get(voting.get_absolute_url()))
    assert client.get(url).status_code == 200
    voting.is_closed = True
    voting.save(update_fields=["is_closed"])
    services.count_budget(voting)
    assert img in main_part(client.get(voting.get_result_url()))

    cleared = manager.get(page("edit_project", voting, project))
    assert cleared.status_code == 302  # closed now: nothing changes


def test_ballot_and_result_pages_keep_their_queries_with_everything_shown(
    town,  # noqa: F811
    voting,
    client,
    media,
):
    proposal = accepted(voting.process, town.verified)
    services.add_project(
        voting,
        by=town.official,
        title="Benches",
        cost=Decimal(100),
        area=town.north,
        topic=town.cycling,
        proposal=proposal,
        image=a_photo(),
        image_alt="A bench",
    )

    def grow():
        for number in range(5):
            services.add_project(
                voting,
                by=town.official,
                title=f"More {number}",
                cost=Decimal(10),
                area=town.south,
                topic=town.cycling,
                proposal=accepted(voting.process, town.verified, title=f"Idea {number}"),
            )

    pages = assert_constant_queries(
        {"visitor": lambda: client.get(voting.get_absolute_url())}, grow, expected={"visitor": 4}
    )
    assert main_part(pages["visitor"][1]).count("From the proposal") == 6

    voting.is_closed = True
    voting.save(update_fields=["is_closed"])
    services.count_budget(voting)
    result = client.get(voting.get_result_url())
    with_many = main_part(result)
    assert "Idea 4" in with_many and 'alt="A bench"' in with_many


def test_the_result_page_reads_two_queries_with_projects_from_proposals(
    town,  # noqa: F811
    voting,
    client,
    django_assert_num_queries,
):
    for number in range(3):
        services.add_project(
            voting,
            by=town.official,
            title=f"From idea {number}",
            cost=Decimal(10),
            area=town.north,
            proposal=accepted(voting.process, town.verified, title=f"Idea {number}"),
        )
    voting.is_closed = True
    voting.save(update_fields=["is_closed"])
    services.count_budget(voting)
    with django_assert_num_queries(2):
        text = main_part(client.get(voting.get_result_url()))
    assert text.count("From the proposal") == 3


def test_the_proposal_page_keeps_its_queries_with_its_projects(town, voting, client):  # noqa: F811
    proposal = accepted(voting.process, town.verified)
    services.add_project(
        voting, by=town.official, title="Benches", cost=Decimal(100), proposal=proposal
    )

    def grow():
        for _number in range(3):
            budget = a_budget(voting.process, title_en="Another budget")
            services.add_project(
                budget, by=town.official, title="Benches", cost=Decimal(1), proposal=proposal
            )

    pages = assert_constant_queries(
        {"page": lambda: client.get(proposal.get_absolute_url())}, grow, expected={"page": 7}
    )
    assert main_part(pages["page"][1]).count("This proposal became the project") == 4


def test_the_api_gives_each_project_its_area_topic_proposal_and_image(
    town,  # noqa: F811
    voting,
    client,
    media,
):
    proposal = accepted(voting.process, town.verified)
    project = services.add_project(
        voting,
        by=town.official,
        title="Benches",
        cost=Decimal(100),
        area=town.north,
        topic=town.cycling,
        proposal=proposal,
        image=a_photo(),
        image_alt="A bench",
    )
    data = client.get(f"/api/v1/budgets/{voting.pk}").json()
    given = {item["key"]: item for item in data["projects"]}
    assert given[project.key]["area"] == "north"
    assert given[project.key]["topic"] == "cycling"
    assert given[project.key]["proposal"] == proposal.pk
    assert given[project.key]["image_url"].endswith(page("project_image", voting, project))
    assert given[project.key]["image_alt"] == "A bench"
    assert given["racks"]["area"] is None and given["racks"]["image_url"] is None

    voting.is_closed = True
    voting.save(update_fields=["is_closed"])
    services.count_budget(voting)
    result = client.get(f"/api/v1/budgets/{voting.pk}/result").json()
    counted = {item["key"]: item for item in result["projects"]}
    assert counted[project.key]["proposal"] == proposal.pk
    assert counted[project.key]["area"] == "north"


def test_the_demo_crossing_patrol_is_made_of_the_demo_accepted_proposal():
    from agora.accounts.demo import load_demo_people
    from agora.budgets.demo import SCHOOL, load_demo_budgets
    from agora.directory.demo import load_demo_directory
    from agora.processes.demo import load_demo_processes
    from agora.proposals.demo import load_demo_proposals

    for load in (load_demo_people, load_demo_directory, load_demo_processes, load_demo_proposals):
        load(force=False)
    assert load_demo_budgets().startswith("Loaded 2 demo budgets")
    patrol = Project.objects.select_related("proposal", "area", "topic").get(key="lollipop")
    assert patrol.budget.process.slug == SCHOOL
    assert patrol.proposal.answer == "accepted"
    assert patrol.area is not None and patrol.topic is not None


def test_a_proposal_about_a_street_keeps_its_street_in_the_prefilled_form(town, voting):  # noqa: F811
    from tests.directory.factories import AreaFactory

    street = AreaFactory(slug="mill-lane", name_en="Mill Lane", kind="street", parent=town.north)
    proposal = accepted(voting.process, town.verified)
    proposal.area = street
    proposal.save(update_fields=["area"])
    manager = signed_in(town.official)
    prefilled = main_part(manager.get(page("add_project", voting), {"proposal": proposal.pk}))
    assert f'<option value="{street.pk}" selected>Mill Lane</option>' in prefilled
    blank = main_part(manager.get(page("add_project", voting)))
    assert "Mill Lane" not in blank  # streets are not offered otherwise
