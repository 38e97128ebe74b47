"""Deciding with a statement of reasons, appealing within the window to a different moderator,
and the public log: who may read what, and what is refused with nothing changed."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from agora.moderation import services
from agora.moderation.models import Decision, ItemState, ModeratedItem, ModerationState
from agora.notifications.models import Notification
from tests.factories import UserFactory
from tests.helpers import main_part
from tests.moderation.conftest import settled
from tests.moderation.test_reports import report

pytestmark = pytest.mark.django_db


def as_person(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def reported(comment):
    reporter = settled(display_name="Rita Reporter")
    report(comment, reporter, explanation="A personal insult.", good_faith=True)
    return ModeratedItem.objects.get(), reporter


def test_a_restriction_without_its_statement_of_reasons_is_refused(reported, moderator, rules):
    item, _reporter = reported
    for fields in ({"facts": "Insults a person."}, {"rule": rules[1]}):
        with pytest.raises(services.ModerationError, match="statement of reasons"):
            services.decide(item, by=moderator, action="hide", **fields)
    item.refresh_from_db()
    assert item.state == ItemState.OPEN and not item.decisions.exists()


def test_a_moderator_does_not_decide_on_their_own_words(comment, moderator, rules):
    from agora.social import services as social

    own = social.comment_on_post(comment.target, by=moderator, body="Calm down, everyone.")
    report(own, settled())
    item = ModeratedItem.objects.get(object_id=own.pk, kind="comment")
    with pytest.raises(services.ModerationError, match="Another moderator"):
        services.decide(item, by=moderator, action="dismiss")
    with pytest.raises(services.ModerationError, match="Only moderators"):
        services.decide(item, by=settled(), action="dismiss")


def test_hiding_tells_the_author_and_the_reporter_and_the_statement_says_why(
    reported, moderator, rules, comment, django_capture_on_commit_callbacks
):
    item, reporter = reported
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decide(
            item, by=moderator, action="hide", rule=rules[1], facts="Calls another person an idiot."
        )
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.HIDDEN
    told = Notification.objects.filter(
        target_id=decision.pk, kind__startswith="moderation"
    ).values_list("recipient", "kind")
    assert set(told) == {
        (comment.author_id, "moderation_decision"),
        (reporter.pk, "moderation_outcome"),
    }
    page = main_part(as_person(comment.author).get(decision.get_absolute_url()))
    for said in (
        "Statement of reasons",
        "Hidden, ",
        "Calls another person an idiot.",
        "House rule 1",
        "Be respectful",
        "No: a moderator decided.",
        "Appeal this decision",
    ):
        assert said in page, said
    assert "Rita Reporter" not in page, "the author is not told who reported it"
    seen_by_reporter = main_part(as_person(reporter).get(decision.get_absolute_url()))
    assert "Calls another person an idiot." in seen_by_reporter
    assert "Appeal this decision" not in seen_by_reporter
    assert as_person(settled()).get(decision.get_absolute_url()).status_code == 404
    assert Client().get(decision.get_absolute_url()).status_code == 302  # to log in


def test_the_hidden_comment_is_a_placeholder_to_others_and_marked_for_its_author(
    reported, moderator, rules, comment, client
):
    item, _reporter = reported
    services.decide(item, by=moderator, action="remove", rule=rules[1], facts="An insult.")
    url = comment.target and f"/posts/{comment.object_id}/"
    page = main_part(as_person(settled()).get(url))
    assert "This comment is hidden by moderation." in page
    assert "You are an idiot" not in page
    own = main_part(as_person(comment.author).get(url))
    assert "You are an idiot" in own and "Only you see this: moderators removed it." in own

    api = f"/api/v1/posts/{comment.object_id}/comments"
    (placeholder,) = as_person(settled()).get(api).json()
    assert placeholder["body"] == "" and placeholder["withheld"] == "moderation"
    assert placeholder["withheld_message"] == "This comment is hidden by moderation."
    assert placeholder["rules_url"].endswith("/rules/")
    (seen_by_author,) = as_person(comment.author).get(api).json()
    assert "You are an idiot" in seen_by_author["body"] and seen_by_author["withheld"] is None
    (in_spanish,) = as_person(settled()).get(api, HTTP_ACCEPT_LANGUAGE="es").json()
    assert in_spanish["withheld_message"] != placeholder["withheld_message"]


def test_an_appeal_goes_to_another_moderator_who_restores_it(
    reported, moderator, second_moderator, rules, comment
):
    item, _reporter = reported
    decision = services.decide(item, by=moderator, action="hide", rule=rules[1], facts="Insult.")
    author = as_person(comment.author)
    response = author.post(decision.get_absolute_url(), {"grounds": ""})
    assert "This field is required" in main_part(response, 400)
    response = author.post(decision.get_absolute_url(), {"grounds": "It was a joke between us."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.APPEALED
    (appeal,) = decision.appeals.all()
    with pytest.raises(services.ModerationError, match="did not take the decision"):
        services.decide_appeal(appeal, by=moderator, action="restore", facts="Fine.")
    with pytest.raises(services.ModerationError, match="its reasons"):
        services.decide_appeal(appeal, by=second_moderator, action="restore", facts="")
    answer = services.decide_appeal(
        appeal, by=second_moderator, action="restore", facts="Said between friends, who agree."
    )
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.VISIBLE
    assert answer.reviews == decision and answer.action == "dismiss"
    with pytest.raises(services.ModerationError, match="cannot appeal"):
        services.appeal_decision(answer, by=comment.author, grounds="Again.")

    log = main_part(Client().get("/moderation/log/"))
    assert "Hidden" in log and "Reports dismissed" in log and "(on appeal)" in log
    for private in ("Carl Commenter", "Rita Reporter", "idiot", "Mona Moderator"):
        assert private not in log, private


def test_the_appeal_window_closes(reported, moderator, rules, comment, settings):
    item, _reporter = reported
    decision = services.decide(item, by=moderator, action="hide", rule=rules[1], facts="Insult.")
    Decision.objects.filter(pk=decision.pk).update(
        created_at=timezone.now() - timedelta(days=settings.AGORA_MODERATION_APPEAL_DAYS + 1)
    )
    decision.refresh_from_db()
    with pytest.raises(services.ModerationError, match="time to appeal"):
        services.appeal_decision(decision, by=comment.author, grounds="Late, sorry.")
    assert not decision.appeals.exists()


def test_a_dismissed_reporter_may_appeal_and_the_author_may_not(reported, moderator):
    item, reporter = reported
    decision = services.decide(item, by=moderator, action="dismiss")
    assert services.may_appeal(decision, reporter)
    assert not services.may_appeal(decision, item.author)


def test_the_queue_is_for_moderators_and_its_queries_do_not_grow(
    post, moderator, django_assert_num_queries
):
    from agora.social import services as social

    client = as_person(moderator)
    assert as_person(settled()).get("/moderation/queue/").status_code == 404
    report(post, settled())
    client.get("/moderation/queue/")
    with django_assert_num_queries(6) as first:  # session, account, TOTP, scopes, items, rules
        page = main_part(client.get("/moderation/queue/"))
    assert "The new bus lane is a disaster" in page
    for number in range(5):
        other = social.create_post(by=post.author, body=f"Another post {number}")
        report(other, settled())
    with django_assert_num_queries(len(first.captured_queries)):
        page = main_part(client.get("/moderation/queue/"))
    assert "Another post 4" in page


def test_the_log_reads_in_the_same_queries_however_long(
    reported, moderator, rules, django_assert_num_queries, client
):
    from agora.social import services as social

    item, _reporter = reported
    services.decide(item, by=moderator, action="dismiss")
    client.get("/moderation/log/")
    with django_assert_num_queries(1):  # the decisions
        client.get("/moderation/log/")
    for number in range(5):
        other = social.create_post(by=UserFactory(), body=f"Spam {number}")
        report(other, settled())
        services.decide(
            ModeratedItem.objects.get(object_id=other.pk, kind="post"),
            by=moderator,
            action="remove",
            rule=rules[2],
            facts="An advert.",
        )
    client.get("/moderation/log/")  # the figures are counted again once
    with django_assert_num_queries(1):
        page = main_part(client.get("/moderation/log/"))
    assert page.count("Removed") == 5


def test_the_rules_are_numbered_and_the_old_address_leads_there(rules, client):
    page = main_part(client.get("/rules/"))
    assert '<li value="1" id="rule-1"><strong>Be respectful.</strong>' in page
    assert client.get("/house-rules/")["Location"] == "/rules/"


def test_what_moderators_acted_on_is_kept_through_the_appeal_window(
    reported, moderator, rules, comment, settings
):
    from agora.social import services as social

    item, _reporter = reported
    author = as_person(comment.author)
    response = author.post(f"/comments/{comment.pk}/delete", follow=True)
    assert "Moderators are reviewing this" in main_part(response)
    services.decide(item, by=moderator, action="hide", rule=rules[1], facts="An insult.")
    response = author.post(f"/comments/{comment.pk}/delete", follow=True)
    assert "decision may be appealed: you can delete it after that" in main_part(response)
    comment.refresh_from_db()  # still there
    ModeratedItem.objects.filter(pk=item.pk).update(
        decided_at=timezone.now() - timedelta(days=settings.AGORA_MODERATION_APPEAL_DAYS + 1)
    )
    social.delete_comment(comment, by=comment.author)
    assert not type(comment).objects.filter(pk=comment.pk).exists()
    assert ModeratedItem.objects.filter(pk=item.pk).exists(), "the record stays"


def test_the_api_says_why_a_post_under_review_is_kept(post, client):
    from tests.social.helpers import api_client, send

    report(post, settled())
    response = send(api_client(post.author), "delete", f"/posts/{post.pk}")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "kept_for_moderation"


def test_one_decision_on_a_spam_wave_with_one_statement(moderator, rules, author):
    from agora.social import services as social
    from agora.social.models import Post

    posts = [social.create_post(by=settled(), body=f"Cheap watches {n}") for n in range(3)]
    for post in posts:
        report(post, settled(), reason="spam")
    client = as_person(moderator)
    queue = main_part(client.get("/moderation/queue/"))
    assert queue.count('name="items"') == 3
    chosen = list(ModeratedItem.objects.values_list("pk", flat=True))
    response = client.post(
        "/moderation/queue/decide", {"items": chosen, "action": "remove", "facts": "Adverts."}
    )
    assert "needs its statement of reasons" in main_part(response, 400)
    assert not Decision.objects.exists()
    response = client.post(
        "/moderation/queue/decide",
        {"items": chosen, "action": "remove", "rule": rules[2].pk, "facts": "Adverts."},
        follow=True,
    )
    assert "Decided 3 items." in main_part(response)
    assert set(
        Post.objects.filter(pk__in=[p.pk for p in posts]).values_list("moderation_state", flat=True)
    ) == {"removed"}
    assert "Nothing waits" in main_part(client.get("/moderation/queue/"))


def test_the_queue_filters_by_kind_reason_score_and_waiting_time(moderator, author, comment):
    from agora.social import services as social

    spam = social.create_post(by=settled(), body="Cheap watches")
    report(spam, settled(), reason="spam")
    report(comment, verified_reporter(), reason="harassment")
    ModeratedItem.objects.filter(kind="comment").update(
        first_reported_at=timezone.now() - timedelta(days=3)
    )
    client = as_person(moderator)

    def shown(query: str) -> str:
        return main_part(client.get(f"/moderation/queue/?{query}"))

    assert "Cheap watches" in shown("kind=post") and "idiot" not in shown("kind=post")
    assert "idiot" in shown("reason=harassment") and "Cheap" not in shown("reason=harassment")
    assert "idiot" in shown("min_score=2") and "Cheap" not in shown("min_score=2")
    assert "idiot" in shown("waited=2") and "Cheap" not in shown("waited=2")
    assert "Cheap" in shown("min_score=nonsense"), "a bad filter is left out, not a 500"


def verified_reporter():
    from tests.moderation.conftest import verified

    return verified()
