"""Kinds of account: set by administrators (an institutional account is an official of an
office), shown as a badge wherever a name is, carried by the API, filtered on in the feeds
(keyset pages, pinned query counts), explained on profiles; and pre-election periods at their
edges."""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from agora.accounts import services
from agora.accounts.kinds import AccountKind
from agora.accounts.models import ElectionPeriod, Role, Verification
from agora.core.models import AuditEntry
from agora.directory import services as directory_services
from agora.social import services as social
from agora.social.models import Post
from tests.directory.factories import AuthorityFactory, OfficeFactory
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    administrator = UserFactory(handle="admin", display_name="Ada Admin", role=Role.ADMINISTRATOR)
    office = OfficeFactory(slug="water", name_en="Water Service", authority=AuthorityFactory())
    service = UserFactory(handle="water", display_name="Water Service", role=Role.OFFICIAL)
    directory_services.add_official(office, service)
    services.set_kind(service, kind=AccountKind.INSTITUTIONAL, by=administrator)
    councillor = UserFactory(handle="councillor", display_name="Carla Councillor")
    services.set_kind(
        councillor, kind=AccountKind.POLITICAL, by=administrator, detail="Councillor, Centro"
    )
    resident = UserFactory(handle="rosa", display_name="Rosa Resident")
    return administrator, office, service, councillor, resident


# Setting the kind -------------------------------------------------------------------------


def test_an_administrator_sets_a_kind_and_it_is_recorded(people):
    administrator, _office, service, councillor, _resident = people
    councillor.refresh_from_db()
    assert councillor.kind == AccountKind.POLITICAL
    assert councillor.kind_set_by == administrator
    assert councillor.kind_set_at is not None
    assert councillor.kind_detail == "Councillor, Centro"
    entry = AuditEntry.objects.filter(action="accounts.kind_changed").last()
    assert entry is not None and entry.actor_id == administrator.pk


def test_only_an_official_of_an_office_can_be_institutional(people):
    administrator, *_rest, resident = people
    with pytest.raises(ValidationError, match="official of an office first"):
        services.set_kind(resident, kind=AccountKind.INSTITUTIONAL, by=administrator)
    resident.refresh_from_db()
    assert resident.kind == AccountKind.RESIDENT


def test_only_administrators_set_kinds(people):
    *_rest, councillor, resident = people
    with pytest.raises(PermissionDenied):
        services.set_kind(resident, kind=AccountKind.POLITICAL, by=councillor)


def test_the_admin_action_says_why_an_account_cannot_be_institutional(people):
    administrator, *_rest, resident = people
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(administrator, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    administrator.is_staff = administrator.is_superuser = True
    administrator.save(update_fields=["is_staff", "is_superuser"])
    client = signed_in(administrator)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "make_kind_institutional", "_selected_action": [resident.pk]},
        follow=True,
    )
    assert "official of an office first" in response.content.decode()
    resident.refresh_from_db()
    assert resident.kind == AccountKind.RESIDENT


# Badges wherever a name is -----------------------------------------------------------------


def test_the_feed_shows_each_kinds_badge_in_words(people):
    _administrator, office, service, councillor, resident = people
    reader = UserFactory()
    for person in (service, councillor, resident):
        social.follow(person, by=reader)
        social.create_post(by=person, body=f"Hello from {person.handle}")
    html = main_part(signed_in(reader).get("/home/"))
    assert '<span class="kind-badge kind-badge--institutional">Institutional</span>' in html
    assert '<span class="kind-badge kind-badge--political">Political</span>' in html
    assert '<span class="kind-badge kind-badge--resident">Resident</span>' in html


def test_an_announcement_by_a_hidden_official_shows_the_office_as_institutional(people):
    _administrator, office, service, *_rest = people
    service.profile_visibility = "private"
    service.save(update_fields=["profile_visibility"])
    social.create_post(by=service, body="Water cut on Monday", office=office)
    html = main_part(signed_in(UserFactory()).get("/latest/"))
    assert "Water Service" in html
    assert "kind-badge--institutional" in html


def test_the_api_names_the_kind_of_every_author(people):
    _administrator, _office, service, councillor, resident = people
    for person in (service, councillor, resident):
        social.create_post(by=person, body=f"Hello from {person.handle}")
    posts = signed_in(UserFactory()).get("/api/v1/posts").json()["items"]
    kinds_by_handle = {post["author"]["handle"]: post["author"]["kind"] for post in posts}
    assert kinds_by_handle == {
        "water": "institutional",
        "councillor": "political",
        "rosa": "resident",
    }


