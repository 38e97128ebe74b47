"""Moderators scoped to a process or an office: their queue shows only the items that belong
to it, and they decide only on those; a moderator without a scope sees and decides all."""

import pytest
from django.test import Client

from agora.directory.models import Authority, Office, OfficeMembership
from agora.moderation import services
from agora.moderation.models import ModeratedItem, ModeratorScope
from agora.processes.models import PhaseKind
from agora.social import services as social
from tests.helpers import main_part
from tests.moderation.conftest import a_moderator, settled
from tests.moderation.test_reports import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_offices(db):
    city = Authority.objects.create(slug="city", name_en="City")
    parks = Office.objects.create(authority=city, slug="parks", name_en="Parks office")
    roads = Office.objects.create(authority=city, slug="roads", name_en="Roads office")
    items = {}
    for office, words in ((parks, "The parks close at dusk."), (roads, "Road works on Elm St.")):
        official = settled()
        OfficeMembership.objects.create(office=office, user=official)
        announcement = social.create_post(by=official, body=words, office=office)
        report(announcement, settled())
        items[office.slug] = ModeratedItem.objects.get(kind="post", object_id=announcement.pk)
    return parks, roads, items


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_a_moderator_of_one_office_sees_and_decides_only_its_items(two_offices, rules):
    parks, _roads, items = two_offices
    scoped = a_moderator("Pia Parks")
    ModeratorScope.objects.create(person=scoped, scope=parks)
    everyone = a_moderator("Mona Moderator")

    queue = main_part(signed_in(scoped).get("/moderation/queue/"))
    assert "The parks close at dusk." in queue and "Road works" not in queue
    assert signed_in(scoped).get(items["roads"].get_absolute_url()).status_code == 404
    with pytest.raises(services.ModerationError, match="Only moderators of what it belongs"):
        services.decide(items["roads"], by=scoped, action="dismiss")
    refused = signed_in(scoped).post(
        "/moderation/queue/decide", {"items": [items["roads"].pk], "action": "dismiss"}
    )
    assert "Choose at least one item" in refused.content.decode()
    items["roads"].refresh_from_db()
    assert items["roads"].state == "open"

    answer = signed_in(scoped).post(
        items["parks"].get_absolute_url(), {"action": "dismiss", "facts": "Not a breach."}
    )
    assert answer.status_code == 302
    items["parks"].refresh_from_db()
    assert items["parks"].state == "decided"

    full = main_part(signed_in(everyone).get("/moderation/queue/"))
    assert "Road works on Elm St." in full
    services.decide(items["roads"], by=everyone, action="dismiss")


def test_a_moderator_of_an_office_moderates_its_processes_too(db, rules):
    """A process lies inside its responsible office: a moderator scoped to the office sees and
    decides the proposals written in its processes; one scoped to another office does not."""
    from tests.processes.conftest import build_town
    from tests.proposals.conftest import a_proposal, support_process

    town = build_town()
    process = support_process(town)  # the cycling unit's process
    proposal = a_proposal(process, settled(), title="Kerbs on the cycle lane")
    report(proposal, settled())
    item = ModeratedItem.objects.get(kind="proposal", object_id=proposal.pk)
    assert (item.scope_type.model, item.scope_id) == ("process", process.pk)

    office_moderator = a_moderator("Olivia Office")
    ModeratorScope.objects.create(person=office_moderator, scope=process.office)
    other_office = a_moderator("Pia Parks")
    ModeratorScope.objects.create(person=other_office, scope=town.parks)

    assert "Kerbs on the cycle lane" in main_part(
        signed_in(office_moderator).get("/moderation/queue/")
    )
    assert "Kerbs on the cycle lane" not in main_part(
        signed_in(other_office).get("/moderation/queue/")
    )
    assert signed_in(other_office).get(item.get_absolute_url()).status_code == 404
    with pytest.raises(services.ModerationError):
        services.decide(item, by=other_office, action="dismiss")
    services.decide(item, by=office_moderator, action="dismiss")
    item.refresh_from_db()
    assert item.state == "decided"


def test_a_petition_belongs_to_its_process_or_else_to_its_office(db, rules):
    from tests.petitions.conftest import an_open_petition
    from tests.processes.conftest import build_town

    town = build_town()
    process = town.process((PhaseKind.SUPPORT, -1, 10))
    loose = an_open_petition(town, title="Shade on the river walk")
    inside = an_open_petition(town, title="Benches in the square", process=process)
    for petition in (loose, inside):
        report(petition, settled())
    scopes = {
        item.object_id: (item.scope_type.model, item.scope_id)
        for item in ModeratedItem.objects.filter(kind="petition")
    }
    assert scopes == {
        loose.pk: ("office", town.cycling_unit.pk),
        inside.pk: ("process", process.pk),
    }
