"""Reporting: one notice per person, weighed by the reporter's trust, so that a swarm of new
accounts cannot hide what trusted members can; official words never hidden automatically; bad
notices refused with a reason and nothing changed."""

import pytest
from django.core import mail
from django.test import Client

from agora.moderation import services, trust
from agora.moderation.models import ModeratedItem, ModerationState, Report
from agora.social.models import Post
from agora.social.permissions import visible_posts
from tests.factories import UserFactory
from tests.helpers import main_part
from tests.moderation.conftest import settled, verified

pytestmark = pytest.mark.django_db


def report(content, by, reason="harassment", **fields):
    return services.report_content(
        content,
        by=by,
        reason=reason,
        explanation=fields.pop("explanation", "It insults people."),
        good_faith=fields.pop("good_faith", True),
        **fields,
    )


def shown_to(viewer, post) -> bool:
    return visible_posts(viewer, Post.objects.filter(pk=post.pk)).exists()


def test_trust_levels_follow_what_a_person_has_done():
    assert trust.trust_level(UserFactory()) == 0  # joined today
    assert trust.trust_level(settled()) == 2
    assert trust.trust_level(verified()) == 3
    assert trust.trust_level(settled(role="official")) == 4


def test_thirty_new_accounts_do_not_hide_a_trusted_members_post(post):
    reader = settled()
    for _ in range(30):
        report(post, UserFactory())
    item = ModeratedItem.objects.get()
    assert item.report_count == 30
    assert item.score == pytest.approx(1.0), "new accounts together weigh at most the cap"
    assert item.suspected_wave, "30 new accounts within a day are a possible wave"
    post.refresh_from_db()
    assert post.moderation_state == ModerationState.VISIBLE and shown_to(reader, post)
    assert not item.decisions.exists()


def test_three_trusted_reporters_hide_it_while_it_is_reviewed(post):
    reader = settled()
    report(post, verified())
    report(post, verified(), reason="hate")
    post.refresh_from_db()
    assert post.moderation_state == ModerationState.VISIBLE, "two weigh 4, under the 5 needed"
    report(post, verified(), reason="hate")
    post.refresh_from_db()
    assert post.moderation_state == ModerationState.UNDER_REVIEW
    assert not shown_to(reader, post) and not shown_to(UserFactory(), post)
    assert shown_to(post.author, post), "its author still sees it"
    (decision,) = ModeratedItem.objects.get().decisions.all()
    assert decision.automated and decision.action == "auto_hide"
    assert not ModeratedItem.objects.get().suspected_wave


def test_an_office_announcement_is_never_hidden_without_a_person(post, author):
    Post.objects.filter(pk=post.pk).update(office=_office())
    post.refresh_from_db()
    for _ in range(5):
        report(post, verified())
    post.refresh_from_db()
    assert post.moderation_state == ModerationState.VISIBLE
    item = ModeratedItem.objects.get()
    assert item.is_official and item.score >= 10 and not item.decisions.exists()


def _office():
    from tests.directory.factories import OfficeFactory

    return OfficeFactory()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": "nonsense"}, "Choose why you report it."),
        ({"explanation": "  "}, "Say what is wrong with it"),
        ({"reason": "illegal"}, "Say which law it breaks"),
        ({"good_faith": False}, "Confirm that you report it in good faith."),
    ],
)
def test_a_notice_without_what_article_16_asks_is_refused(post, fields, message):
    with pytest.raises(services.ModerationError, match=message):
        report(post, settled(), **fields)
    assert not Report.objects.exists() and not ModeratedItem.objects.exists()


def test_one_report_per_person_and_never_on_ones_own_words(post):
    reporter = settled()
    report(post, reporter)
    with pytest.raises(services.ModerationError, match="already reported"):
        report(post, reporter)
    with pytest.raises(services.ModerationError, match="wrote yourself"):
        report(post, post.author)
    assert Report.objects.count() == 1


def test_what_the_reporter_cannot_read_cannot_be_reported(author):
    from agora.social import services as social

    private = social.create_post(by=author, body="For my followers.", visibility="followers")
    stranger = settled()
    with pytest.raises(services.ModerationError, match="cannot be reported"):
        report(private, stranger)
    client = Client()
    client.force_login(stranger)
    assert client.get(f"/moderation/report/post/{private.pk}/").status_code == 404


