"""Case news in the notification list, the emails and the API: spoken by an office or by
nobody, marked read one at a time (a button without JavaScript, or the API), and read in the
same number of queries for 5 as for 50."""

import pytest

from agora.cases import services
from agora.notifications.models import Notification
from tests.cases.conftest import build_city
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db):
    return build_city()


def test_the_list_says_who_spoke_for_case_news(client, town):
    case = town.submit()
    services.acknowledge_case(case, by=town.lighting_official)
    services.transfer_case(
        case, to_office=town.roads_office, by=town.lighting_official, reason="Roads own posts."
    )
    html = signed_in(town.resident, client).get("/notifications/").content.decode()
    assert "The case “Streetlight out on Calle Mayor” was sent to Public Lighting Unit." in html
    assert "Public Lighting Unit acknowledged the case “Streetlight out on Calle Mayor”." in html
    assert "The case “Streetlight out on Calle Mayor” was transferred to Roads Department." in html
    assert "<q>Roads own posts.</q>" in html
    assert f'href="/cases/{case.pk}/#event-' in html
    assert "Lucia Lighting" not in html  # the office speaks, not the official


def test_the_api_lists_case_news_with_its_office_and_a_sentence(client, town):
    case = town.submit()
    services.answer_case(case, by=town.lighting_official, answer="Monday.")
    body = signed_in(town.resident, client).get("/api/v1/notifications").json()
    assert body["unread"] == 2
    answered, routed = body["items"]
    assert routed["kind"] == "case_update" and routed["event"] == "routed"
    assert routed["actor"] is None
    assert routed["office"] == {"slug": "public-lighting", "name": "Public Lighting Unit"}
    assert routed["text"] == (
        "The case “Streetlight out on Calle Mayor” was sent to Public Lighting Unit."
    )
    assert answered["event"] == "answered" and answered["excerpt"] == "Monday."
    assert answered["actor"]["display_name"] == "Lucia Lighting"
    assert answered["subject"] == "Streetlight out on Calle Mayor"
    assert answered["url"].endswith(f"/cases/{case.pk}/#event-{case.events.last().pk}")


def test_the_api_speaks_the_callers_language(client, town):
    town.lighting_office.name_es = "Unidad de Alumbrado Público"
    town.lighting_office.save()
    town.submit()
    town.resident.preferred_language = "es"
    town.resident.save()
    text = signed_in(town.resident, client).get("/api/v1/notifications").json()["items"][0]
    assert "Unidad de Alumbrado Público" in text["text"]


def test_one_notification_is_marked_read_with_its_own_button(client, town):
    case = town.submit()
    services.acknowledge_case(case, by=town.lighting_official)
    routed, acknowledged = Notification.objects.filter(recipient=town.resident).order_by("id")
    signed_in(town.resident, client)
    html = client.get("/notifications/").content.decode()
    assert f'action="/notifications/{routed.pk}/read"' in html
    assert f'aria-describedby="notification-{routed.pk}">Mark read</button>' in html
    response = client.post(f"/notifications/{routed.pk}/read", {"next": "/notifications/?x=1"})
    assert response.status_code == 302 and response.url == "/notifications/?x=1"
    routed.refresh_from_db()
    acknowledged.refresh_from_db()
    assert routed.read_at is not None and acknowledged.read_at is None
    html = client.get("/notifications/").content.decode()
    assert f'action="/notifications/{routed.pk}/read"' not in html
    assert "(1 unread)" in html
    response = client.post(
        f"/notifications/{acknowledged.pk}/read", {"next": "https://evil.example/"}
    )
    assert response.url == "/notifications/"


def test_nobody_marks_another_persons_notification(client, town):
    town.submit()
    notification = Notification.objects.get(recipient=town.resident)
    signed_in(town.other_resident, client)
    assert client.post(f"/notifications/{notification.pk}/read").status_code == 404
    response = client.post(f"/api/v1/notifications/{notification.pk}/read")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    notification.refresh_from_db()
    assert notification.read_at is None
    assert client.get(f"/notifications/{notification.pk}/read").status_code == 405


def test_the_api_marks_one_read(client, town):
    town.submit()
    notification = Notification.objects.get(recipient=town.resident)
    signed_in(town.resident, client)
    body = client.post(f"/api/v1/notifications/{notification.pk}/read").json()
    assert body["id"] == notification.pk and body["read"] is True
    assert client.get("/api/v1/notifications").json()["unread"] == 0
    again = client.post(f"/api/v1/notifications/{notification.pk}/read").json()
    assert again["read"] is True  # marking twice changes nothing


def test_case_news_lists_read_in_a_constant_number_of_queries(client, town):
    signed_in(town.resident, client)
    officials = [town.lighting_official, *UserFactory.create_batch(2)]

    def add(number):
        for index in range(number):
            case = town.submit(title=f"Lamp {number}-{index}")
            services.comment_on_case(case, by=officials[index % 3], body="Seen.")

    add(3)  # 6 notifications: routed and a comment each
    lists = assert_constant_queries(
        {
            "page": lambda: client.get("/notifications/"),
            "api": lambda: client.get("/api/v1/notifications"),
        },
        lambda: add(22),
        expected={"page": 3, "api": 4},  # the API also counts the request budget
    )
    assert Notification.objects.filter(recipient=town.resident).count() == 50
    for page, api, (shown, unread) in zip(
        lists["page"], lists["api"], ((6, 6), (30, 50)), strict=True
    ):
        assert main_part(page).count('<li class="notification unread">') == shown
        assert main_part(page).count("<q>Seen.</q>") == shown // 2
        assert len(api.json()["items"]) == shown and api.json()["unread"] == unread
