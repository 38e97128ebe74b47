"""Posts: writing, images with descriptions, editing with history, deleting, likes, shares,
and bad input that changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from agora.social import services
from agora.social.models import Post, PostImage, PostLike, PostRevision, Tag, Visibility
from tests.factories import UserFactory
from tests.helpers import signed_in
from tests.social.helpers import image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def post_form(**overrides):
    return {
        "body": "Hello #Riverside",
        "visibility": "public",
        "reply_policy": "everyone",
        **overrides,
    }


def test_a_post_is_published_with_tags_and_rendered_text():
    ada = UserFactory()
    response = signed_in(ada).post("/posts/new", post_form(body="**Bins** on #MainStreet"))
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/posts/{post.pk}/"
    assert "<strong>Bins</strong>" in post.body_html
    assert list(post.tags.values_list("name", flat=True)) == ["mainstreet"]
    page = Client().get(f"/posts/{post.pk}/").content.decode()
    assert "<strong>Bins</strong>" in page


def test_a_post_keeps_up_to_four_images_re_encoded_with_their_descriptions():
    ada = UserFactory()
    data = post_form()
    for number in range(1, 5):
        data[f"image_{number}"] = image_upload(f"p{number}.png")
        data[f"alt_{number}"] = f"Picture {number}"
    signed_in(ada).post("/posts/new", data)
    post = Post.objects.get()
    images = list(post.images.order_by("position"))
    assert [image.alt_text for image in images] == [f"Picture {n}" for n in range(1, 5)]
    assert all(image.width == 120 and image.height == 80 for image in images)
    response = Client().get(f"/posts/{post.pk}/images/{images[0].pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        ({"body": "   "}, "Write something before sending the post."),
        ({"body": "x" * 2001}, "2000 characters"),
        ({"image_1": "alt missing"}, "Describe every image for people who cannot see it."),
        ({"image_1": "not an image"}, "This file is not an image we can read."),
    ],
)
def test_bad_posts_are_refused_with_a_clear_message_and_change_nothing(problem, message):
    ada = UserFactory()
    data = post_form(**{k: v for k, v in problem.items() if k == "body"})
    if problem.get("image_1") == "alt missing":
        data["image_1"] = image_upload()
        data["alt_1"] = ""
    elif problem.get("image_1") == "not an image":
        data["image_1"] = SimpleUploadedFile("evil.png", b"<svg onload=alert(1)>", "image/png")
        data["alt_1"] = "Something"
    response = signed_in(ada).post("/posts/new", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Post.objects.exists()
    assert not PostImage.objects.exists()


def test_five_images_are_refused_by_the_service_and_nothing_is_saved():
    ada = UserFactory()
    images = [(image_upload(), "A picture") for _ in range(5)]
    with pytest.raises(ValidationError, match="at most 4 images"):
        services.create_post(by=ada, body="Too many", images=images)
    assert not Post.objects.exists()
    assert not PostImage.objects.exists()


def test_editing_keeps_the_old_text_and_shows_edited():
    ada = UserFactory()
    post = services.create_post(by=ada, body="First #draft")
    services.edit_post(post, by=ada, body="Second #final")
    post.refresh_from_db()
    assert post.edited_at is not None
    assert PostRevision.objects.get(post=post).body == "First #draft"
    assert list(post.tags.values_list("name", flat=True)) == ["final"]
    page = Client().get(f"/posts/{post.pk}/").content.decode()
    assert "edited" in page
    assert "First #draft" in page


def test_only_the_author_edits_or_deletes():
    ada, bob = UserFactory(), UserFactory()
    post = services.create_post(by=ada, body="Mine")
    with pytest.raises(PermissionDenied):
        services.edit_post(post, by=bob, body="Yours")
    assert signed_in(bob).post(f"/posts/{post.pk}/delete").status_code == 404
    assert signed_in(ada).post(f"/posts/{post.pk}/delete").status_code == 302
    assert not Post.objects.exists()


def test_a_like_is_once_per_person_undoable_and_counted():
    ada, bob = UserFactory(), UserFactory()
    post = services.create_post(by=ada, body="Like me")
    assert services.like_post(post, by=bob) is True
    assert services.like_post(post, by=bob) is False
    post.refresh_from_db()
    assert post.like_count == 1
    assert PostLike.objects.count() == 1
    client = signed_in(bob)
    again = client.post(f"/posts/{post.pk}/like", follow=True)
    assert "You already like this post." in again.content.decode()
    post.refresh_from_db()
    assert post.like_count == 1
    client.post(f"/posts/{post.pk}/like", {"undo": "1"})
    post.refresh_from_db()
    assert post.like_count == 0
    assert not PostLike.objects.exists()


def test_sharing_reposts_to_followers_with_a_comment():
    ada, bob, cem = UserFactory(), UserFactory(), UserFactory()
    services.follow(bob, by=cem)
    post = services.create_post(by=ada, body="Worth reading")
    signed_in(bob).post(f"/posts/{post.pk}/share", {"body": "See this"})
    share = Post.objects.get(shared_post=post)
    assert share.author == bob
    post.refresh_from_db()
    assert post.share_count == 1
    feed = signed_in(cem).get("/home/").content.decode()
    assert "See this" in feed
    assert "Worth reading" in feed


def test_followers_only_posts_cannot_be_shared():
    ada, bob = UserFactory(), UserFactory()
    services.follow(ada, by=bob)
    post = services.create_post(by=ada, body="Just for you", visibility=Visibility.FOLLOWERS)
    with pytest.raises(PermissionDenied):
        services.share_post(post, by=bob)
    assert Post.objects.count() == 1


def test_mentions_link_to_profiles_and_unknown_tags_404():
    ada = UserFactory(handle="ada_l")
    post = services.create_post(by=UserFactory(), body="Hi @ada_l")
    assert '<a href="/@ada_l/" class="mention"' in post.body_html
    assert Client().get("/tags/nothing_here/").status_code == 404
    services.create_post(by=ada, body="#parks")
    assert Tag.objects.filter(name="parks").exists()
    assert Client().get("/tags/parks/").status_code == 200


def test_the_post_forms_help_is_in_the_readers_language():
    """Put together when shown, not once at import: a Spanish page says it in Spanish."""
    from tests.factories import UserFactory
    from tests.helpers import main_part, signed_in

    client = signed_in(UserFactory())
    assert "Hasta 2000 caracteres" in main_part(client.get("/home/", HTTP_ACCEPT_LANGUAGE="es"))
    assert "Up to 2000 characters" in main_part(client.get("/home/", HTTP_ACCEPT_LANGUAGE="en"))
