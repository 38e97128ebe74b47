"""Comments: threads, reply settings, blocks, likes on comments."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agora.social import services
from agora.social.models import Comment, CommentLike, Post, ReplyPolicy
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
