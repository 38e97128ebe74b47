"""Social's comment URLs act on comments on posts only. A comment on something else (a case)
shares the table and could share an id with a post, so it must never be liked, deleted or
replied to through them: its own app checks who may see and change it."""

import pytest

from agora.cases import services as case_services
from agora.social import services
from agora.social.models import Comment, CommentLike
from tests.cases.conftest import build_city
from tests.factories import UserFactory
from tests.social.helpers import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db):
    return build_city()


@pytest.fixture
def case_comment_beside_a_post(town):
    """A comment on a public case whose object id is also a visible post's id, so a lookup that
    ignored the content type would find that post and let the comment through."""
    author = UserFactory()
    post = services.create_post(by=author, body="A post about something else.")
    case = town.submit()
    while case.pk < post.pk:
        case = town.submit()
    while post.pk < case.pk:
        post = services.create_post(by=author, body="Another post.")
    assert post.pk == case.pk
    comment = case_services.comment_on_case(case, by=town.resident, body="Same here.")
    return comment, case


def test_a_case_comment_cannot_be_liked_or_deleted_through_the_social_pages(
    client, town, case_comment_beside_a_post
):
    comment, _case = case_comment_beside_a_post
    client.force_login(town.other_resident)
    assert client.post(f"/comments/{comment.pk}/like").status_code == 404
    client.force_login(town.resident)
    assert client.post(f"/comments/{comment.pk}/delete").status_code == 404
    assert CommentLike.objects.count() == 0
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_a_case_comment_cannot_be_liked_or_deleted_through_the_social_api(
    town, case_comment_beside_a_post
):
    comment, _case = case_comment_beside_a_post
    other = api_client(town.other_resident)
    response = other.post(f"/api/v1/comments/{comment.pk}/like")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    owner = api_client(town.resident)
    assert owner.delete(f"/api/v1/comments/{comment.pk}").status_code == 404
    assert CommentLike.objects.count() == 0
    assert Comment.objects.filter(pk=comment.pk).exists()
