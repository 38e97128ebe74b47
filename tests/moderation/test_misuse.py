"""Article 23: repeated manifestly illegal content is met with a warning, then a suspension for
a time; repeated manifestly unfounded reports with a warning, then a time when the person's
reports are not taken. Both are recorded and told."""

import pytest

from agora.moderation import services
from agora.moderation.models import Misuse, ModeratedItem, Suspension
from agora.notifications.models import Notification
from agora.social import services as social
from agora.social.models import Post
from tests.moderation.conftest import settled
from tests.moderation.test_reports import report

pytestmark = pytest.mark.django_db

LAW = "Criminal Code, Article 510 (incitement to hatred)"


def illegal_post(author, moderator, number):
    post = social.create_post(by=author, body=f"Hateful post number {number}")
    report(post, settled(), reason="illegal", law=LAW)
    item = ModeratedItem.objects.get(kind="post", object_id=post.pk)
    return services.decide(item, by=moderator, action="remove", law=LAW, facts="Incites hatred.")


def test_illegal_content_again_and_again_is_warned_then_suspended(
    author, moderator, settings, django_capture_on_commit_callbacks
):
    settings.AGORA_MODERATION_ILLEGAL_COUNT = 2
    illegal_post(author, moderator, 1)
    assert not Misuse.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        illegal_post(author, moderator, 2)
    (warning,) = Misuse.objects.all()
    assert warning.is_warning and warning.kind == "illegal_content"
    assert Notification.objects.filter(recipient=author, kind="moderation_misuse").exists()
    assert not Suspension.objects.exists()

    illegal_post(author, moderator, 3)
    suspension = Suspension.objects.get(person=author)
    assert suspension.decision.automated and "Article 23" in suspension.decision.law
    assert suspension.until is not None
    assert Misuse.objects.filter(person=author, until__isnull=False).count() == 1


def test_unfounded_reports_are_warned_then_not_taken_for_a_while(moderator, settings):
    settings.AGORA_MODERATION_UNFOUNDED_COUNT = 4
    reporter = settled()
    for number in range(4):
        post = social.create_post(by=settled(), body=f"A fine post {number}")
        report(post, reporter, reason="spam", explanation="I do not like it.")
        services.decide(
            ModeratedItem.objects.get(kind="post", object_id=post.pk),
            by=moderator,
            action="dismiss",
        )
        if number == 1:
            assert Misuse.objects.get(person=reporter).is_warning
    barred = Misuse.objects.get(person=reporter, until__isnull=False)
    assert barred.kind == "unfounded_reports"
    fresh = social.create_post(by=settled(), body="Another fine post")
    with pytest.raises(services.ModerationError, match="Your reports are not taken until"):
        report(fresh, reporter)


def test_one_upheld_report_keeps_a_reporter_in_good_standing(moderator, settings, rules):
    settings.AGORA_MODERATION_UNFOUNDED_COUNT = 2
    reporter = settled()
    bad = social.create_post(by=settled(), body="Buy cheap watches here")
    report(bad, reporter, reason="spam")
    services.decide(
        ModeratedItem.objects.get(kind="post", object_id=bad.pk),
        by=moderator,
        action="remove",
        rule=rules[2],
        facts="An advert.",
    )
    for number in range(3):
        post = social.create_post(by=settled(), body=f"Fine {number}")
        report(post, reporter, reason="spam")
        item = ModeratedItem.objects.get(kind="post", object_id=post.pk)
        services.decide(item, by=moderator, action="dismiss")
    assert not Misuse.objects.exists()


def test_a_listed_word_holds_a_post_for_a_moderator_who_may_restore_it(author, moderator):
    from agora.moderation.models import ScreeningPattern
    from agora.social.models import Post
    from agora.social.permissions import visible_posts

    ScreeningPattern.objects.create(pattern="cheap watches", note="a spam wave in May")
    post = social.create_post(by=author, body="Buy CHEAP watches at my shop")
    post.refresh_from_db()
    assert post.moderation_state == "under_review"
    assert not visible_posts(settled(), Post.objects.filter(pk=post.pk)).exists()
    item = ModeratedItem.objects.get(kind="post", object_id=post.pk)
    (held,) = item.decisions.all()
    assert held.automated and "a spam wave in May" in held.facts
    services.decide(item, by=moderator, action="dismiss")
    post.refresh_from_db()
    assert post.moderation_state == "visible"


def test_the_same_text_again_and_again_is_held(settings):
    settings.AGORA_MODERATION_REPEAT_COUNT = 3
    text = "Visit my great website for free prizes today"
    first, second = settled(), settled()
    posts = [social.create_post(by=person, body=text) for person in (first, second, first)]
    states = [Post.objects.get(pk=post.pk).moderation_state for post in posts]
    assert states == ["visible", "visible", "under_review"]
    short = [social.create_post(by=first, body="Thank you!") for _ in range(4)]
    assert all(Post.objects.get(pk=post.pk).moderation_state == "visible" for post in short)
