"""Follows, connections, blocks and mutes, through the services and the profile buttons."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from agora.accounts.models import ListVisibility
from agora.accounts.models import Visibility as ProfileVisibility
from agora.social import services
from agora.social.models import Block, Connection, ConnectionRequest, Follow, Mute
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in

pytestmark = pytest.mark.django_db


def test_following_someone_is_once_and_undoable():
    ada, bob = UserFactory(), UserFactory()
    services.follow(bob, by=ada)
    services.follow(bob, by=ada)
    assert Follow.objects.filter(follower=ada, followee=bob).count() == 1
    services.unfollow(bob, by=ada)
    assert not Follow.objects.exists()


def test_nobody_can_follow_themselves():
    ada = UserFactory()
    with pytest.raises(ValidationError, match="yourself"):
        services.follow(ada, by=ada)
    assert not Follow.objects.exists()


def test_the_follow_button_works_without_javascript_and_says_what_happened():
    ada, bob = UserFactory(), UserFactory(display_name="Bob Builder")
    client = signed_in(ada)
    profile = client.get(f"/@{bob.handle}/").content.decode()
    assert f'action="/@{bob.handle}/do/follow"' in profile
    response = client.post(f"/@{bob.handle}/do/follow", follow=True)
    assert "You follow Bob Builder." in response.content.decode()
    assert Follow.objects.filter(follower=ada, followee=bob).exists()
    assert f'action="/@{bob.handle}/do/unfollow"' in response.content.decode()


def test_following_yourself_through_the_page_is_refused_with_a_message():
    ada = UserFactory()
    response = signed_in(ada).post(f"/@{ada.handle}/do/follow", follow=True)
    assert "You cannot follow yourself." in response.content.decode()
    assert not Follow.objects.exists()


def test_people_who_follow_each_other_connect_at_once():
    ada, bob = UserFactory(), UserFactory()
    services.follow(bob, by=ada)
    services.follow(ada, by=bob)
    services.connect(bob, by=ada)
    assert Connection.objects.filter(person=ada, other=bob).exists()
    assert Connection.objects.filter(person=bob, other=ada).exists()


def test_otherwise_connecting_is_a_request_the_other_accepts():
    ada, bob = UserFactory(), UserFactory()
    request = services.connect(bob, by=ada)
    assert isinstance(request, ConnectionRequest)
    assert not Connection.objects.exists()
    with pytest.raises(PermissionDenied):
        services.accept_connection(request, by=ada)
    response = signed_in(bob).post(f"/connections/requests/{request.pk}/accept")
    assert response.status_code == 302
    assert Connection.objects.count() == 2
    assert not ConnectionRequest.objects.exists()


def test_blocking_removes_follows_and_connections_both_ways_and_stops_following():
    ada, bob = UserFactory(), UserFactory()
    services.follow(bob, by=ada)
    services.follow(ada, by=bob)
    services.connect(bob, by=ada)
    services.block(bob, by=ada)
    assert not Follow.objects.exists()
    assert not Connection.objects.exists()
    with pytest.raises(PermissionDenied):
        services.follow(ada, by=bob)
    with pytest.raises(PermissionDenied):
        services.connect(ada, by=bob)
    assert Block.objects.filter(blocker=ada, blocked=bob).exists()


def test_blocks_and_mutes_are_private():
    ada, bob, cem = UserFactory(), UserFactory(), UserFactory()
    services.block(bob, by=ada)
    services.mute(cem, by=ada)
    for viewer in (bob, cem):
        page = signed_in(viewer).get(f"/@{ada.handle}/").content.decode()
        assert "Unblock" not in page
        assert "Unmute" not in page
        assert "blocked" not in page.lower()
    assert Mute.objects.filter(muter=ada, muted=cem).exists()


@pytest.mark.parametrize(
    ("setting", "anonymous", "member", "connection", "owner"),
    [
        (ListVisibility.PUBLIC, 200, 200, 200, 200),
        (ListVisibility.MEMBERS, 404, 200, 200, 200),
        (ListVisibility.CONNECTIONS, 404, 404, 200, 200),
        (ListVisibility.NOBODY, 404, 404, 404, 200),
    ],
)
def test_the_owner_decides_who_sees_their_lists(setting, anonymous, member, connection, owner):
    ada = UserFactory(connections_visibility=setting)
    member_person, connected_person = UserFactory(), UserFactory()
    services.follow(connected_person, by=ada)
    services.follow(ada, by=connected_person)
    services.connect(connected_person, by=ada)
    for which in ("followers", "following", "connections"):
        url = f"/@{ada.handle}/{which}/"
        assert Client().get(url).status_code == anonymous
        assert signed_in(member_person).get(url).status_code == member
        assert signed_in(connected_person).get(url).status_code == connection
        assert signed_in(ada).get(url).status_code == owner


def test_lists_hide_people_whose_profile_is_hidden_and_people_blocked_either_way():
    ada, hidden, blocker, shown, viewer = (
        UserFactory(),
        UserFactory(profile_visibility=ProfileVisibility.PRIVATE),
        UserFactory(),
        UserFactory(),
        UserFactory(),
    )
    for person in (hidden, blocker, shown):
        services.follow(ada, by=person)
    services.block(viewer, by=blocker)
    page = signed_in(viewer).get(f"/@{ada.handle}/followers/").content.decode()
    assert f"@{shown.handle}" in page
    assert f"@{hidden.handle}" not in page
    assert f"@{blocker.handle}" not in page


def test_connection_lists_show_connections_you_share():
    ada, bob, shared = UserFactory(), UserFactory(), UserFactory(handle="shared_friend")
    for one, other in ((ada, shared), (bob, shared)):
        services.follow(other, by=one)
        services.follow(one, by=other)
        services.connect(other, by=one)
    page = signed_in(ada).get(f"/@{bob.handle}/connections/").content.decode()
    assert "Connections you share" in page
    assert "@shared_friend" in page


def test_a_blocked_person_cannot_see_the_lists_of_who_blocked_them():
    ada, bob = UserFactory(), UserFactory()
    services.block(bob, by=ada)
    assert signed_in(bob).get(f"/@{ada.handle}/followers/").status_code == 404


def test_list_pages_make_as_many_queries_for_5_people_as_for_50():
    ada, viewer = UserFactory(), UserFactory()
    client = signed_in(viewer)
    url = f"/@{ada.handle}/followers/"

    def grow_to(number):
        for person in UserFactory.create_batch(
            number - Follow.objects.filter(followee=ada).count()
        ):
            services.follow(ada, by=person)

    grow_to(5)
    few, many = assert_constant_queries(lambda: client.get(url), lambda: grow_to(50), expected=6)
    assert main_part(few).count('class="handle"') == 5
    assert main_part(many).count('class="handle"') == 50


def test_the_profile_buttons_block_someone_with_a_hidden_profile_but_do_not_follow_them():
    ada, hidden = UserFactory(), UserFactory(profile_visibility=ProfileVisibility.PRIVATE)
    client = signed_in(ada)
    assert client.post(f"/@{hidden.handle}/do/follow").status_code == 404
    assert client.post(f"/@{hidden.handle}/do/block").status_code == 302
    assert Block.objects.filter(blocker=ada, blocked=hidden).exists()
    assert client.post(f"/@{hidden.handle}/do/unblock").status_code == 302
    assert not Block.objects.exists()
    assert client.post(f"/@{hidden.handle}/do/befriend").status_code == 404
