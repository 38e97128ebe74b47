"""The API for follows of offices, topics and areas, announcements, posts with images sent as
multipart/form-data, and the connections setting of /me: the same rules as the pages."""

import pytest
from django.test import Client

from agora.accounts.models import PersonalAccessToken
from agora.directory import services as directory_services
from agora.social import services
from agora.social.models import AreaFollow, OfficeFollow, Post, PostImage, TopicFollow
from tests.api.conftest import assert_error
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries
from tests.social.helpers import api_client, image_upload, send
from tests.social.sources_helpers import build_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return build_directory()


def test_follow_and_unfollow_offices_topics_and_areas_through_the_api(town):
    resident = UserFactory()
    client = api_client(resident)
    for kind, thing, model in [
        ("offices", town.lighting_office, OfficeFollow),
        ("topics", town.lighting, TopicFollow),
        ("areas", town.district, AreaFollow),
    ]:
        path = f"/directory/{kind}/{thing.slug}/follow"
        assert send(client, "get", path).json() == {"following": False, "follower_count": 0}
        assert send(client, "post", path).status_code == 204
        assert send(client, "post", path).status_code == 204  # again: nothing changes
        assert model.objects.filter(follower=resident).count() == 1
        assert send(client, "get", path).json() == {"following": True, "follower_count": 1}
        # Another account sees the count, not as its own follow.
        other = api_client(UserFactory())
        assert send(other, "get", path).json() == {"following": False, "follower_count": 1}
        assert send(client, "delete", path).status_code == 204
        assert not model.objects.exists()


def test_what_you_follow_lists_offices_topics_and_areas_of_the_caller_only(town):
    resident, other = UserFactory(), UserFactory()
    services.follow_source(town.lighting_office, by=resident)
    services.follow_source(town.parks, by=resident)
    services.follow_source(town.district, by=resident)
    services.follow_source(town.parks_office, by=other)
    body = send(api_client(resident), "get", "/me/following").json()
    site = "http://127.0.0.1:8000"
    assert body == {
        "offices": [
            {
                "slug": "public-lighting",
                "name": "Public Lighting Unit",
                "url": f"{site}/directory/offices/public-lighting/",
            }
        ],
        "topics": [
            {"slug": "parks", "name": "Parks and gardens", "url": f"{site}/directory/topics/parks/"}
        ],
        "areas": [
            {"slug": "old-town", "name": "Old Town", "url": f"{site}/directory/areas/old-town/"}
        ],
    }
    assert [item["slug"] for item in body["offices"]] == ["public-lighting"]
    assert [item["slug"] for item in body["topics"]] == ["parks"]
    assert [item["slug"] for item in body["areas"]] == ["old-town"]


def test_following_needs_an_account_and_something_that_exists(town):
    assert_error(
        Client().post("/api/v1/directory/offices/public-lighting/follow"), 401, "not_authenticated"
    )
    client = api_client(UserFactory())
    assert_error(send(client, "post", "/directory/offices/nowhere/follow"), 404, "not_found")
    assert_error(send(client, "post", "/directory/people/public-lighting/follow"), 422, "invalid")
    assert_error(Client().get("/api/v1/me/following"), 401, "not_authenticated")
    assert not OfficeFollow.objects.exists()


def test_the_office_in_the_api_has_its_follower_count(town):
    services.follow_source(town.lighting_office, by=UserFactory())
    body = Client().get("/api/v1/directory/offices/public-lighting").json()
    assert body["follower_count"] == 1