def test_the_report_page_keeps_what_was_typed_and_thanks_the_reporter(post, client):
    reporter = settled()
    client.force_login(reporter)
    url = f"/moderation/report/post/{post.pk}/"
    page = main_part(client.get(url))
    assert "What you report (post)" in page and "The new bus lane is a disaster" in page
    response = client.post(url, {"reason": "spam", "explanation": "An advert for shoes."})
    page = main_part(response, 400)
    assert "An advert for shoes." in page and "This field is required" in page
    assert not Report.objects.exists()
    response = client.post(
        url, {"reason": "spam", "explanation": "An advert for shoes.", "good_faith": "on"}
    )
    assert response.status_code == 302 and response.url == f"/posts/{post.pk}/"
    assert Report.objects.get().reporter_email == reporter.email
    page = main_part(client.get(response.url))
    assert "Thank you: your report was received." in page


def test_unknown_things_are_not_found(post, client):
    assert client.get("/moderation/report/post/999999/").status_code == 404
    client.force_login(settled())
    assert client.get("/moderation/report/post/999999/").status_code == 404
    assert client.get(f"/moderation/report/nothing/{post.pk}/").status_code == 404


def test_a_visitor_without_an_account_sends_a_notice_and_hears_back_by_email(
    post, client, django_capture_on_commit_callbacks, run_worker
):
    """Article 16(1): anyone can send a notice. A visitor's gives a name and an email, weighs
    nothing (it hides nothing before a person looks), is taken once per address, and its
    sender is told by email that it was received and what was decided."""
    from agora.moderation import services as moderation

    url = f"/moderation/report/post/{post.pk}/"
    page = main_part(client.get(f"/posts/{post.pk}/"))
    assert f'href="{url}"' in page, "visitors see the Report link"
    page = main_part(client.get(url))
    assert "You are not signed in" in page and "Your email" in page

    fields = {"reason": "spam", "explanation": "An advert for shoes.", "good_faith": "on"}
    kept = main_part(client.post(url, fields), 400)
    assert "An advert for shoes." in kept and "Needed, unless the notice" in kept
    assert not Report.objects.exists()

    fields |= {"name": "Vic Visitor", "email": "Vic@Example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, fields)
    assert response.status_code == 302
    made = Report.objects.get()
    assert (made.reporter, made.reporter_name, made.reporter_email, made.weight) == (
        None,
        "Vic Visitor",
        "vic@example.org",
        0,
    )
    item = ModeratedItem.objects.get()
    assert item.report_count == 1 and item.score == 0
    again = main_part(client.post(url, fields), 400)
    assert "You have already reported this." in again
    assert Report.objects.count() == 1

    (received,) = run_worker()
    assert received.to == ["vic@example.org"] and "Your report was received" in received.subject
    assert "The new bus lane is a disaster" in received.body

    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(
            item, by=_moderator(), action="dismiss", facts="An opinion about a bus lane."
        )
    outcome = run_worker()[-1]
    assert "The outcome of your report" in outcome.subject
    assert "Dismiss the reports" in outcome.body and "An opinion about a bus lane." in outcome.body


def test_visitors_notices_are_limited_per_address_range(post, client, settings):
    settings.AGORA_VISITOR_REPORT_RATE = "1/h"
    url = f"/moderation/report/post/{post.pk}/"
    fields = {"reason": "spam", "explanation": "Shoes.", "good_faith": "on", "name": "V"}
    client.post(url, {**fields, "email": "one@example.org"}, REMOTE_ADDR="203.0.113.7")
    refused = main_part(
        client.post(url, {**fields, "email": "two@example.org"}, REMOTE_ADDR="203.0.113.9"), 400
    )
    assert "You are doing this too often" in refused and "two@example.org" in refused
    assert list(Report.objects.values_list("reporter_email", flat=True)) == ["one@example.org"]
    client.post(url, {**fields, "email": "three@example.org"}, REMOTE_ADDR="198.51.100.1")
    assert Report.objects.count() == 2


def test_a_profile_can_be_reported_from_its_page_and_not_by_its_owner(author, client):
    reporter = settled()
    client.force_login(reporter)
    page = main_part(client.get(f"/@{author.handle}/"))
    assert f'href="/moderation/report/profile/{author.pk}/"' in page
    client.force_login(author)
    assert "/moderation/report/profile/" not in main_part(client.get(f"/@{author.handle}/"))
    report(author, reporter, reason="other", explanation="Pretends to be the mayor.")
    item = ModeratedItem.objects.get(kind="profile")
    assert item.author == author and "Alma Author" in item.excerpt
    with pytest.raises(services.ModerationError, match="cannot be hidden"):
        services.decide(item, by=_moderator(), action="hide", facts="x", law="y")


def _moderator():
    from tests.moderation.conftest import a_moderator

    return a_moderator("Otto Other")


def test_the_api_takes_a_report_with_the_same_rules_and_shows_the_log(post):
    from tests.social.helpers import api_client, send

    reporter = settled()
    client = api_client(reporter)
    body = {"kind": "post", "id": post.pk, "reason": "spam", "explanation": "An advert."}
    response = send(client, "post", "/reports", {**body, "good_faith": False})
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "Confirm that you report it in good faith."
    response = send(client, "post", "/reports", {**body, "good_faith": True})
    assert response.status_code == 201
    item = ModeratedItem.objects.get()
    assert response.json() == {"id": Report.objects.get().pk, "item": item.pk}
    again = send(client, "post", "/reports", {**body, "good_faith": True})
    assert again.status_code == 422 and again.json()["error"]["code"] == "refused"
    missing = send(client, "post", "/reports", {**body, "id": 999999, "good_faith": True})
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "unknown"

    from agora.moderation import services as moderation
    from tests.moderation.conftest import a_moderator

    moderation.decide(item, by=a_moderator("Mo"), action="dismiss")
    log = Client().get("/api/v1/moderation/log").json()
    assert [(entry["action"], entry["kind"], entry["automated"]) for entry in log["items"]] == [
        ("dismiss", "post", False)
    ]
    assert "An advert" not in str(log) and reporter.handle not in str(log)


def test_a_notice_about_child_abuse_may_leave_out_the_reporters_name_and_email(post, client):
    """Article 16(2)(c): only such a notice may be unnamed; moderators then see that the
    reporter chose not to be named, never who; the reporter still hears the outcome."""
    reporter = settled(display_name="Nina Notifier")
    with pytest.raises(services.ModerationError, match="Only a notice about the sexual abuse"):
        report(post, reporter, reason="spam", unnamed=True)
    assert not Report.objects.exists()

    client.force_login(reporter)
    url = f"/moderation/report/post/{post.pk}/"
    assert "Leave my name and email out of this notice" in main_part(client.get(url))
    fields = {"reason": "child_abuse", "explanation": "A link to abuse images.", "good_faith": "on"}
    response = client.post(url, {**fields, "unnamed": "on"})
    assert response.status_code == 302
    made = Report.objects.get()
    assert (made.reporter_name, made.reporter_email, made.reporter) == ("", "", reporter)

    moderator = _moderator()
    staff = Client()
    staff.force_login(moderator)
    item = ModeratedItem.objects.get()
    page = main_part(staff.get(item.get_absolute_url()))
    assert "The reporter chose not to be named" in page and "Nina Notifier" not in page
    assert reporter.email not in page

    named = settled(display_name="Ned Named")
    report(post, named, reason="child_abuse", explanation="The same link.")
    page = main_part(staff.get(item.get_absolute_url()))
    assert "Ned Named" in page


def test_the_api_takes_an_unnamed_notice_only_about_child_abuse(post):
    from tests.social.helpers import api_client, send

    client = api_client(settled())
    body = {"kind": "post", "id": post.pk, "explanation": "Abuse.", "good_faith": True}
    refused = send(client, "post", "/reports", {**body, "reason": "hate", "unnamed": True})
    assert (
        refused.status_code == 422 and "Only a notice about" in refused.json()["error"]["message"]
    )
    taken = send(client, "post", "/reports", {**body, "reason": "child_abuse", "unnamed": True})
    assert taken.status_code == 201
    assert Report.objects.get().reporter_email == ""


def test_a_visitors_email_goes_once_when_its_task_runs_again(post, client):
    """A worker killed after the mail server took the message runs the task again."""
    from agora.moderation.tasks import email_visitor

    fields = {"reason": "spam", "explanation": "Shoes.", "good_faith": "on", "name": "V"}
    client.post(f"/moderation/report/post/{post.pk}/", {**fields, "email": "v@example.org"})
    made = Report.objects.get()
    assert [email_visitor.call(report_id=made.pk) for _ in range(2)] == [1, 0]
    assert [message.to for message in mail.outbox] == [["v@example.org"]]
