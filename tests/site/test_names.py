"""One rule names people everywhere (`agora.accounts.naming`): a name, handle and profile link
reach only those who may see the profile; others read "A resident", or the office when the
person acts for one. Checked on every page, email and endpoint that shows who wrote or did
something, with an anonymous visitor, a second member and the person themselves."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser

from agora.accounts.models import Visibility
from agora.accounts.naming import shown
from agora.cases import services as case_services
from agora.conversations import services as conversation_services
from agora.notifications.models import Delivery, Preference
from agora.social import services as social_services
from agora.social.notifying import LIKE
from tests.cases.conftest import build_city
from tests.factories import UserFactory
from tests.helpers import main_part, signed_in
from tests.social.helpers import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db):
    return build_city()


@pytest.fixture
def sam(db):
    return UserFactory(handle="sam", display_name="Sam Patel", profile_visibility="members")


@pytest.fixture
def lucia(db):
    return UserFactory(handle="lucia", display_name="Lucía Gómez", profile_visibility="private")


def hides(html: str, person) -> bool:
    return person.name not in html and f"@{person.handle}" not in html


@pytest.mark.parametrize(
    ("visibility", "anonymous", "member", "themselves"),
    [
        (Visibility.PUBLIC, True, True, True),
        (Visibility.MEMBERS, False, True, True),
        (Visibility.PRIVATE, False, False, True),
    ],
)
def test_the_rule_names_a_person_to_whoever_may_see_their_profile(
    visibility, anonymous, member, themselves
):
    person = UserFactory(display_name="Pat Person", profile_visibility=visibility)
    other = UserFactory()
    for viewer, named in ((AnonymousUser(), anonymous), (other, member), (person, themselves)):
        who = shown(person, viewer)
        if named:
            assert (who.name, who.handle, who.url) == (
                "Pat Person",
                person.handle,
                f"/@{person.handle}/",
            )
        else:
            assert (who.name, who.handle, who.url, who.hidden) == ("A resident", "", "", True)


def test_a_hidden_person_acting_for_an_office_shows_as_the_office(town, lucia):
    who = shown(lucia, AnonymousUser(), office=town.lighting_office)
    assert (who.name, who.url, who.handle) == (
        "Public Lighting Unit",
        town.lighting_office.get_absolute_url(),
        "",
    )
    assert (
        shown(town.resident, AnonymousUser(), office=town.lighting_office).name == "Rosa Resident"
    )


def test_a_members_only_comment_on_a_public_case_is_a_resident_to_visitors(client, town, sam):
    case = town.submit()
    case_services.comment_on_case(case, by=sam, body="It is dark here too.")
    html = main_part(client.get(case.get_absolute_url()))
    assert "It is dark here too." in html
    assert hides(html, sam) and "/@sam/" not in html
    assert '<span id="comment-' in html and "A resident</span>" in html

    html = main_part(signed_in(town.other_resident).get(case.get_absolute_url()))
    assert 'href="/@sam/">Sam Patel <span class="handle">@sam</span>' in html
    assert "Your reply to @sam" in html


def test_the_case_comments_endpoint_names_only_visible_people(client, town, sam, lucia):
    case = town.submit()
    case_services.comment_on_case(case, by=sam, body="Members only.")
    case_services.comment_on_case(case, by=lucia, body="Private.")
    anonymous = client.get(f"/api/v1/cases/{case.pk}/comments").json()
    assert [item["author"] for item in anonymous] == [
        {"handle": None, "display_name": "A resident", "hidden": True, "kind": None},
        {"handle": None, "display_name": "A resident", "hidden": True, "kind": None},
    ]
    member = api_client(town.other_resident).get(f"/api/v1/cases/{case.pk}/comments").json()
    assert [item["author"] for item in member] == [
        {"handle": "sam", "display_name": "Sam Patel", "hidden": False, "kind": "resident"},
        {"handle": None, "display_name": "A resident", "hidden": True, "kind": None},
    ]
    herself = api_client(lucia).get(f"/api/v1/cases/{case.pk}/comments").json()
    assert herself[1]["author"]["display_name"] == "Lucía Gómez"
    assert "Lucía" not in json.dumps(anonymous, ensure_ascii=False)


def test_a_hidden_officials_comment_shows_as_their_office(client, town):
    town.lighting_official.profile_visibility = Visibility.PRIVATE
    town.lighting_official.save()
    case = town.submit()
    case_services.comment_on_case(case, by=town.lighting_official, body="On Monday.")
    html = main_part(client.get(case.get_absolute_url()))
    assert hides(html, town.lighting_official)
    assert (
        '<a id="comment-' in html
        and f'href="{town.lighting_office.get_absolute_url()}">Public Lighting Unit</a>' in html
    )
    author = client.get(f"/api/v1/cases/{case.pk}/comments").json()[0]["author"]
    assert author == {
        "handle": None,
        "display_name": "Public Lighting Unit",
        "hidden": True,
        "kind": "institutional",  # the office stands in: an institutional voice
    }


def test_the_case_timeline_names_hidden_officials_only_to_those_who_work_on_it(client, town):
    official = town.lighting_official
    official.profile_visibility = Visibility.PRIVATE
    official.save()
    case = town.submit()
    case_services.acknowledge_case(case, by=official)
    case_services.assign_case(case, to=official, by=official)

    for viewer in (AnonymousUser(), town.other_resident, town.resident):
        page = client if viewer.is_anonymous else signed_in(viewer)
        html = main_part(page.get(case.get_absolute_url()))
        assert hides(html, official), viewer
        assert "Assigned to an official of the office." in html
        events = page.get(f"/api/v1/cases/{case.pk}").json()["events"]
        assert {event["actor"] for event in events} == {None}
        assert {event["assignee"] for event in events} == {None}

    html = main_part(signed_in(town.lighting_official).get(case.get_absolute_url()))
    assert "Assigned to Lucia Lighting." in html


def test_a_private_commenter_on_a_public_post_is_a_resident_on_the_page_and_the_api(
    client, town, lucia
):
    post = social_services.create_post(by=town.resident, body="The park opens on Sunday.")
    social_services.comment_on_post(post, by=lucia, body="See you there.")
    html = main_part(signed_in(town.other_resident).get(f"/posts/{post.pk}/"))
    assert "See you there." in html and hides(html, lucia) and "/@lucia/" not in html
    comments = api_client(town.other_resident).get(f"/api/v1/posts/{post.pk}/comments").json()
    assert comments[0]["author"] == {
        "handle": None,
        "display_name": "A resident",
        "role": None,
        "hidden": True,
        "kind": None,
        "shared_connections": None,
    }
    assert (
        api_client(lucia).get(f"/api/v1/posts/{post.pk}/comments").json()[0]["author"]["handle"]
        == "lucia"
    )


def test_an_announcement_by_a_hidden_official_speaks_only_as_the_office(client, town):
    official = town.lighting_official
    official.profile_visibility = Visibility.MEMBERS
    official.save()
    post = social_services.create_post(
        by=official, body="Lamps on Calle Mayor fixed.", office=town.lighting_office
    )
    # The same card, read by a visitor first and a member next: each sees what the rule
    # lets them, whatever the card cache holds.
    visitor = main_part(client.get(f"/posts/{post.pk}/"))
    member = main_part(signed_in(town.other_resident).get(f"/posts/{post.pk}/"))
    assert hides(visitor, official)
    assert "Announcement posted by an official of the office." in visitor
    assert "<h1>Post by Public Lighting Unit</h1>" in visitor
    assert "Announcement posted by Lucia Lighting, an official of the office." in member
    assert f"@{official.handle}" in member

    author = client.get(f"/api/v1/posts/{post.pk}").json()["author"]
    assert author["handle"] is None and author["display_name"] == "Public Lighting Unit"
    assert author["hidden"] is True and author["role"] is None
    author = api_client(town.other_resident).get(f"/api/v1/posts/{post.pk}").json()["author"]
    assert author["handle"] == official.handle and author["role"] == "official"


def test_notifications_name_a_private_actor_as_a_resident_on_the_page_the_api_and_by_email(
    client, town, lucia, run_worker, django_capture_on_commit_callbacks
):
    maria = UserFactory(display_name="María", email="maria@example.org")
    Preference.objects.create(user=maria, kind=LIKE, delivery=Delivery.EMAIL)
    post = social_services.create_post(by=maria, body="Lights out again.")
    with django_capture_on_commit_callbacks(execute=True):
        social_services.like_post(post, by=lucia)
    sent = run_worker()

    html = main_part(signed_in(maria).get("/notifications/"))
    assert "A resident liked what you wrote." in html and hides(html, lucia)
    item = api_client(maria).get("/api/v1/notifications").json()["items"][0]
    assert item["text"] == "A resident liked what you wrote."
    assert item["actor"] == {
        "handle": None,
        "display_name": "A resident",
        "hidden": True,
        "kind": None,
    }
    sent = [message for message in sent if "maria@example.org" in message.to]
    assert sent and all("Lucía" not in message.body for message in sent)
    assert any("A resident liked what you wrote." in message.body for message in sent)


def test_the_office_page_lists_the_officials_the_reader_may_see(client, town):
    town.parks_official.profile_visibility = Visibility.MEMBERS
    town.parks_official.save()
    html = main_part(client.get(town.parks_office.get_absolute_url()))
    assert hides(html, town.parks_official)
    html = main_part(signed_in(town.resident).get(town.parks_office.get_absolute_url()))
    assert f'<a href="/@{town.parks_official.handle}/">Paula Parks</a>' in html
    town.parks_official.profile_visibility = Visibility.PRIVATE
    town.parks_official.save()
    html = main_part(signed_in(town.resident).get(town.parks_office.get_absolute_url()))
    assert hides(html, town.parks_official)


def test_the_conversations_list_does_not_name_a_hidden_owner(client, town):
    town.administrator.display_name = "Ada Admin"
    town.administrator.profile_visibility = Visibility.PRIVATE
    town.administrator.save()
    conversation_services.open_conversation(owner=town.administrator, question="More benches?")
    html = main_part(client.get("/conversations/"))
    assert "More benches?" in html and "opened by A resident" in html and "Ada Admin" not in html
