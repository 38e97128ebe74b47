"""The staff's side of meetings: adding and changing a meeting through its pages (what was
typed is kept when anything is wrong; more seats move people up; a change of time or place
tells everyone on the list), linking what a meeting discussed, and meetings on the process
page, the office page and the directory's map, each in a fixed number of queries. A second
account, not of the staff, is refused everywhere."""

import json
from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from agora.meetings import parts, services
from agora.meetings.models import Meeting, Registration, RegistrationState
from agora.notifications.models import Notification
from agora.processes import pages
from agora.processes.models import PhaseKind, Process
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in
from tests.meetings.conftest import meeting_of
from tests.results.conftest import a_proposal, a_result

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


def form_data(**changes) -> dict:
    start = timezone.localtime() + timedelta(days=5)
    data = {
        "title_en": "Playground on Elm Square",
        "title_es": "Parque infantil en la plaza Elm",
        "description_en": "What should the new playground have?",
        "starts_at": start.strftime(LOCAL),
        "ends_at": (start + timedelta(hours=2)).strftime(LOCAL),
        "mode": "hybrid",
        "address": "Elm Square library, room 2",
        "latitude": "40.420000",
        "longitude": "-3.700000",
        "online_url": "https://meet.example.org/elm",
        "capacity": "2",
        "agenda_en": "Welcome\nIdeas\nNext steps",
        "step_free": "on",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_a_manager_adds_a_meeting_fixing_what_was_wrong_and_it_shows_on_the_process_page(town):
    staff = signed_in(town.official)
    new_url = reverse("meetings:new_for_process", args=[town.meeting_process.slug])
    process_page = main_part(staff.get(town.meeting_process.get_absolute_url()))
    assert f'href="{new_url}"' in process_page

    start = timezone.localtime() + timedelta(days=5)
    wrong = form_data(
        ends_at=(start - timedelta(hours=1)).strftime(LOCAL),
        address="",
        longitude="",
        online_url="",
    )
    page = main_part(staff.post(new_url, wrong))
    assert "The meeting must end after it starts." in page
    assert "Say where people should come." in page
    assert "Give both the latitude and the longitude, or neither." in page
    assert "Give the link people use to join." in page
    assert 'value="Playground on Elm Square"' in page  # what was typed is kept
    assert "Welcome\nIdeas\nNext steps" in page
    assert not Meeting.objects.filter(title_en="Playground on Elm Square").exists()

    response = staff.post(new_url, form_data())
    meeting = Meeting.objects.get(title_en="Playground on Elm Square")
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.process == town.meeting_process and meeting.office is None
    assert (
        meeting.capacity == 2
        and meeting.step_free
        and meeting.agenda
        == [
            "Welcome",
            "Ideas",
            "Next steps",
        ]
    )
    shown = main_part(Client().get(town.meeting_process.get_absolute_url()))
    assert meeting.get_absolute_url() in shown and "Elm Square library, room 2" in shown
    assert new_url not in shown  # visitors are not offered to add one


def test_an_official_adds_a_meeting_of_their_office_shown_on_its_page(town):
    office = town.cycling_unit
    staff = signed_in(town.official)
    new_url = reverse("meetings:new_for_office", args=[office.slug])
    assert f'href="{new_url}"' in main_part(staff.get(office.get_absolute_url()))
    staff.post(new_url, form_data(title_en="Cycling walk", mode="in_person", online_url=""))
    meeting = Meeting.objects.get(title_en="Cycling walk")
    assert meeting.office == office and meeting.process is None
    page = main_part(Client().get(office.get_absolute_url()))
    assert meeting.get_absolute_url() in page
    assert reverse("meetings:office_feed", args=[office.slug]) in page
    assert new_url not in page


def test_nobody_else_may_add_change_or_link(town, meeting):
    proposal = a_proposal(town.meeting_process, town.verified)
    pages = [
        ("get", reverse("meetings:new_for_process", args=[town.meeting_process.slug])),
        ("post", reverse("meetings:new_for_process", args=[town.meeting_process.slug])),
        ("get", reverse("meetings:new_for_office", args=[town.cycling_unit.slug])),
        ("post", reverse("meetings:new_for_office", args=[town.cycling_unit.slug])),
        ("get", reverse("meetings:edit", args=[meeting.pk])),
        ("post", reverse("meetings:edit", args=[meeting.pk])),
        ("post", reverse("meetings:discussed", args=[meeting.pk])),
    ]
    for person in (town.verified, town.other_official):
        client = signed_in(person)
        for method, url in pages:
            data = form_data(title_en="Taken over") if method == "post" else None
            if url.endswith("/discussed/"):
                data = {"proposal": proposal.pk}
            response = getattr(client, method)(url, data)
            assert response.status_code == 404, (person, method, url)
    assert Client().get(pages[0][1]).status_code == 302  # visitors are asked to sign in
    assert not Meeting.objects.filter(title_en="Taken over").exists()
    assert not meeting.discussed_proposals.exists()


def test_more_seats_move_people_up_and_fewer_than_taken_are_refused(town, meeting):
    first, second, third = UserFactory.create_batch(3)
    for person in (first, second, third):
        services.register_for_meeting(meeting, by=person)
    staff = signed_in(town.official)
    url = reverse("meetings:edit", args=[meeting.pk])
    start = timezone.localtime(meeting.starts_at)
    same_time = {
        "starts_at": start.strftime(LOCAL),
        "ends_at": timezone.localtime(meeting.ends_at).strftime(LOCAL),
    }

    response = staff.post(url, form_data(capacity="2", **same_time))
    assert response.status_code == 302
    states = dict(Registration.objects.filter(meeting=meeting).values_list("person", "state"))
    assert states == {
        first.pk: RegistrationState.REGISTERED,
        second.pk: RegistrationState.REGISTERED,
        third.pk: RegistrationState.WAITING,
    }
    promoted = Notification.objects.filter(kind="meeting_promoted")
    assert list(promoted.values_list("recipient", flat=True)) == [second.pk]

    page = main_part(staff.post(url, form_data(capacity="1", title_en="Fewer seats", **same_time)))
    assert "2 people hold seats: there cannot be fewer seats than that." in page
    assert 'value="Fewer seats"' in page
    meeting.refresh_from_db()
    assert meeting.capacity == 2 and meeting.title_en == "Playground on Elm Square"


def test_a_new_time_tells_everyone_on_the_list_and_a_new_title_alone_does_not(town, meeting):
    registered, waiting = UserFactory.create_batch(2)
    services.register_for_meeting(meeting, by=registered)
    services.register_for_meeting(meeting, by=waiting)
    staff = signed_in(town.official)
    url = reverse("meetings:edit", args=[meeting.pk])
    keep = {
        "capacity": "1",
        "starts_at": timezone.localtime(meeting.starts_at).strftime(LOCAL),
        "ends_at": timezone.localtime(meeting.ends_at).strftime(LOCAL),
        "address": meeting.address,
        "online_url": meeting.online_url,
    }
    staff.post(url, form_data(title_en="A new title", **keep))
    assert not Notification.objects.filter(kind="meeting_changed").exists()

    later = timezone.localtime(meeting.starts_at) + timedelta(days=1)
    keep["starts_at"] = later.strftime(LOCAL)
    keep["ends_at"] = (later + timedelta(hours=2)).strftime(LOCAL)
    assert staff.post(url, form_data(title_en="A new title", **keep)).status_code == 302
    told = Notification.objects.filter(kind="meeting_changed")
    assert set(told.values_list("recipient", flat=True)) == {registered.pk, waiting.pk}
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).strftime(LOCAL) == keep["starts_at"]


