"""Announcements: an official posts as their office. Only current officials of that office may;
the post is shown as the office speaking, marked institutional, with the official named; it
is public or for the office's followers; blocks and mutes of the official do not hide it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from agora.directory import services as directory_services
from agora.social import announcements, services
from agora.social.models import Post
from tests.factories import UserFactory
from tests.helpers import signed_in
from tests.social.sources_helpers import build_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return build_directory()


def post_form(**fields):
    return {"body": "", "visibility": "public", "reply_policy": "everyone", **fields}


def test_an_official_chooses_to_post_as_their_office_on_the_post_form(town):
    client = signed_in(town.lighting_official)
    html = client.get("/home/").content.decode()
    assert "Post as" in html
    assert f'value="{town.lighting_office.pk}"' in html and "Public Lighting Unit" in html
    assert "Myself" in html
    assert "Parks Office" not in html  # not theirs

    response = client.post(
        "/posts/new", post_form(body="Lamps renewed", post_as=town.lighting_office.pk)
    )
    post = Post.objects.get()
    assert response["Location"] == f"/posts/{post.pk}/"
    assert (post.office, post.author) == (town.lighting_office, town.lighting_official)

    client.post("/posts/new", post_form(body="Just me", post_as=""))
    assert Post.objects.get(body="Just me").office is None


def test_residents_are_not_offered_to_post_as_an_office(town):
    html = signed_in(UserFactory()).get("/home/").content.decode()
    assert "Post as" not in html


def test_an_official_of_another_office_cannot_post_as_it(town):
    client = signed_in(town.parks_official)
    response = client.post(
        "/posts/new", post_form(body="Not my office", post_as=town.lighting_office.pk)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "Not my office" in html  # the text typed is kept
    assert not Post.objects.exists()
    with pytest.raises(PermissionDenied):
        services.create_post(by=town.parks_official, body="x", office=town.lighting_office)
    with pytest.raises(PermissionDenied):
        services.create_post(by=UserFactory(), body="x", office=town.lighting_office)
    assert not Post.objects.exists()


def test_a_former_official_can_no_longer_post_change_or_delete_as_the_office(town):
    official = town.lighting_official
    earlier = services.create_post(by=official, body="While in office", office=town.lighting_office)
    directory_services.remove_official(town.lighting_office, official)

    client = signed_in(official)
    assert f'value="{town.lighting_office.pk}"' not in client.get("/home/").content.decode()
    response = client.post("/posts/new", post_form(body="After", post_as=town.lighting_office.pk))
    assert response.status_code == 400
    with pytest.raises(PermissionDenied):
        services.create_post(by=official, body="After", office=town.lighting_office)
    page = client.get(f"/posts/{earlier.pk}/").content.decode()
    assert "Delete post" not in page and f"/posts/{earlier.pk}/edit" not in page
    assert client.post(f"/posts/{earlier.pk}/edit", {"body": "Rewritten"}).status_code == 403
    assert client.post(f"/posts/{earlier.pk}/delete").status_code == 403
    earlier.refresh_from_db()
    assert earlier.body == "While in office"
    assert list(Post.objects.values_list("body", flat=True)) == ["While in office"]
    # What they posted stays, signed.
    html = Client().get(f"/posts/{earlier.pk}/").content.decode()
    assert "Announcement posted by Lucía Luz, an official of the office." in html


def test_the_author_edits_and_deletes_an_announcement_while_in_office(town):
    post = services.create_post(
        by=town.lighting_official, body="Typo here", office=town.lighting_office
    )
    colleague = UserFactory(role="official")
    directory_services.add_official(town.lighting_office, colleague)
    with pytest.raises(PermissionDenied):
        services.edit_post(post, by=colleague, body="Not mine")
    # A change after publication is a correction (`test_official_information`).
    announcements.correct_announcement(
        post, by=town.lighting_official, body="Fixed", note="Fixed the typo"
    )
    services.delete_post(post, by=town.lighting_official)
    assert not Post.objects.exists()


def test_an_announcement_is_for_everyone_or_the_offices_followers_not_connections(town):
    with pytest.raises(ValidationError) as error:
        services.create_post(
            by=town.lighting_official,
            body="x",
            office=town.lighting_office,
            visibility="connections",
        )
    assert "visibility" in error.value.message_dict
    response = signed_in(town.lighting_official).post(
        "/posts/new",
        post_form(body="Keep me", visibility="connections", post_as=town.lighting_office.pk),
    )
    assert response.status_code == 400
    assert "for everyone or for the office’s followers" in response.content.decode()
    assert not Post.objects.exists()


def test_the_post_card_shows_the_office_speaking_marked_institutional_with_the_official(town):
    post = services.create_post(
        by=town.lighting_official, body="Night works on Calle Mayor", office=town.lighting_office
    )
    personal = services.create_post(by=town.lighting_official, body="My weekend")
    for path in (f"/posts/{post.pk}/", "/latest/", "/directory/offices/public-lighting/"):
        html = Client().get(path).content.decode()
        card = html[html.index(f'aria-labelledby="post-{post.pk}-by"') :]
        card = card[: card.index("</article>")]
        assert 'href="/directory/offices/public-lighting/">Public Lighting Unit</a>' in card
        assert "Institutional account" in card
        assert "Announcement posted by Lucía Luz, an official of the office." in card
    html = Client().get(f"/posts/{personal.pk}/").content.decode()
    assert "Institutional account" not in html
    assert "Announcement posted by" not in html


def test_a_share_of_an_announcement_says_whose_announcement_it_is(town):
    post = services.create_post(
        by=town.lighting_official, body="Night works", office=town.lighting_office
    )
    share = services.share_post(post, by=UserFactory(), body="Good to know")
    html = Client().get(f"/posts/{share.pk}/").content.decode()
    assert (
        "The shared post is an announcement of Public Lighting Unit, an institutional account."
        in html
    )


def test_blocks_and_mutes_of_the_official_do_not_hide_the_offices_announcements(town):
    official = town.lighting_official
    blocked, muter = UserFactory(), UserFactory()
    for person in (blocked, muter):
        services.follow_source(town.lighting_office, by=person)
    services.block(blocked, by=official)
    services.mute(official, by=muter)
    announcement = services.create_post(
        by=official, body="Road closed", office=town.lighting_office
    )
    personal = services.create_post(by=official, body="Personal note")

    for person in (blocked, muter):
        home = signed_in(person).get("/home/").content.decode()
        assert "Road closed" in home
        assert "Personal note" not in home
    assert signed_in(blocked).get(f"/posts/{personal.pk}/").status_code == 404
    # Interacting with what the official typed still respects the block.
    with pytest.raises(PermissionDenied):
        services.like_post(announcement, by=blocked)
    with pytest.raises(ValidationError):
        services.comment_on_post(announcement, by=blocked, body="Hello")


def test_an_officials_private_profile_does_not_hide_the_offices_announcements(town):
    official = town.lighting_official
    official.profile_visibility = "private"
    official.save(update_fields=["profile_visibility"])
    services.create_post(by=official, body="Public notice", office=town.lighting_office)
    services.create_post(by=official, body="Private life")
    for client in (Client(), signed_in(UserFactory())):
        html = client.get("/latest/").content.decode()
        assert "Public notice" in html
        assert "Private life" not in html