def test_the_profile_explains_its_badges_without_javascript(people):
    administrator, _office, _service, councillor, resident = people
    services.verify_resident(resident, by=administrator)
    html = main_part(signed_in(UserFactory()).get("/@councillor/"))
    assert '<li class="kind-badge kind-badge--political">Political</li>' in html
    assert "Councillor, Centro" in html
    assert "<details" in html and "Why these badges?" in html
    assert "An elected representative, a party group or a candidate." in html
    assert "Set by Ada Admin (an administrator) on" in html
    verified = main_part(signed_in(UserFactory()).get("/@rosa/"))
    assert "Verified on" in verified and "by Ada Admin, an administrator" in verified


# Filtering the feeds by kind ----------------------------------------------------------------


def test_the_home_feed_filters_by_kind(people):
    _administrator, office, service, councillor, resident = people
    reader = UserFactory()
    for person in (service, councillor, resident):
        social.follow(person, by=reader)
    social.follow_source(office, by=reader)
    social.create_post(by=service, body="Service post")
    social.create_post(by=service, body="Announcement", office=office)
    social.create_post(by=councillor, body="Councillor post")
    social.create_post(by=resident, body="Resident post")
    client = signed_in(reader)
    shown = {
        name: main_part(client.get("/home/", {"filter": name}))
        for name in ("institutional", "political", "residents")
    }
    assert "Service post" in shown["institutional"] and "Announcement" in shown["institutional"]
    assert "Councillor post" not in shown["institutional"]
    assert "Councillor post" in shown["political"]
    assert "Resident post" not in shown["political"] and "Announcement" not in shown["political"]
    assert "Resident post" in shown["residents"] and "Service post" not in shown["residents"]
    assert 'href="?filter=political" aria-current="page"' in shown["political"]
    api = client.get("/api/v1/feed", {"filter": "political"})
    assert api.status_code == 200
    assert {item["author"]["kind"] for item in api.json()["items"]} == {"political"}
    public = client.get("/api/v1/posts", {"filter": "institutional"}).json()["items"]
    assert {item["author"]["kind"] for item in public} == {"institutional"}
    assert len(public) == 2


@pytest.mark.parametrize(("path", "expected"), [("/home/", 5), ("/latest/", 4)])
def test_kind_filtered_pages_keep_their_query_count_and_keyset_paging(
    people, path, expected, django_assert_num_queries
):
    _administrator, _office, _service, councillor, _resident = people
    reader = UserFactory()
    social.follow(councillor, by=reader)
    client = signed_in(reader)

    def grow_to(number):
        while councillor.posts.count() < number:
            social.create_post(by=councillor, body=f"Motion {councillor.posts.count():02}")

    grow_to(3)
    few, many = assert_constant_queries(
        lambda: client.get(path, {"filter": "political"}), lambda: grow_to(25), expected=expected
    )
    assert "Motion 02" in main_part(few)
    first = main_part(many)
    assert "Motion 24" in first and "Motion 04" not in first
    assert "filter=political&amp;before=" in first
    cursor = first.split("filter=political&amp;before=")[1].split('"')[0]
    second = main_part(client.get(path, {"filter": "political", "before": cursor}))
    assert "Motion 04" in second and "Motion 24" not in second


# The pre-election period ------------------------------------------------------------------

MADRID = ZoneInfo("Europe/Madrid")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=MADRID)


@pytest.fixture
def period():
    return ElectionPeriod.objects.create(
        label="Municipal elections 2027", starts_on=date(2027, 5, 1), ends_on=date(2027, 5, 28)
    )


def _announce(office, service, moment, *, service_information=False):
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=moment):
        return social.create_post(
            by=service,
            body="Water cut in Centro",
            office=office,
            service_information=service_information,
        )


