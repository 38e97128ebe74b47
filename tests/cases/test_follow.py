"""Following cases: the resident follows their own case, others follow public ones, and every
step of a case reaches each follower but the one who took it, through the notification
preferences, in a fixed number of queries however many follow. A private case reaches nobody
but its resident and its office's officials."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.cases import services
from agora.cases.models import CaseFollow, State
from agora.cases.notifying import CASE_UPDATE
from agora.notifications import services as notification_services
from agora.notifications.models import Delivery, EmailState, Notification
from agora.social import services as social_services
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in

pytestmark = pytest.mark.django_db


def news_for(person) -> list[str]:
    return list(
        Notification.objects.filter(recipient=person, kind=CASE_UPDATE)
        .order_by("id")
        .values_list("event", flat=True)
    )


def test_the_resident_follows_their_case_and_hears_it_was_routed(town):
    case = town.submit()
    assert CaseFollow.objects.filter(case=case, user=town.resident).exists()
    routed = Notification.objects.get(recipient=town.resident)
    assert routed.kind == CASE_UPDATE and routed.event == "routed"
    assert routed.actor is None  # nobody routed it: the directory did
    assert routed.office == town.lighting_office
    assert routed.subject == "Streetlight out on Calle Mayor"
    assert routed.url == f"/cases/{case.pk}/#event-{case.events.get(kind='routed').pk}"


def test_every_step_reaches_each_follower_but_the_one_who_took_it(town):
    case = town.submit()
    follower = town.other_resident
    assert services.follow_case(case, by=follower) is True
    assert services.follow_case(case, by=follower) is False  # once is enough
    official = town.lighting_official
    services.acknowledge_case(case, by=official)
    services.request_information(case, by=official, question="Which lamp post number?")
    services.provide_information(case, by=town.resident, text="Number 4512.")
    services.answer_case(case, by=official, answer="We replace the lamp on Monday.")
    services.resolve_case(case, by=official)
    services.reopen_case(case, by=town.resident, reason="Still dark.")
    services.transfer_case(case, to_office=town.roads_office, by=official, reason="The post.")
    services.answer_case(case, by=town.roads_official, answer="Fixed the post.")
    services.close_case(case, by=town.resident)

    steps = [
        "acknowledged",
        "info_requested",
        "info_provided",
        "answered",
        "resolved",
        "reopened",
        "transferred",
        "answered",
        "closed",
    ]
    assert news_for(follower) == steps
    resident_steps = [step for step in steps if step not in {"info_provided", "reopened"}]
    assert news_for(town.resident) == ["routed", *resident_steps[:-1]]  # not their own steps
    assert news_for(official) == []  # officials follow only when they choose to

    told = Notification.objects.filter(recipient=follower)
    transfer = told.get(event="transferred")
    assert transfer.office == town.roads_office and transfer.excerpt == "The post."
    reopened = told.get(event="reopened")
    assert reopened.office is None and reopened.actor is None  # the resident is not named
    answered = told.filter(event="answered").first()
    assert answered.office == town.lighting_office and answered.actor == official
    assert answered.excerpt == "We replace the lamp on Monday."


def test_unfollowing_stops_the_news(town):
    case = town.submit()
    services.follow_case(case, by=town.other_resident)
    assert services.unfollow_case(case, by=town.other_resident) is True
    services.acknowledge_case(case, by=town.lighting_official)
    assert news_for(town.other_resident) == []


def test_claiming_an_assisted_case_follows_it(town):
    entry = services.record_case_on_behalf(
        by=town.lighting_official,
        channel="phone",
        kind="report",
        title="Lamp out",
        description="Caller says the lamp is out.",
        topic=town.lighting,
    )
    assert not Notification.objects.filter(kind=CASE_UPDATE).exists()  # nobody follows it yet
    case = services.claim_case(entry.claim_code, user=town.resident)
    assert CaseFollow.objects.filter(case=case, user=town.resident).exists()
    services.acknowledge_case(case, by=town.lighting_official)
    assert news_for(town.resident) == ["acknowledged"]


def test_the_assigned_official_follows_and_hears_the_residents_reply(town):
    case = town.submit()
    official = town.lighting_official
    services.assign_case(case, to=official, by=official)
    services.request_information(case, by=official, question="Which lamp?")
    services.provide_information(case, by=town.resident, text="Number 4512.")
    assert news_for(official) == ["info_provided"]


def test_a_private_case_reaches_only_its_resident_and_its_offices_officials(client, town):
    case = town.submit(is_public=False, title="Private lamp on my street")
    stranger, third = town.other_resident, UserFactory(display_name="Third Person")
    for outsider in (stranger, third, town.roads_official):
        with pytest.raises(services.NotAllowed):
            services.follow_case(case, by=outsider)
    services.follow_case(case, by=town.lighting_official)
    services.acknowledge_case(case, by=town.lighting_official)
    services.transfer_case(
        case, to_office=town.roads_office, by=town.lighting_official, reason="Roads own it."
    )
    services.follow_case(case, by=town.roads_official)
    services.answer_case(case, by=town.roads_official, answer="Done.")

    assert news_for(town.resident) == ["routed", "acknowledged", "transferred", "answered"]
    # The former office's official followed it, and hears nothing once the case has left.
    assert news_for(town.lighting_official) == []
    for outsider in (stranger, third):
        assert not Notification.objects.filter(recipient=outsider).exists()
        html = signed_in(outsider, client).get("/notifications/").content.decode()
        assert "Private lamp" not in html
        assert client.get("/api/v1/notifications").json()["items"] == []
        assert client.get(f"/api/v1/cases/{case.pk}/comments").status_code == 404
        assert client.post(f"/api/v1/cases/{case.pk}/follow").status_code == 404


def test_a_case_made_private_to_others_stays_private_even_to_an_earlier_follower(town):
    """Only public cases can be followed by others; a follow row that somehow points at a
    private case (a data fix, a future change of visibility) still tells nobody."""
    case = town.submit(is_public=False)
    CaseFollow.objects.create(case=case, user=town.other_resident)
    services.acknowledge_case(case, by=town.lighting_official)
    assert news_for(town.other_resident) == []


def test_nobody_blocked_either_way_with_the_actor_is_told(town):
    case = town.submit()
    blocker, blocked = town.other_resident, UserFactory()
    services.follow_case(case, by=blocker)
    services.follow_case(case, by=blocked)
    social_services.block(town.lighting_official, by=blocker)
    social_services.block(blocked, by=town.lighting_official)
    services.acknowledge_case(case, by=town.lighting_official)
    assert news_for(blocker) == [] and news_for(blocked) == []
    assert news_for(town.resident) == ["routed", "acknowledged"]


def test_telling_many_followers_costs_the_same_queries_as_telling_a_few(town):
    def queries_with(number: int) -> int:
        case = town.submit(title=f"Lamp for {number}")
        for follower in UserFactory.create_batch(number):
            services.follow_case(case, by=follower)
        notification_services.set_preference(
            UserFactory(), kind=CASE_UPDATE, delivery=Delivery.EMAIL
        )
        official = type(town.lighting_official).objects.get(pk=town.lighting_official.pk)
        with CaptureQueriesContext(connection) as queries:
            services.acknowledge_case(case, by=official)
        assert Notification.objects.filter(event="acknowledged", subject=case.title).count() == (
            number + 1
        )
        return len(queries)

    assert queries_with(5) == queries_with(50) == 10


def test_preferences_per_kind_apply_to_case_news(
    town, run_worker, django_capture_on_commit_callbacks
):
    resident = town.resident
    notification_services.set_preference(resident, kind=CASE_UPDATE, delivery=Delivery.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        case = town.submit()
        services.acknowledge_case(case, by=town.lighting_official)
    sent = run_worker()
    assert [message.to for message in sent] == [[resident.email], [resident.email]]
    assert "The case “Streetlight out on Calle Mayor” was sent to Public Lighting Unit." in (
        sent[0].body
    )
    assert "Public Lighting Unit acknowledged the case “Streetlight out on Calle Mayor”." in (
        sent[1].body
    )
    assert f"/cases/{case.pk}/#event-" in sent[1].body
    news = Notification.objects.filter(kind=CASE_UPDATE)
    assert set(news.values_list("email_state", flat=True)) == {EmailState.SENT}

    notification_services.set_preference(resident, kind=CASE_UPDATE, delivery=Delivery.OFF)
    services.answer_case(case, by=town.lighting_official, answer="Monday.")
    assert news_for(resident) == ["routed", "acknowledged"]


def test_case_news_waits_for_the_digest(town, run_worker):
    from django.core.management import call_command

    notification_services.set_preference(
        town.other_resident, kind=CASE_UPDATE, delivery=Delivery.DIGEST
    )
    case = town.submit()
    services.follow_case(case, by=town.other_resident)
    services.acknowledge_case(case, by=town.lighting_official)
    services.answer_case(case, by=town.lighting_official, answer="Monday.")
    call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sent = [message for message in run_worker() if message.to == [town.other_resident.email]]
    assert len(sent) == 1
    assert "Public Lighting Unit acknowledged the case" in sent[0].body
    assert "Public Lighting Unit answered the case" in sent[0].body


def test_the_follow_button_follows_and_unfollows(client, town):
    case = town.submit()
    signed_in(town.other_resident, client)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Follow this case" in html
    response = client.post(f"/cases/{case.pk}/follow/")
    assert response.status_code == 302
    assert CaseFollow.objects.filter(case=case, user=town.other_resident).exists()
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'aria-pressed="true">Following this case' in html
    assert case.title in client.get("/cases/following/").content.decode()
    client.post(f"/cases/{case.pk}/follow/")
    assert not CaseFollow.objects.filter(case=case, user=town.other_resident).exists()
    assert case.title not in client.get("/cases/following/").content.decode()


def test_the_follow_button_is_refused_on_a_private_case_and_to_anonymous_people(client, town):
    case = town.submit(is_public=False)
    assert client.post(f"/cases/{case.pk}/follow/").status_code == 302  # to the login page
    assert signed_in(town.other_resident, client).post(f"/cases/{case.pk}/follow/").status_code == (
        404
    )
    assert not CaseFollow.objects.filter(user=town.other_resident).exists()


def test_the_api_follows_unfollows_and_lists_followed_cases(client, town):
    case, private = town.submit(), town.submit(is_public=False)
    signed_in(town.other_resident, client)
    assert client.post(f"/api/v1/cases/{case.pk}/follow").json() == {"following": True}
    listed = client.get("/api/v1/cases/following").json()
    assert [item["id"] for item in listed["items"]] == [case.pk]
    assert client.delete(f"/api/v1/cases/{case.pk}/follow").json() == {"following": False}
    assert client.get("/api/v1/cases/following").json()["count"] == 0
    assert client.post(f"/api/v1/cases/{private.pk}/follow").status_code == 404
    signed_in(town.resident, client)
    mine = client.get("/api/v1/cases/following").json()
    assert {item["id"] for item in mine["items"]} == {case.pk, private.pk}


def test_the_followed_lists_read_in_a_constant_number_of_queries(client, town):
    signed_in(town.other_resident, client)

    def follow(number):
        for index in range(number):
            services.follow_case(
                town.submit(title=f"Lamp {number}-{index}"), by=town.other_resident
            )

    follow(5)
    lists = assert_constant_queries(
        {
            "page": lambda: client.get("/cases/following/"),
            "api": lambda: client.get("/api/v1/cases/following"),
        },
        lambda: follow(45),
        expected={"page": 3, "api": 3},  # the API also counts the request budget
    )
    for page, api, count in zip(lists["page"], lists["api"], (5, 50), strict=True):
        assert main_part(page).count('<td><a href="/cases/') == count
        assert api.json()["count"] == count and len(api.json()["items"]) == count


def test_the_resident_answers_the_offices_question_and_the_case_returns_to_the_office(client, town):
    case = town.submit()
    services.request_information(case, by=town.lighting_official, question="Which lamp?")
    html = signed_in(town.other_resident, client).get(case.get_absolute_url()).content.decode()
    assert "Your answer to the office" not in html
    assert client.post(
        f"/cases/{case.pk}/provide_information/", {"provide_information-text": "Mine now"}
    ).status_code == (403)

    signed_in(town.resident, client)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "The office asks you for information" in html and "Your answer to the office" in html
    response = client.post(f"/cases/{case.pk}/provide_information/", {})
    assert response.status_code == 400  # the answer is required, and said so beside the field
    assert 'id="id_provide_information-text_error"' in response.content.decode()
    response = client.post(
        f"/cases/{case.pk}/provide_information/",
        {"provide_information-text": "Lamp post number 4512."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.ACKNOWLEDGED
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Information from the resident" in html and "Lamp post number 4512." in html
    assert "Your answer to the office" not in html  # asked once, answered once

    inbox = signed_in(town.lighting_official, client).get(
        "/cases/inbox/public-lighting/?state=acknowledged"
    )
    assert case.title in inbox.content.decode()


def test_the_resident_answers_through_the_api(client, town):
    case = town.submit()
    services.request_information(case, by=town.lighting_official, question="Which lamp?")
    url = f"/api/v1/cases/{case.pk}/provide_information"
    signed_in(town.other_resident, client)
    assert client.post(url, {"text": "x"}, content_type="application/json").status_code == 403
    body = (
        signed_in(town.resident, client)
        .post(url, {"text": "Number 4512."}, content_type="application/json")
        .json()
    )
    assert body["state"] == "acknowledged"
    assert body["events"][-1]["kind"] == "info_provided"
    assert body["events"][-1]["actor"] is None  # the resident is not named
    response = client.post(url, {"text": "Again"}, content_type="application/json")
    assert response.status_code == 409