def test_an_official_posts_as_their_office_through_the_api(town):
    client = api_client(town.lighting_official)
    response = send(
        client, "post", "/posts", {"body": "Lamps renewed", "office": "public-lighting"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["office"] == {
        "slug": "public-lighting",
        "name": "Public Lighting Unit",
        "url": body["office"]["url"],
    }
    assert body["office"]["url"].endswith("/directory/offices/public-lighting/")
    assert body["author"]["handle"] == "lucia"
    assert Post.objects.get().office == town.lighting_office

    personal = send(client, "post", "/posts", {"body": "Just me"}).json()
    assert personal["office"] is None


def test_only_current_officials_of_the_office_post_as_it_through_the_api(town):
    payload = {"body": "Not allowed", "office": "public-lighting"}
    assert_error(send(api_client(town.parks_official), "post", "/posts", payload), 403, "forbidden")
    assert_error(send(api_client(UserFactory()), "post", "/posts", payload), 403, "forbidden")
    directory_services.remove_official(town.lighting_office, town.lighting_official)
    assert_error(
        send(api_client(town.lighting_official), "post", "/posts", payload), 403, "forbidden"
    )
    error = assert_error(
        send(api_client(town.parks_official), "post", "/posts", {"body": "x", "office": "nope"}),
        422,
        "unknown_office",
    )
    assert "nope" in error["message"]
    assert not Post.objects.exists()


def test_an_announcement_for_connections_is_refused_in_the_api(town):
    error = assert_error(
        send(
            api_client(town.lighting_official),
            "post",
            "/posts",
            {"body": "x", "office": "public-lighting", "visibility": "connections"},
        ),
        422,
        "invalid",
    )
    assert "visibility" in error["message"]
    assert not Post.objects.exists()


def test_an_offices_announcements_in_the_api_are_paged_by_cursor(town):
    for number in range(23):
        services.create_post(
            by=town.lighting_official, body=f"Notice {number:02d}", office=town.lighting_office
        )
    services.create_post(by=town.lighting_official, body="Personal")
    page = Client().get("/api/v1/directory/offices/public-lighting/posts").json()
    assert [item["body"] for item in page["items"]][:2] == ["Notice 22", "Notice 21"]
    assert len(page["items"]) == 20
    assert all(item["office"]["slug"] == "public-lighting" for item in page["items"])
    rest = (
        Client()
        .get("/api/v1/directory/offices/public-lighting/posts", {"before": page["next_cursor"]})
        .json()
    )
    assert [item["body"] for item in rest["items"]] == ["Notice 02", "Notice 01", "Notice 00"]
    assert rest["next_cursor"] is None
    assert_error(Client().get("/api/v1/directory/offices/nope/posts"), 404, "not_found")


def test_a_topics_posts_in_the_api(town):
    services.create_post(by=UserFactory(), body="Lamp out #farola")
    services.create_post(by=UserFactory(), body="Unrelated #weather")
    page = Client().get("/api/v1/directory/topics/street-lighting/posts").json()
    assert [item["body"] for item in page["items"]] == ["Lamp out #farola"]


def test_announcement_and_following_lists_in_the_api_take_constant_queries(town):
    resident = UserFactory()
    from tests.directory.factories import OfficeFactory

    def add(count):
        for number in range(count):
            services.create_post(
                by=town.lighting_official, body=f"Notice {number}", office=town.lighting_office
            )
            services.follow_source(OfficeFactory(), by=resident)

    def add_more_and_let_the_token_rest():
        add(45)
        PersonalAccessToken.objects.update(last_used_at=None)  # its next use is recorded again

    add(5)
    client = api_client(resident)
    lists = assert_constant_queries(
        {
            "listing": lambda: client.get("/api/v1/directory/offices/public-lighting/posts"),
            "followed": lambda: client.get("/api/v1/me/following"),
        },
        add_more_and_let_the_token_rest,
        expected={
            "listing": 6,  # token, its last use, the budget, the office, the posts, their images
            # token (its last use is recent now), the budget, one list per kind of the
            # directory's sources (offices, topics, areas; a process is not in this answer)
            "followed": 2 + 3,
        },
    )
    for listing, followed, (count, newest) in zip(
        lists["listing"], lists["followed"], ((5, "Notice 4"), (50, "Notice 44")), strict=True
    ):
        assert len(listing.json()["items"]) == min(count, 20)
        assert listing.json()["items"][0]["body"] == newest
        assert len(followed.json()["offices"]) == count


# Posts with images, sent as multipart/form-data.


def multipart(client, data):
    return client.post("/api/v1/posts/with-images", data=data)


def test_a_post_with_images_and_their_descriptions_through_the_api(town):
    client = api_client(UserFactory())
    response = multipart(
        client,
        {
            "body": "Two pictures",
            "visibility": "public",
            "images": [image_upload("a.png"), image_upload("b.png", color=(200, 10, 10))],
            "alt_text": ["A dark street", "A broken lamp"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [image["alt_text"] for image in body["images"]] == ["A dark street", "A broken lamp"]
    assert body["images"][0]["width"] == 120
    assert PostImage.objects.count() == 2


def test_an_announcement_with_an_image_through_the_api(town):
    response = multipart(
        api_client(town.lighting_official),
        {
            "body": "New lamps",
            "office": "public-lighting",
            "images": [image_upload()],
            "alt_text": ["A new lamp post"],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["office"]["slug"] == "public-lighting"
    assert_error(
        multipart(
            api_client(town.parks_official),
            {
                "body": "x",
                "office": "public-lighting",
                "images": [image_upload()],
                "alt_text": ["y"],
            },
        ),
        403,
        "forbidden",
    )


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"body": "x", "images": [image_upload()]}, "Describe every image"),
        ({"body": "x", "images": [image_upload()], "alt_text": ["   "]}, "cannot be blank"),
        (
            {"body": "x", "images": [image_upload()], "alt_text": ["one", "two"]},
            "one description per image",
        ),
        (
            {"body": "x", "images": [image_upload() for _ in range(5)], "alt_text": ["d"] * 5},
            "at most 4 images",
        ),
        (
            {
                "body": "x",
                "images": [image_upload("fake.png")],
                "alt_text": ["d"],
            },
            None,
        ),
        ({"body": "", "alt_text": []}, "Write something"),
        ({"body": "x", "visibility": "all"}, "visibility"),
        ({"body": "x" * 2001}, "body"),
    ],
)
def test_bad_posts_with_images_get_the_same_errors_and_change_nothing(town, data, words):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if words is None:
        data["images"] = [SimpleUploadedFile("fake.png", b"not an image", "image/png")]
        words = "not an image"
    error = assert_error(multipart(api_client(UserFactory()), data), 422, "invalid")
    assert words in error["message"]
    assert not Post.objects.exists()
    assert not PostImage.objects.exists()


def test_posts_with_images_need_an_account():
    assert_error(
        Client().post("/api/v1/posts/with-images", {"body": "x"}), 401, "not_authenticated"
    )


# The connections setting of /me.


def test_the_connections_setting_is_changed_through_patch_me():
    person = UserFactory()
    client = api_client(person)
    response = send(client, "patch", "/me", {"connections_visibility": "nobody"})
    assert response.status_code == 200
    assert response.json()["connections_visibility"] == "nobody"
    person.refresh_from_db()
    assert person.connections_visibility == "nobody"
    # Now nobody else sees the lists.
    assert_error(
        send(api_client(UserFactory()), "get", f"/people/{person.handle}/followers"),
        404,
        "not_found",
    )
    error = assert_error(
        send(client, "patch", "/me", {"connections_visibility": "friends"}), 422, "invalid"
    )
    assert "connections_visibility" in error["message"]
    person.refresh_from_db()
    assert person.connections_visibility == "nobody"