@override_settings(TIME_ZONE="Europe/Madrid")
@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (at(date(2027, 4, 30), 23, 59), False),  # the last minute before
        (at(date(2027, 5, 1), 0, 0), True),  # the first minute
        (at(date(2027, 5, 28), 23, 59), True),  # election day's last minute
        (at(date(2027, 5, 29), 0, 0), False),  # the first minute after
    ],
)
def test_announcements_at_the_edges_of_the_period(people, period, moment, inside):
    _administrator, office, service, *_rest = people
    if inside:
        with pytest.raises(ValidationError) as refused:
            _announce(office, service, moment)
        assert "service information only" in refused.value.message_dict["service_information"][0]
        assert "Municipal elections 2027" in refused.value.message_dict["service_information"][0]
        assert not Post.objects.exists()
        post = _announce(office, service, moment, service_information=True)
        assert post.election_period == period and post.service_information
    else:
        post = _announce(office, service, moment)
        assert post.election_period is None


@override_settings(TIME_ZONE="Europe/Madrid")
def test_political_posts_carry_the_periods_label_and_residents_posts_do_not(people, period):
    from unittest import mock

    _administrator, _office, _service, councillor, resident = people
    with mock.patch("django.utils.timezone.now", return_value=at(date(2027, 5, 10), 12)):
        political = social.create_post(by=councillor, body="Vote for the cycle lane")
        own = social.create_post(by=resident, body="Nice weather")
    with mock.patch("django.utils.timezone.now", return_value=at(date(2027, 5, 29), 0)):
        after = social.create_post(by=councillor, body="Thank you, voters")
    assert political.election_period == period
    assert own.election_period is None and after.election_period is None
    html = main_part(signed_in(UserFactory()).get(f"/posts/{political.pk}/"))
    assert "Pre-election period “Municipal elections 2027”: a political account’s post." in html
    plain = main_part(signed_in(UserFactory()).get(f"/posts/{after.pk}/"))
    assert "Pre-election period" not in plain


def test_the_page_keeps_the_announcement_and_says_to_tick_service_information(people):
    _administrator, office, service, *_rest = people
    today = timezone.localdate()
    ElectionPeriod.objects.create(
        label="Regional elections", starts_on=today - timedelta(days=1), ends_on=today
    )
    client = signed_in(service)
    typed = {
        "body": "Pool closed for repairs",
        "post_as": office.pk,
        "visibility": "public",
        "reply_policy": "everyone",
    }
    response = client.post("/posts/new", typed)
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert "service information only" in html and "Pool closed for repairs" in html
    assert not Post.objects.exists()
    response = client.post("/posts/new", {**typed, "service_information": "on"}, follow=True)
    post = Post.objects.get()
    assert post.service_information
    assert "Service information" in main_part(response)
    api = client.post(
        "/api/v1/posts",
        json.dumps({"body": "Library hours", "office": office.slug}),
        content_type="application/json",
    )
    assert api.status_code == 422
    assert "service information only" in api.json()["error"]["message"]


def test_an_election_period_ends_on_or_after_its_start():
    period = ElectionPeriod(label="Oops", starts_on=date(2027, 5, 2), ends_on=date(2027, 5, 1))
    with pytest.raises(ValidationError):
        period.full_clean()


def test_verified_badge_by_code_says_so(people):
    administrator, *_rest, resident = people
    code = services.issue_verification_code(by=administrator, note="desk")
    services.redeem_verification_code(resident, code)
    resident.refresh_from_db()
    assert resident.verification == Verification.VERIFIED_RESIDENT
    html = main_part(signed_in(UserFactory()).get("/@rosa/"))
    assert "with a one-time code that Ada Admin (an administrator) issued" in html


def test_search_people_lists_and_notifications_show_the_badge(people):
    _administrator, _office, _service, councillor, _resident = people
    reader = UserFactory()
    social.follow(reader, by=councillor)  # a "new follower" notification from the councillor
    client = signed_in(reader)
    found = main_part(client.get("/search/", {"q": "Carla"}))
    assert "Carla Councillor" in found and "kind-badge--political" in found
    followers = main_part(client.get(f"/@{reader.handle}/followers/"))
    assert "Carla Councillor" in followers and "kind-badge--political" in followers
    notifications = main_part(client.get("/notifications/"))
    assert "Carla Councillor" in notifications
    assert '<span class="kind-badge kind-badge--political">Political</span>' in notifications


def test_the_profile_api_says_the_kind_and_how_the_person_was_verified(people):
    administrator, *_rest, councillor, resident = people
    services.verify_resident(resident, by=administrator)
    body = signed_in(UserFactory()).get("/api/v1/profiles/councillor").json()
    assert body["kind"] == "political" and body["kind_detail"] == "Councillor, Centro"
    assert body["verified"] is False and body["verified_how"] is None
    body = signed_in(UserFactory()).get("/api/v1/profiles/rosa").json()
    assert body["kind"] == "resident"
    assert body["verified_how"] == "administrator" and body["verified_at"]


