"""Following a result: the Follow button on its page; its followers, and the author and
supporters of the proposal it came from, are told of each update (the office that wrote it
is not); following a result keeps the home feed working."""

from django.db import connection
from django.urls import reverse

from agora.notifications.models import Notification
from agora.proposals.models import Support
from agora.results import notifying, services
from agora.results.models import ResultFollow
from agora.social import feeds
from agora.social.services import create_post, follow, follow_source
from tests.helpers import main_part, signed_in
from tests.results.conftest import a_result, accepted_proposal, answers_process, residents


def test_the_follow_button_follows_a_result(town):
    result = a_result(answers_process(town), town.official)
    browser = signed_in(town.verified)
    action = reverse("social:follow_source", args=["follow", "result", result.slug])
    assert f'action="{action}"' in main_part(browser.get(result.get_absolute_url()))
    assert browser.post(action, {"next": result.get_absolute_url()}).status_code == 302
    assert ResultFollow.objects.filter(follower=town.verified, result=result).exists()
    page = main_part(browser.get(result.get_absolute_url()))
    assert "Unfollow" in page and "1 follower" in page
    assert browser.get("/home/").status_code == 200
    feed = browser.get(f"/feeds/result/{result.slug}.rss")  # results post nothing: no items
    assert feed.status_code == 200 and b"<item>" not in feed.content


def test_a_result_of_an_unpublished_process_cannot_be_followed(town):
    process = answers_process(town)
    result = a_result(process, town.official)
    process.is_published = False
    process.save(update_fields=["is_published"])
    action = reverse("social:follow_source", args=["follow", "result", result.slug])
    assert signed_in(town.verified).post(action).status_code == 404
    assert signed_in(town.official).post(action).status_code == 302  # its office sees it
    assert list(ResultFollow.objects.values_list("follower", flat=True)) == [town.official.pk]


def test_followers_author_and_supporters_are_told_of_an_update(town):
    process = answers_process(town)
    proposal = accepted_proposal(process, town.verified)
    supporter, follower, stranger = residents(3)
    Support.objects.create(proposal=proposal, person=supporter, process=process)
    result = a_result(process, town.official, origins_of=[proposal])
    follow_source(result, by=follower)
    follow_source(result, by=town.official)
    services.add_update(result, by=town.official, body="Works start on Monday.", progress=10)
    told = Notification.objects.filter(kind=notifying.UPDATED)
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [town.verified.pk, supporter.pk, follower.pk]
    )
    assert stranger.pk not in told.values_list("recipient", flat=True)
    page = main_part(signed_in(follower).get("/notifications/"))
    assert f"The result “{result.title}” has an update." in page


def test_following_a_result_keeps_the_home_feed_on_its_fast_path(town):
    """The result's clause of the home feed matches no post, provably to the feed's planner:
    on PostgreSQL someone following a person and a result is still served per author."""
    result = a_result(answers_process(town), town.official)
    follow(town.signed_in, by=town.verified)
    follow_source(result, by=town.verified)
    create_post(by=town.signed_in, body="Lovely new kerbs.")
    _ids, plan = feeds.home_page_ids(town.verified, None, feed_filter="everyone", limit=21)
    assert plan == ("per author" if connection.vendor == "postgresql" else "walk")
    assert "Lovely new kerbs." in main_part(signed_in(town.verified).get("/home/"))
