"""Hidden counts everywhere they apply, each place read by two people: one who chose to see no
counts ("everywhere I look") and one who did not; and a post's author who hides the counts on
their own posts, for everyone, on the pages and in the API."""

import pytest
from django.test import Client

from agora.accounts import services as account_services
from agora.accounts.services import set_hide_counts
from agora.proposals import services as proposal_services
from agora.proposals.models import Proposal
from agora.social import services
from tests.api.conftest import bearer
from tests.factories import UserFactory
from tests.helpers import main_part, signed_in
from tests.processes.conftest import build_town
from tests.proposals.conftest import a_proposal, residents, support_process

pytestmark = pytest.mark.django_db


def token_client(person) -> Client:
    _token, secret = account_services.create_access_token(person, name="phone")
    return Client(headers=bearer(secret))


@pytest.fixture
def readers():
    quiet, plain = UserFactory(display_name="Quinn Quiet"), UserFactory(display_name="Pat Plain")
    set_hide_counts(quiet, "hidden")
    return quiet, plain


def test_most_supported_still_orders_the_proposals_but_shows_no_counts_to_who_hides_them(
    readers,
):
    quiet, plain = readers
    town = build_town()
    process = support_process(town, threshold=50)
    a_proposal(process, town.verified, "Few supporters")
    popular = a_proposal(process, town.verified, "Many supporters")
    Proposal.objects.filter(pk=popular.pk).update(support_count=7)
    url = process.get_absolute_url()
    for person, shown in ((quiet, False), (plain, True), (quiet, False)):  # cached lists apart
        page = main_part(signed_in(person).get(url, {"sort": "supported"}))
        assert page.index("Many supporters") < page.index("Few supporters")
        assert ("7 supports" in page) is shown
        assert "Most supported" in page  # the order is still offered
    detail = popular.get_absolute_url()
    assert "7 people support" not in main_part(signed_in(quiet).get(detail))
    assert "7 people support" in main_part(signed_in(plain).get(detail))


def test_the_api_gives_counts_as_null_to_a_token_of_who_hides_them(readers):
    quiet, plain = readers
    town = build_town()
    services.follow_source(town.mobility, by=plain)
    process = support_process(town, threshold=50)
    proposal = a_proposal(process, town.verified, "Benches")
    supporter = residents(1)[0]
    proposal_services.support_proposal(proposal, by=supporter)
    post = services.create_post(by=town.verified, body="Lamps out on Elm Street")
    services.like_post(post, by=plain)
    calls = {
        "office": ("/api/v1/directory/offices/mobility", "follower_count"),
        "follow state": ("/api/v1/directory/offices/mobility/follow", "follower_count"),
        "post": (f"/api/v1/posts/{post.pk}", "like_count"),
        "proposal": (f"/api/v1/proposals/{proposal.pk}", "support_count"),
    }
    office_page = town.mobility.get_absolute_url()
    assert "1 follower" not in main_part(signed_in(quiet).get(office_page))
    assert "1 follower" in main_part(signed_in(plain).get(office_page))
    for name, (url, field) in calls.items():
        assert token_client(quiet).get(url).json()[field] is None, name
        assert token_client(plain).get(url).json()[field] == 1, name
    # What a change answers is hidden too: a like, a support.
    liked = token_client(quiet).post(f"/api/v1/posts/{post.pk}/like").json()
    assert liked == {"liked": True, "like_count": None}
    assert token_client(plain).delete(f"/api/v1/posts/{post.pk}/like").json()["like_count"] == 1
    quiet_resident = residents(1, "Quiet")[0]
    set_hide_counts(quiet_resident, "hidden")
    supported = token_client(quiet_resident).post(f"/api/v1/proposals/{proposal.pk}/support")
    assert supported.status_code == 200, supported.content
    assert supported.json()["support_count"] is None


def test_an_author_who_hides_the_counts_on_their_posts_hides_them_from_everyone(readers):
    _quiet, plain = readers
    author = UserFactory()
    set_hide_counts(author, "mine")
    post = services.create_post(by=author, body="My own post")
    services.like_post(post, by=UserFactory())
    comment = services.comment_on_post(post, by=author, body="And my own comment")
    services.like_comment(comment, by=UserFactory())
    page = main_part(signed_in(plain).get(f"/posts/{post.pk}/"))
    assert "(1)" not in page and "1 like" not in page
    api = token_client(plain)
    read = api.get(f"/api/v1/posts/{post.pk}").json()
    assert (read["like_count"], read["share_count"]) == (None, None)
    assert api.post(f"/api/v1/posts/{post.pk}/like").json()["like_count"] is None
    assert api.post(f"/api/v1/comments/{comment.pk}/like").json()["like_count"] is None
    # Another author's post keeps its counts for the same reader.
    other = services.create_post(by=UserFactory(), body="Someone else's")
    services.like_post(other, by=UserFactory())
    assert api.get(f"/api/v1/posts/{other.pk}").json()["like_count"] == 1
    assert "Like (1)" in main_part(signed_in(plain).get(f"/posts/{other.pk}/"))
