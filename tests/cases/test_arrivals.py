"""A case that arrives at an office reaches the officials who act for it: the office's own and
those of the offices it is part of, who see it in their inbox too."""

from agora.cases import services
from agora.cases.notifying import CASE_ARRIVED
from agora.directory import services as directory_services
from agora.notifications import services as notification_services
from agora.notifications.models import Delivery, Notification
from tests.directory.factories import OfficeFactory
from tests.factories import UserFactory


def arrivals(person) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(recipient=person, kind=CASE_ARRIVED)
        .order_by("id")
        .values_list("event", "subject")
    )


def test_a_new_case_reaches_its_offices_officials_and_those_of_the_offices_above(town):
    works = OfficeFactory(
        slug="works", name_en="Public Works", authority=town.lighting_office.authority
    )
    town.lighting_office.parent = works
    town.lighting_office.save()
    head = UserFactory(display_name="Hector Head")
    directory_services.add_official(works, head)

    case = town.submit()

    expected = [("routed", "Streetlight out on Calle Mayor")]
    assert arrivals(town.lighting_official) == expected
    assert arrivals(head) == expected
    # Not the other offices' officials, nor the resident (who hears of it as news).
    for person in (town.roads_official, town.parks_official, town.resident):
        assert arrivals(person) == []
    notification = Notification.objects.get(recipient=head, kind=CASE_ARRIVED)
    assert notification.url == case.get_absolute_url()


def test_a_transfer_reaches_the_receiving_office_not_the_one_that_sent_it(town):
    case = town.submit()
    services.transfer_case(
        case,
        to_office=town.roads_office,
        reason="Roads handles this lamp.",
        by=town.lighting_official,
    )
    assert arrivals(town.roads_official) == [("transferred", "Streetlight out on Calle Mayor")]
    assert arrivals(town.lighting_official) == [("routed", "Streetlight out on Calle Mayor")]


def test_an_official_who_files_a_case_is_not_told_of_it_and_a_follower_is_not_told_twice(town):
    case = town.submit(by=town.lighting_official)
    assert arrivals(town.lighting_official) == []
    assert case.office == town.lighting_office

    services.follow_case(case, by=town.roads_official)
    services.transfer_case(
        case, to_office=town.roads_office, reason="Ours.", by=town.lighting_official
    )
    assert arrivals(town.roads_official) == []  # told once, as a follower
    assert list(
        Notification.objects.filter(recipient=town.roads_official).values_list("event", flat=True)
    ) == ["transferred"]


def test_officials_choose_email_for_new_cases(
    town, run_worker, django_capture_on_commit_callbacks, settings
):
    from agora.core import identity

    settings.AGORA_AUTHORITY_NAME = "Villaverde City Council"
    identity.forget_held()
    notification_services.set_preference(
        town.lighting_official, kind=CASE_ARRIVED, delivery=Delivery.EMAIL
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = town.submit()
    sent = [m for m in run_worker() if m.to == [town.lighting_official.email]]
    assert len(sent) == 1
    assert sent[0].subject == "[Villaverde City Council] A new case for your office"
    assert "A new case for Public Lighting Unit: “Streetlight out on Calle Mayor”." in sent[0].body
    assert case.get_absolute_url() in sent[0].body

    notification_services.set_preference(
        town.lighting_official, kind=CASE_ARRIVED, delivery=Delivery.OFF
    )
    town.submit(title="Another lamp out")
    assert arrivals(town.lighting_official) == [("routed", "Streetlight out on Calle Mayor")]
