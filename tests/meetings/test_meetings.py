"""Meetings: registration with a capacity and a waiting list that moves up (and tells) the next
person when a seat frees, one registration per person held by the database, the online link
for registered people only, reminders the day before (once), attendance and minutes by the
staff only, calendars read back with the `icalendar` library, and pinned query counts."""

import threading
from datetime import timedelta

import icalendar
import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agora.core.refusals import Refused
from agora.meetings import calendars, services
from agora.meetings.models import Meeting, Registration, RegistrationState
from agora.notifications.models import Notification
from agora.processes.models import PhaseKind
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in
from tests.meetings.conftest import meeting_of
from tests.results.conftest import a_proposal, a_result

pytestmark = pytest.mark.django_db


def read_calendar(url: str) -> icalendar.Calendar:
    response = Client().get(url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def state_of(meeting, person) -> str:
    return Registration.objects.get(meeting=meeting, person=person).state


def test_a_freed_seat_goes_to_the_first_person_waiting_who_is_told(town, meeting):
    first, second, third = town.signed_in, town.verified, town.outsider
    for person in (first, second, third):
        signed_in(person).post(reverse("meetings:register", args=[meeting.pk]))
    assert [state_of(meeting, p) for p in (first, second, third)] == [
        RegistrationState.REGISTERED,
        RegistrationState.WAITING,
        RegistrationState.WAITING,
    ]
    page = main_part(signed_in(second).get(meeting.get_absolute_url()))
    assert "You are on the waiting list." in page
    signed_in(first).post(reverse("meetings:cancel", args=[meeting.pk]))
    assert state_of(meeting, second) == RegistrationState.REGISTERED
    assert state_of(meeting, third) == RegistrationState.WAITING
    told = Notification.objects.get(kind="meeting_promoted")
    assert told.recipient == second
    assert told.url == meeting.get_absolute_url()
    # Someone waiting who cancels frees no seat: nobody else moves.
    signed_in(third).post(reverse("meetings:cancel", args=[meeting.pk]))
    assert Notification.objects.filter(kind="meeting_promoted").count() == 1


def test_one_registration_per_person_is_held_by_the_database(town, meeting):
    Registration.objects.create(meeting=meeting, person=town.signed_in, state="registered")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(meeting=meeting, person=town.signed_in, state="waiting")
    with pytest.raises(Refused) as refused:
        services.register_for_meeting(meeting, by=town.signed_in)
    assert refused.value.code == "already"


def test_the_online_link_is_shown_to_registered_people_only(town, meeting):
    link = "https://meet.example.org/north"
    services.register_for_meeting(meeting, by=town.signed_in)
    assert link in main_part(signed_in(town.signed_in).get(meeting.get_absolute_url()))
    page = main_part(signed_in(town.verified).get(meeting.get_absolute_url()))
    assert link not in page
    assert "The link is shown here to registered people." in page
    assert link not in main_part(Client().get(meeting.get_absolute_url()))
    assert link not in Client().get(reverse("meetings:ics", args=[meeting.pk])).content.decode()


def test_registration_follows_the_process_phase_and_an_ended_meeting_takes_no_one(town):
    later = town.process((PhaseKind.CLOSED, -1, None), slug="closed-town")
    closed = meeting_of(later)
    page = main_part(signed_in(town.signed_in).get(closed.get_absolute_url()))
    assert "The current phase of the process does not allow this." in page
    past = meeting_of(town.meeting_process, days=-2)
    with pytest.raises(Refused):
        services.register_for_meeting(past, by=town.signed_in)
    office_meeting = meeting_of(office=town.parks)
    assert "Log in to take part." in main_part(Client().get(office_meeting.get_absolute_url()))


def test_reminders_go_the_day_before_to_registered_people_once(town):
    tomorrow = timezone.now() + timedelta(days=1)
    soon = meeting_of(
        town.meeting_process, starts_at=tomorrow, ends_at=tomorrow + timedelta(hours=1)
    )
    services.register_for_meeting(soon, by=town.signed_in)
    services.register_for_meeting(soon, by=town.verified)  # waiting: not reminded
    meeting_of(town.meeting_process, days=5)
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    reminded = Notification.objects.filter(kind="meeting_reminder")
    assert [n.recipient for n in reminded] == [town.signed_in]


def test_the_staff_mark_attendance_and_publish_minutes_and_nobody_else_may(town, meeting):
    services.register_for_meeting(meeting, by=town.signed_in)
    manage = reverse("meetings:manage", args=[meeting.pk])
    assert signed_in(town.signed_in).get(manage).status_code == 404
    staff = signed_in(town.official)
    registration = Registration.objects.get()
    staff.post(manage, {"attended": [registration.pk], "unnamed": "12"})
    bad = staff.post(manage, {"minutes_en": "", "minutes_es": ""})
    assert "Write the minutes in at least one language." in main_part(bad)
    staff.post(manage, {"minutes_en": "We agreed on three crossings.", "minutes_es": ""})
    page = main_part(Client().get(meeting.get_absolute_url()))
    assert "We agreed on three crossings." in page
    assert "13 people came." in page  # one named, twelve counted without names
    assert town.signed_in.name not in page
    with pytest.raises(Refused):
        services.publish_minutes(meeting, by=town.verified, minutes_en="x", minutes_es="")


def test_calendars_read_back_as_icalendar(town, meeting):
    services.register_for_meeting(meeting, by=town.signed_in)
    meeting_of(office=town.cycling_unit, title_en="Office hours; open, to all")
    event = read_calendar(reverse("meetings:ics", args=[meeting.pk])).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Town hall, north"
    assert event.decoded("DTSTART") == meeting.starts_at.replace(microsecond=0)
    assert str(event["LOCATION"]) == "North school, Main Street 1"
    assert "Questions" in str(event["DESCRIPTION"])
    feeds = {
        "process": reverse("meetings:process_feed", args=[town.meeting_process.slug]),
        "office": reverse("meetings:office_feed", args=[town.cycling_unit.slug]),
        "person": reverse("meetings:person_feed", args=[calendars.feed_token(town.signed_in)]),
    }
    summaries = {
        name: [str(event["SUMMARY"]) for event in read_calendar(url).walk("VEVENT")]
        for name, url in feeds.items()
    }
    assert summaries["process"] == ["Town hall, north"]
    assert sorted(summaries["office"]) == ["Office hours; open, to all", "Town hall, north"]
    assert summaries["person"] == ["Town hall, north"]
    assert Client().get(reverse("meetings:person_feed", args=["forged"])).status_code == 404


def test_the_meeting_page_and_the_feeds_make_a_fixed_number_of_queries(town, meeting):
    person, staff = signed_in(town.signed_in), signed_in(town.official)
    services.register_for_meeting(meeting, by=town.signed_in)

    def grow():
        for number, other in enumerate(UserFactory.create_batch(3)):
            services.register_for_meeting(meeting, by=other)
            meeting_of(town.meeting_process)
            proposal = a_proposal(town.meeting_process, other, title=f"Bench {number}")
            result = a_result(town.meeting_process, town.official, title=f"Benches {number}")
            services.link_discussed(meeting, by=town.official, proposal_id=proposal.pk)
            services.link_discussed(meeting, by=town.official, result_id=result.pk)

    assert_constant_queries(
        {
            "page": lambda: person.get(meeting.get_absolute_url()),
            "feed": lambda: Client().get(
                reverse("meetings:process_feed", args=[town.meeting_process.slug])
            ),
            "manage": lambda: staff.get(reverse("meetings:manage", args=[meeting.pk])),
        },
        grow,
        expected={"page": 10, "feed": 2, "manage": 9},
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's connections")
@pytest.mark.django_db(transaction=True)
def test_two_registrations_for_the_last_seat_leave_one_registered_and_one_waiting(town, meeting):
    people = [town.signed_in, town.verified]
    barrier = threading.Barrier(2)
    errors = []

    def register(person):
        try:
            barrier.wait(timeout=10)
            services.register_for_meeting(Meeting.objects.get(pk=meeting.pk), by=person)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Registration.objects.values_list("state", flat=True)) == ["registered", "waiting"]