def test_a_hidden_administrator_is_named_as_an_administrator_in_why(people, client):
    administrator, *_rest = people
    administrator.profile_visibility = "private"
    administrator.save(update_fields=["profile_visibility"])
    html = main_part(client.get("/@councillor/"))
    assert "Set by an administrator on" in html and "A resident" not in html


@override_settings(TIME_ZONE="Europe/Madrid")
def test_the_announcement_page_asks_for_service_information_during_the_period(people, period):
    """The official-information form (`/announcements/new`) offers the box, keeps what was
    typed when the period refuses, and publishes once it is ticked."""
    from unittest import mock

    from tests.helpers import main_part, signed_in

    _administrator, office, service, *_rest = people
    client = signed_in(service)
    fields = {"office": office.pk, "body": "Water cut in Centro", "visibility": "public"}
    with mock.patch("django.utils.timezone.now", return_value=at(date(2027, 5, 10), 12)):
        refused = client.post("/announcements/new", fields)
        page = main_part(refused, refused.status_code)
        assert "Service information" in page and "Water cut in Centro" in page
        assert "service information only" in page
        assert not Post.objects.exists()
        published = client.post("/announcements/new", {**fields, "service_information": "on"})
    assert published.status_code == 302
    post = Post.objects.get()
    assert post.service_information and post.election_period == period


def _period_now(label="Regional elections"):
    today = timezone.localdate()
    return ElectionPeriod.objects.create(
        label=label, starts_on=today - timedelta(days=1), ends_on=today
    )


def test_an_edit_during_the_period_is_held_to_the_service_information_rule(people):
    """A post written before the period cannot be turned into something else during it: the
    page and the API refuse the edit, keep what was typed and change nothing, until it is
    marked service information."""
    _administrator, _office, service, councillor, resident = people
    post = social.create_post(by=service, body="Summer opening hours")
    political = social.create_post(by=councillor, body="Our plan for the park")
    own = social.create_post(by=resident, body="Lovely park")
    _period_now()
    client = signed_in(service)
    response = client.post(f"/posts/{post.pk}/edit", {"body": "Vote for the new pool"})
    html = main_part(response)
    assert "service information only" in html and "Vote for the new pool" in html
    api = client.patch(
        f"/api/v1/posts/{post.pk}",
        json.dumps({"body": "Vote for the new pool"}),
        content_type="application/json",
    )
    assert api.status_code == 422
    assert "service information only" in api.json()["error"]["message"]
    post.refresh_from_db()
    assert post.body == "Summer opening hours" and post.edited_at is None

    response = client.post(
        f"/posts/{post.pk}/edit",
        {"body": "Summer opening hours: 9 to 21", "service_information": "on"},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.service_information and post.body == "Summer opening hours: 9 to 21"
    api = client.patch(
        f"/api/v1/posts/{post.pk}",
        json.dumps({"body": "Hours: 9 to 22", "service_information": False}),
        content_type="application/json",
    )
    assert api.status_code == 422  # unmarking it during the period is the same refusal

    social.edit_post(political, by=councillor, body="Our plan for the park, costed")
    social.edit_post(own, by=resident, body="Lovely park today")
    political.refresh_from_db()
    own.refresh_from_db()
    assert political.election_period.label == "Regional elections"  # the period's label now
    assert own.election_period is None


def test_a_correction_during_the_period_is_of_service_information_only(people):
    from agora.social import announcements

    _administrator, office, service, *_rest = people
    post = announcements.publish_announcement(by=service, office=office, body="Pool opens at 9")
    _period_now()
    with pytest.raises(ValidationError) as refused:
        announcements.correct_announcement(
            post, by=service, body="Pool opens at 10", note="The time"
        )
    assert "service information" in refused.value.message_dict["service_information"][0]
    post.refresh_from_db()
    assert post.body == "Pool opens at 9" and not post.corrections.exists()
    announcements.correct_announcement(
        post, by=service, body="Pool opens at 10", note="The time", service_information=True
    )
    post.refresh_from_db()
    assert post.body == "Pool opens at 10" and post.service_information
