"""Comments on public cases, with social's generic comments: an official's comment speaks for
the office and says so, followers are told, blocks and mutes apply as in social, private cases
take none, and a thread reads in the same number of queries for 5 comments as for 50."""

import pytest

from agora.cases import services
from agora.cases.models import CaseFollow, OfficeComment
from agora.cases.notifying import CASE_COMMENT
from agora.notifications.models import Notification
from agora.social import services as social_services
from agora.social.models import Comment, CommentLike
from agora.social.notifying import REPLY
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db


def comments_part(response) -> str:
    html = response.content.decode()
    return html[html.index('id="comments"') : html.index("</main>")]


def test_a_resident_comments_on_a_public_case_and_its_followers_are_told(client, town):
    case = town.submit()
    services.follow_case(case, by=town.lighting_official)
    response = signed_in(town.other_resident, client).post(
        f"/cases/{case.pk}/comments/", {"body": "The lamp at number 20 is out too."}
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.url == f"/cases/{case.pk}/#comment-{comment.pk}"
    html = comments_part(client.get(case.get_absolute_url()))
    assert "The lamp at number 20 is out too." in html and "Otto Other" in html
    assert "On behalf of" not in html
    assert CaseFollow.objects.filter(case=case, user=town.other_resident).exists()

    told = Notification.objects.filter(kind=CASE_COMMENT)
    assert set(told.values_list("recipient", flat=True)) == {
        town.resident.pk,
        town.lighting_official.pk,
    }
    notification = told.get(recipient=town.resident)
    assert notification.actor == town.other_resident and notification.office is None
    assert notification.url == f"/cases/{case.pk}/#comment-{comment.pk}"
    html = signed_in(town.resident, client).get("/notifications/").content.decode()
    assert "Otto Other commented on the case “Streetlight out on Calle Mayor”." in html


def test_an_officials_comment_speaks_for_the_office_and_is_marked(client, town):
    case = town.submit()
    question = services.comment_on_case(case, by=town.other_resident, body="When?")
    signed_in(town.lighting_official, client).post(
        f"/cases/{case.pk}/comments/", {"body": "On Monday.", "parent": question.pk}
    )
    answer = Comment.objects.get(body="On Monday.")
    assert answer.parent == question
    assert OfficeComment.objects.get(comment=answer).office == town.lighting_office
    html = comments_part(client.get(case.get_absolute_url()))
    assert "On behalf of Public Lighting Unit" in html
    assert html.count("On behalf of") == 1  # the resident's comment is not marked
    told = Notification.objects.filter(recipient=town.resident, kind=CASE_COMMENT)
    assert [item.office for item in told.order_by("id")] == [None, town.lighting_office]
    # The author replied to follows the case (they commented), so the follow tells them once.
    assert Notification.objects.filter(recipient=town.other_resident).count() == 1
    # An official of another office speaks for nobody.
    services.comment_on_case(case, by=town.roads_official, body="Not ours.")
    assert OfficeComment.objects.count() == 1


def test_a_reply_reaches_its_author_even_when_they_stopped_following(town):
    case = town.submit()
    question = services.comment_on_case(case, by=town.other_resident, body="When?")
    services.unfollow_case(case, by=town.other_resident)
    services.comment_on_case(case, by=town.lighting_official, body="Monday.", parent=question)
    assert list(
        Notification.objects.filter(recipient=town.other_resident).values_list("kind", flat=True)
    ) == [REPLY]


def test_private_cases_take_no_comments(client, town):
    case = town.submit(is_public=False)
    signed_in(town.resident, client)
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'id="comments"' not in html
    assert client.post(f"/cases/{case.pk}/comments/", {"body": "Hello"}).status_code == 403
    signed_in(town.other_resident, client)
    assert client.post(f"/cases/{case.pk}/comments/", {"body": "Hello"}).status_code == 404
    response = client.post(
        f"/api/v1/cases/{case.pk}/comments", {"body": "Hi"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_blocks_and_mutes_apply_as_in_social(client, town):
    case = town.submit()
    pest, muted = UserFactory(display_name="Pat Pest"), UserFactory(display_name="Moe Muted")
    social_services.block(pest, by=town.resident)
    # The resident who raised the case blocks the pest: no comments from them on it.
    with pytest.raises(Exception, match="cannot comment"):
        services.comment_on_case(case, by=pest, body="Ha")
    signed_in(pest, client)
    assert client.post(f"/cases/{case.pk}/comments/", {"body": "Ha"}).status_code == 403

    viewer = town.other_resident
    services.follow_case(case, by=viewer)
    social_services.mute(muted, by=viewer)
    hidden = services.comment_on_case(case, by=muted, body="Muted words")
    third = UserFactory(display_name="Tess Third")
    social_services.block(third, by=viewer)
    services.comment_on_case(case, by=third, body="Blocked words")

    html = comments_part(signed_in(viewer, client).get(case.get_absolute_url()))
    assert "Muted words" not in html and "Blocked words" not in html
    listed = client.get(f"/api/v1/cases/{case.pk}/comments").json()
    assert listed == []
    notifications = client.get("/api/v1/notifications").json()["items"]
    assert notifications == []  # hidden comments tell the viewer nothing either
    # Another person sees both comments.
    client.logout()
    everyone = client.get(f"/api/v1/cases/{case.pk}/comments").json()
    assert [item["body"] for item in everyone] == ["Muted words", "Blocked words"]
    # Replying to a comment by someone blocked either way is refused.
    with pytest.raises(Exception, match="cannot reply"):
        services.comment_on_case(
            case, by=viewer, body="Hey", parent=Comment.objects.get(body="Blocked words")
        )
    assert hidden.body == "Muted words"


def test_deleting_a_comment_removes_its_replies_and_their_notifications(client, town):
    case = town.submit()
    first = services.comment_on_case(case, by=town.other_resident, body="Words to take back")
    services.comment_on_case(case, by=town.lighting_official, body="A reply", parent=first)
    assert Notification.objects.filter(kind=CASE_COMMENT).count() == 3
    signed_in(town.lighting_official, client)
    assert client.post(f"/cases/comments/{first.pk}/delete/").status_code == 404  # not theirs
    signed_in(town.other_resident, client)
    response = client.post(f"/cases/comments/{first.pk}/delete/")
    assert response.status_code == 302
    assert not Comment.objects.exists() and not OfficeComment.objects.exists()
    assert not Notification.objects.filter(kind__in=[CASE_COMMENT, REPLY]).exists()
    html = signed_in(town.resident, client).get("/notifications/").content.decode()
    assert "Words to take back" not in html


def test_liking_a_comment_on_a_case(client, town):
    case = town.submit()
    comment = services.comment_on_case(case, by=town.other_resident, body="Same here")
    signed_in(town.resident, client)
    response = client.post(f"/cases/comments/{comment.pk}/like/")
    assert response.url == f"/cases/{case.pk}/#comment-{comment.pk}"
    assert CommentLike.objects.filter(comment=comment, user=town.resident).exists()
    html = comments_part(client.get(case.get_absolute_url()))
    assert 'aria-pressed="true">Liked (1)' in html
    assert f'action="/cases/comments/{comment.pk}/like/"' in html
    client.post(f"/cases/comments/{comment.pk}/like/", {"undo": "1"})
    assert not CommentLike.objects.exists()


def test_a_comment_on_a_post_is_not_reachable_through_the_cases_urls(client, town):
    post = social_services.create_post(by=town.other_resident, body="A post")
    comment = social_services.comment_on_post(post, by=town.other_resident, body="On a post")
    signed_in(town.other_resident, client)
    assert client.post(f"/cases/comments/{comment.pk}/like/").status_code == 404
    assert client.post(f"/cases/comments/{comment.pk}/delete/").status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_bad_comments_are_refused_beside_the_field_and_create_nothing(client, town):
    case = town.submit()
    other = town.submit(title="Another lamp")
    elsewhere = services.comment_on_case(other, by=town.resident, body="Elsewhere")
    signed_in(town.other_resident, client)
    for data in (
        {"body": ""},
        {"body": "x" * 2001},
        {"body": "Reply", "parent": elsewhere.pk},
        {"body": "Reply", "parent": 999999},
        {"body": "Reply", "parent": "nope"},
    ):
        response = client.post(f"/cases/{case.pk}/comments/", data)
        assert response.status_code == 400, data
        assert 'id="id_body_error"' in response.content.decode() or "parent" in data
    assert Comment.objects.count() == 1


def test_the_api_lists_and_adds_comments(client, town):
    case = town.submit()
    url = f"/api/v1/cases/{case.pk}/comments"
    assert client.post(url, {"body": "Hi"}, content_type="application/json").status_code == 401
    signed_in(town.lighting_official, client)
    response = client.post(url, {"body": "We know."}, content_type="application/json")
    assert response.status_code == 201
    created = response.json()
    assert created["office"] == {"slug": "public-lighting", "name": "Public Lighting Unit"}
    assert created["author"]["display_name"] == "Lucia Lighting"
    signed_in(town.other_resident, client)
    reply = client.post(
        url, {"body": "Thanks", "parent_id": created["id"]}, content_type="application/json"
    ).json()
    assert reply["parent_id"] == created["id"] and reply["depth"] == 1 and reply["office"] is None
    client.logout()
    listed = client.get(url).json()
    assert [(item["body"], item["office"] is not None) for item in listed] == [
        ("We know.", True),
        ("Thanks", False),
    ]
    signed_in(town.resident, client)
    response = client.post(url, {"body": "x", "parent_id": 424242}, content_type="application/json")
    assert response.status_code == 422 and response.json()["error"]["code"] == "unknown_parent"
    response = client.post(url, {"body": ""}, content_type="application/json")
    assert response.status_code == 422


def test_a_case_page_and_its_comments_read_in_a_constant_number_of_queries(client, town):
    case = town.submit()
    people = UserFactory.create_batch(5)

    def add(number):
        for index in range(number):
            author = town.lighting_official if index % 5 == 0 else people[index % 5]
            services.comment_on_case(case, by=author, body=f"Comment {index}")

    signed_in(town.other_resident, client)
    add(5)
    read = assert_constant_queries(
        {
            "page": lambda: client.get(case.get_absolute_url()),
            "api": lambda: client.get(f"/api/v1/cases/{case.pk}/comments"),
        },
        lambda: add(45),
        # The page: account (the session is cached), case, the officials' checks of each
        # action and of who works on the case (to name colleagues), a block, support, follow,
        # the thread, the office comments, the unread count and the timeline.
        expected={"page": 10, "api": 5},
    )
    for page, api, count in zip(read["page"], read["api"], (5, 50), strict=True):
        html = comments_part(page)
        assert html.count('class="comment"') == count and html.count("On behalf of") == count // 5
        assert len(api.json()) == count
