"""Comments: threads, reply settings, blocks, likes on comments."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.moderation.models import ModeratedItem
from agora.notifications.models import Notification
from agora.social import services
from agora.social.models import Comment, CommentLike, Post, ReplyPolicy
from agora.social.notifying import REPLY
from agora.social.permissions import can_view_post, visible_posts
from agora.social.queries import COMMENT_DISPLAY_DEPTH, comment_thread
from tests.factories import UserFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def test_replies_to_replies_form_a_thread_shown_to_a_sensible_depth():
    ada, bob = UserFactory(), UserFactory()
    post = services.create_post(by=ada, body="Start")
    parent = None
    for depth in range(6):
        parent = services.comment_on_post(
            post, by=bob if depth % 2 else ada, body=f"Level {depth}", parent=parent
        )
    thread = comment_thread(ada, post)
    node, seen = thread[0], 0
    while node.replies:
        node = node.replies[0]
        seen += 1
    assert seen == COMMENT_DISPLAY_DEPTH
    page = signed_in(ada).get(f"/posts/{post.pk}/").content.decode()
    for depth in range(6):
        assert f"Level {depth}" in page
    post.refresh_from_db()
    assert post.comment_count == 6


def test_a_reply_where_replies_are_closed_is_refused_and_changes_nothing():
    ada, bob = UserFactory(), UserFactory()
    post = services.create_post(by=ada, body="No replies", reply_policy=ReplyPolicy.NOBODY)
    response = signed_in(bob).post(f"/posts/{post.pk}/comment", {"body": "But I must"})
    assert response.status_code == 400
    assert "Replies to this post are closed to you." in response.content.decode()
    assert not Comment.objects.exists()


def test_only_people_the_author_follows_reply_when_the_author_says_so():
    ada, friend, stranger = UserFactory(), UserFactory(), UserFactory()
    services.follow(friend, by=ada)
    post = services.create_post(by=ada, body="Friends", reply_policy=ReplyPolicy.FOLLOWING)
    services.comment_on_post(post, by=friend, body="Hi")
    with pytest.raises(ValidationError):
        services.comment_on_post(post, by=stranger, body="Hi")
    assert Comment.objects.count() == 1


def test_a_blocked_person_cannot_reply_and_their_old_comments_disappear_for_the_blocker():
    ada, bob = UserFactory(), UserFactory()
    post = services.create_post(by=ada, body="Open")
    services.comment_on_post(post, by=bob, body="Before the block")
    services.block(bob, by=ada)
    with pytest.raises(PermissionDenied):
        services.comment_on_post(post, by=bob, body="After")
    page = signed_in(ada).get(f"/posts/{post.pk}/").content.decode()
    assert "Before the block" not in page


def test_an_empty_comment_is_refused_with_a_message():
    ada = UserFactory()
    post = services.create_post(by=ada, body="Open")
    response = signed_in(ada).post(f"/posts/{post.pk}/comment", {"body": "  "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Comment.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.comment_on_post(post, by=ada, body=" \n ")
    assert refused.value.message_dict == {"body": ["Write something before sending the comment."]}
    assert not Comment.objects.exists()


def test_a_comment_like_is_once_per_person_and_undoable():
    ada, bob = UserFactory(), UserFactory()
    post = services.create_post(by=ada, body="Open")
    comment = services.comment_on_post(post, by=ada, body="Mine")
    client = signed_in(bob)
    client.post(f"/comments/{comment.pk}/like")
    client.post(f"/comments/{comment.pk}/like")
    comment.refresh_from_db()
    assert comment.like_count == 1
    client.post(f"/comments/{comment.pk}/like", {"undo": "1"})
    comment.refresh_from_db()
    assert comment.like_count == 0
    assert not CommentLike.objects.exists()


def test_deleting_a_comment_removes_its_replies_and_keeps_the_count_right():
    ada, bob = UserFactory(), UserFactory()
    post = services.create_post(by=ada, body="Open")
    top = services.comment_on_post(post, by=bob, body="Top")
    services.comment_on_post(post, by=ada, body="Reply", parent=top)
    services.comment_on_post(post, by=bob, body="Other")
    services.delete_comment(top, by=bob)
    assert Post.objects.get(pk=post.pk).comment_count == 1
    assert list(Comment.objects.values_list("body", flat=True)) == ["Other"]


def test_comments_are_generic_and_take_any_model():
    """The generic part attaches to anything with a primary key; a proposal later."""
    ada = UserFactory()
    comment = services.add_comment(ada, by=ada, body="On an account, for the test's sake")
    assert comment.target == ada


def test_a_comment_on_a_post_one_may_not_see_is_not_found_and_changes_nothing():
    ada, stranger = UserFactory(), UserFactory()
    post = services.create_post(by=ada, body="For my followers", visibility="followers")
    client = signed_in(stranger)
    assert client.post(f"/posts/{post.pk}/comment", {"body": "Let me in"}).status_code == 404
    assert client.post(f"/posts/{post.pk}/comment", {"body": " "}).status_code == 404
    assert client.post("/posts/999999/comment", {"body": "Nobody"}).status_code == 404
    assert not Comment.objects.exists()


def test_sending_a_comment_tells_the_author_in_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    """Whether the writer may see the post is asked once (by the service), and the reply's
    notification reaches the post's author as before."""
    ada, bob = UserFactory(), UserFactory()
    post = services.create_post(by=ada, body="Open")
    client = signed_in(bob)
    client.get(f"/posts/{post.pk}/")  # the session and caches warm, as a reader's would be
    with django_assert_num_queries(13):
        response = client.post(f"/posts/{post.pk}/comment", {"body": "Agreed"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/posts/{post.pk}/#comment-{comment.pk}"
    (told,) = Notification.objects.filter(kind=REPLY)
    assert (
        told.recipient == ada and told.actor == bob and told.url.endswith(f"#comment-{comment.pk}")
    )


def test_a_comment_held_for_review_reads_its_post_once(settings):
    """Holding a comment asks the post several things (is it official, its page, its scope):
    the post the writer's request read answers them all."""
    settings.AGORA_MODERATION_REPEAT_COUNT = 2
    ada, bob = UserFactory(), UserFactory()
    post = services.create_post(by=ada, body="Open")
    text = "Visit my great website for free prizes today"
    services.comment_on_post(post, by=bob, body=text)
    post = Post.objects.get(pk=post.pk)
    with CaptureQueriesContext(connection) as captured:
        held = services.comment_on_post(post, by=bob, body=text)
    assert Comment.objects.get(pk=held.pk).moderation_state == "under_review"
    item = ModeratedItem.objects.get(kind="comment", object_id=held.pk)
    assert item.url == f"/posts/{post.pk}/#comment-{held.pk}" and not item.is_official
    post_reads = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT") and 'FROM "social_post"' in query["sql"]
    ]
    assert len(post_reads) == 1  # whether bob may see it, nothing more


def test_who_may_see_a_post_is_what_the_list_of_visible_posts_says():
    """`can_view_post`, compiled once and bound to each person and post, answers as
    `visible_posts` does: the author, followers, strangers, a blocked person, a visitor."""
    from django.contrib.auth.models import AnonymousUser

    ada, follower, stranger, blocked = (UserFactory() for _ in range(4))
    services.follow(ada, by=follower)
    services.block(blocked, by=ada)
    posts = [
        services.create_post(by=ada, body="Everyone"),
        services.create_post(by=ada, body="Followers", visibility="followers"),
        services.create_post(by=ada, body="Connections", visibility="connections"),
    ]
    seen = {}
    for viewer in (ada, follower, stranger, blocked, AnonymousUser()):
        for post in posts:
            listed = visible_posts(
                viewer, Post.objects.filter(pk=post.pk), hide_muted=False, include_expired=True
            ).exists()
            assert can_view_post(viewer, post) == listed
            seen[(viewer.pk, post.body)] = listed
    assert seen[(ada.pk, "Connections")] and seen[(follower.pk, "Followers")]
    assert not seen[(stranger.pk, "Followers")] and not seen[(blocked.pk, "Everyone")]
    assert seen[(None, "Everyone")] and not seen[(None, "Followers")]