def test_the_staff_find_and_link_what_was_discussed_and_it_shows_on_the_meeting_page(town, meeting):
    proposal = a_proposal(town.meeting_process, town.verified, title="Shade over the benches")
    result = a_result(town.meeting_process, town.official, title="Shade sails on Elm Square")
    elsewhere = a_proposal(
        town.process((PhaseKind.SUPPORT, -1, 10), slug="elsewhere"),
        town.verified,
        title="Shade in another process",
    )
    staff = signed_in(town.official)
    manage = reverse("meetings:manage", args=[meeting.pk])
    found = main_part(staff.get(manage, {"find": "shade"}))
    assert "Shade over the benches" in found and "Shade sails on Elm Square" in found
    assert "Shade in another process" not in found

    link = reverse("meetings:discussed", args=[meeting.pk])
    staff.post(link, {"proposal": proposal.pk})
    staff.post(link, {"result": result.pk})
    refused = staff.post(link, {"proposal": elsewhere.pk}, follow=True)
    assert "That proposal is not one this meeting can discuss." in main_part(refused)

    page = main_part(Client().get(meeting.get_absolute_url()))
    assert f'href="{proposal.get_absolute_url()}"' in page
    assert f'href="{result.get_absolute_url()}"' in page
    assert "Shade in another process" not in page

    proposal_page = main_part(Client().get(proposal.get_absolute_url()))
    assert "Discussed at meetings" in proposal_page
    assert f'href="{meeting.get_absolute_url()}"' in proposal_page
    assert "Discussed at meetings" not in main_part(Client().get(elsewhere.get_absolute_url()))

    staff.post(link, {"proposal": proposal.pk, "remove": "1"})
    assert list(meeting.discussed_proposals.all()) == []
    assert list(meeting.discussed_results.all()) == [result]


def test_coming_meetings_with_a_place_are_on_the_map_and_nothing_else(town, meeting):
    past = meeting_of(town.meeting_process, days=-3, title_en="Last week's walk")
    online = meeting_of(office=town.parks, mode="online", title_en="Online only")
    walk = meeting_of(office=town.parks, mode="in_person", title_en="Park walk")
    draft = town.process((PhaseKind.SUPPORT, -1, 10), is_published=False, slug="draft")
    hidden = meeting_of(draft, title_en="Draft's meeting")
    points = json.loads(Client().get(reverse("meetings:map_points")).content)
    titles = {feature["properties"]["title"] for feature in points["features"]}
    assert titles == {meeting.title, walk.title}
    point = next(f for f in points["features"] if f["id"] == meeting.pk)
    assert point["geometry"]["coordinates"] == [-3.2, 40.1]
    assert point["properties"]["url"] == meeting.get_absolute_url()

    page = Client().get(reverse("directory:map")).content.decode()
    listed = page[page.index('id="map-meetings-heading"') :]
    assert meeting.get_absolute_url() in listed and walk.get_absolute_url() in listed
    for other in (past, online, hidden):
        assert other.get_absolute_url() not in listed


def test_the_parts_and_the_map_make_a_fixed_number_of_queries(town, meeting, monkeypatch):
    request = RequestFactory().get("/")
    # The meetings' own short list alone (the page reads the others' with it, and keeps them).
    monkeypatch.setattr(pages, "SHORT_LISTS", {"meetings": pages.SHORT_LISTS["meetings"]})

    def process_part():
        pages.SHORT_LISTS["meetings"][1].invalidate()  # nothing kept from an earlier fetch
        process = Process.objects.select_related("office__parent").get(pk=town.meeting_process.pk)
        return parts.process_meetings(as_official(), process)

    def as_official():
        # A fresh person each time: what a person's object keeps (their offices) is not reused.
        request.user = type(town.official).objects.get(pk=town.official.pk)
        return request

    def grow():
        for days in (2, 4, 6, 8, 10, -2, -4, -6):
            meeting_of(town.meeting_process, days=days)
            meeting_of(office=town.cycling_unit, days=days)

    found = assert_constant_queries(
        {
            "points": lambda: Client().get(reverse("meetings:map_points")),
            "process part": process_part,
            "office part": lambda: parts.office_meetings(as_official(), town.cycling_unit),
            "map part": lambda: parts.map_meetings(request),
        },
        grow,
        expected={"points": 1, "process part": 4, "office part": 3, "map part": 1},
    )
    process_part = found["process part"][1].context
    of_process = Meeting.objects.filter(process=town.meeting_process)
    now = timezone.now()
    soonest = list(of_process.filter(ends_at__gt=now).order_by("starts_at", "pk")[:5])
    latest = list(of_process.filter(ends_at__lte=now).order_by("-starts_at", "-pk")[:3])
    assert process_part["coming"] == soonest and len(soonest) == parts.COMING_SIZE
    assert process_part["past"] == latest and len(latest) == parts.PAST_SIZE
    assert len(found["office part"][1].context["coming"]) == parts.COMING_SIZE
