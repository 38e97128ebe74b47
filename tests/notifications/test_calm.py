"""Calm settings: one summary instead of single emails (daily or weekly), quiet hours in the
person's time zone (emails held and sent by the worker when they end), a pause, hidden counts;
urgent announcements pass over all of it; the settings page works without JavaScript."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from agora.notifications import services as notification_services
from agora.notifications.calm import email_route, quiet_end
from agora.notifications.models import Calm, Delivery, DigestOnly, EmailState, Notification
from agora.notifications.tasks import send_held_emails
from agora.social import services
from agora.social.models import Post
from agora.social.notifying import NEW_FOLLOWER, URGENT_ANNOUNCEMENT
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
AT_23 = dt.datetime(2026, 11, 25, 23, 30, tzinfo=MADRID)


@pytest.mark.parametrize(
    ("start", "end", "now", "ends"),
    [
        # Across midnight: inside late at night and early in the morning, not at noon.
        ("22:00", "07:00", AT_23, dt.datetime(2026, 11, 26, 7, 0, tzinfo=MADRID)),
        ("22:00", "07:00", AT_23.replace(hour=6), dt.datetime(2026, 11, 25, 7, 0, tzinfo=MADRID)),
        ("22:00", "07:00", AT_23.replace(hour=12), None),
        # Within one day.
        ("13:00", "15:00", AT_23.replace(hour=14), dt.datetime(2026, 11, 25, 15, tzinfo=MADRID)),
        ("13:00", "15:00", AT_23.replace(hour=15), None),
    ],
)
def test_quiet_hours_are_read_in_the_persons_time_zone(start, end, now, ends):
    found = quiet_end(
        now.astimezone(dt.UTC),
        dt.time.fromisoformat(start),
        dt.time.fromisoformat(end),
        "Europe/Madrid",
    )
    assert found == ends


def test_a_pause_leaves_emails_out_and_a_summary_gathers_them():
    now = timezone.now()
    paused = email_route(EmailState.NOW, now=now, paused_until=now + dt.timedelta(days=1))
    assert paused == (EmailState.NONE, None)
    over = email_route(EmailState.NOW, now=now, paused_until=now - dt.timedelta(days=1))
    assert over == (EmailState.NOW, None)
    assert email_route(EmailState.NOW, now=now, digest_only=DigestOnly.WEEKLY)[0] == "digest"
    # In-app only stays in-app only: a summary adds no email nobody asked for.
    assert email_route(EmailState.NONE, now=now, digest_only=DigestOnly.DAILY)[0] == ""


def quiet_now(person, **more) -> Calm:
    """Quiet hours around this moment, in Madrid."""
    local = timezone.now().astimezone(MADRID)
    return notification_services.set_calm(
        person,
        quiet_from=(local - dt.timedelta(hours=1)).time().replace(second=0, microsecond=0),
        quiet_until=(local + dt.timedelta(hours=2)).time().replace(second=0, microsecond=0),
        time_zone="Europe/Madrid",
        **more,
    )


def test_an_email_in_quiet_hours_is_held_and_the_worker_sends_it_when_they_end(
    run_worker, django_capture_on_commit_callbacks
):
    ada = UserFactory()
    notification_services.set_preference(ada, kind=NEW_FOLLOWER, delivery=Delivery.EMAIL)
    quiet_now(ada)
    with django_capture_on_commit_callbacks(execute=True):
        services.follow(ada, by=UserFactory(display_name="Bob Writer"))
    held = Notification.objects.get(recipient=ada)
    assert held.email_state == EmailState.HELD
    assert held.email_after > timezone.now() + dt.timedelta(hours=1)
    queued = DBTaskResult.objects.get(
        task_path=send_held_emails.module_path, status=TaskResultStatus.READY
    )
    assert queued.run_after == held.email_after
    assert run_worker() == []  # not before the quiet hours end

    Notification.objects.filter(pk=held.pk).update(email_after=timezone.now())
    DBTaskResult.objects.filter(pk=queued.pk).update(run_after=timezone.now())
    sent = run_worker()
    assert [message.to for message in sent] == [[ada.email]]
    assert "Bob Writer follows you." in sent[0].body
    assert "quiet hours" in sent[0].subject
    assert Notification.objects.get(pk=held.pk).email_state == EmailState.SENT
    assert len(run_worker()) == 1  # nothing twice


def test_urgent_announcements_pass_over_summaries_quiet_hours_and_pauses(
    run_worker, django_capture_on_commit_callbacks
):
    quiet, summary, paused, off = UserFactory.create_batch(4)
    quiet_now(quiet)
    notification_services.set_calm(summary, digest_only=DigestOnly.WEEKLY)
    notification_services.set_calm(paused, pause_days=7)
    notification_services.set_preference(off, kind=URGENT_ANNOUNCEMENT, delivery=Delivery.OFF)
    official = UserFactory()
    post = Post.objects.create(author=official, body="Water cut", body_html="<p>Water cut</p>")
    people = type(official).objects.filter(pk__in=[quiet.pk, summary.pk, paused.pk, off.pk])
    with django_capture_on_commit_callbacks(execute=True):
        told = notification_services.notify_many(
            people, kind=URGENT_ANNOUNCEMENT, actor=official, target=post, at_once=True
        )
    assert told == 3
    sent = run_worker()
    assert sorted(address for message in sent for address in message.to) == sorted(
        [quiet.email, summary.email, paused.email]
    )


def test_calm_settings_hold_back_ordinary_emails(run_worker, django_capture_on_commit_callbacks):
    summary, paused = UserFactory.create_batch(2)
    for person in (summary, paused):
        notification_services.set_preference(person, kind=NEW_FOLLOWER, delivery=Delivery.EMAIL)
    notification_services.set_calm(summary, digest_only=DigestOnly.DAILY)
    notification_services.set_calm(paused, pause_days=3)
    with django_capture_on_commit_callbacks(execute=True):
        for person in (summary, paused):
            services.follow(person, by=UserFactory())
    assert run_worker() == []
    states = dict(Notification.objects.values_list("recipient", "email_state"))
    assert states == {summary.pk: EmailState.DIGEST, paused.pk: EmailState.NONE}
    call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sent = run_worker()
    assert [message.to for message in sent] == [[summary.email]]
    assert "daily summary" in sent[0].subject


def test_a_weekly_summary_waits_for_monday(run_worker, monkeypatch):
    ada = UserFactory()
    notification_services.set_preference(ada, kind=NEW_FOLLOWER, delivery=Delivery.EMAIL)
    notification_services.set_calm(ada, digest_only=DigestOnly.WEEKLY)
    services.follow(ada, by=UserFactory())
    tuesday = dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: tuesday)
    call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert run_worker() == []
    monkeypatch.setattr(timezone, "now", lambda: tuesday - dt.timedelta(days=1))
    call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sent = run_worker()
    assert [message.to for message in sent] == [[ada.email]]
    assert "weekly summary" in sent[0].subject


def test_telling_many_makes_as_many_queries_for_3_people_with_calm_settings_as_for_30():
    actor = UserFactory()
    people = []

    def grow():
        for number in range(27 if people else 3):
            person = UserFactory()
            notification_services.set_preference(person, kind=NEW_FOLLOWER, delivery=Delivery.EMAIL)
            if number % 3 == 0:
                quiet_now(person)
            elif number % 3 == 1:
                notification_services.set_calm(person, digest_only=DigestOnly.DAILY)
            people.append(person.pk)

    grow()
    assert_constant_queries(
        lambda: notification_services.notify_many(
            type(actor).objects.filter(pk__in=list(people)), kind=NEW_FOLLOWER, actor=actor
        ),
        grow,
        expected=4,
    )
    assert len(people) == 30
    assert Notification.objects.filter(email_state=EmailState.HELD).count() >= 10


def test_the_settings_page_saves_every_choice_without_javascript():
    ada = UserFactory()
    client = signed_in(ada)
    page = main_part(client.get("/notifications/settings/calm/"))
    for label in ("Quiet hours start at", "Your time zone", "Pause all notification emails"):
        assert label in page
    response = client.post(
        "/notifications/settings/calm/",
        {
            "hide_counts": "hidden",
            "digest_only": "weekly",
            "quiet_from": "22:00",
            "quiet_until": "07:00",
            "time_zone": "America/Bogota",
            "pause": "7",
        },
    )
    assert response.status_code == 302
    ada.refresh_from_db()
    calm = Calm.objects.get(user=ada)
    assert ada.hide_counts == "hidden"
    assert (calm.digest_only, calm.time_zone) == ("weekly", "America/Bogota")
    assert (calm.quiet_from, calm.quiet_until) == (dt.time(22), dt.time(7))
    assert calm.paused_until > timezone.now() + dt.timedelta(days=6)
    page = main_part(client.get("/notifications/settings/calm/"))
    assert "Notification emails are paused until" in page
    client.post("/notifications/settings/calm/", {"resume": "on", "digest_only": ""})
    assert Calm.objects.get(user=ada).paused_until is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"quiet_from": "22:00"}, "Give both the start and the end of your quiet hours."),
        ({"quiet_from": "late", "quiet_until": "07:00"}, "Enter a valid time."),
        ({"quiet_from": "07:00", "quiet_until": "07:00"}, "must end at another time"),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice."),
    ],
)
def test_quiet_hours_that_are_not_times_are_refused_and_nothing_changes(typed, message):
    ada = UserFactory()
    response = signed_in(ada).post("/notifications/settings/calm/", typed)
    assert response.status_code == 200
    page = main_part(response)
    assert message in page
    assert f'value="{typed.get("quiet_from", "")}"' in page or "quiet_from" not in typed
    assert not Calm.objects.filter(user=ada).exists()


def test_the_settings_page_is_for_its_owner_and_pinned_in_queries(django_assert_num_queries):
    assert Client().get("/notifications/settings/calm/").status_code == 302
    ada = UserFactory()
    client = signed_in(ada)
    client.get("/notifications/settings/calm/")
    # The session, the account, the person's calm settings.
    with django_assert_num_queries(3):
        assert client.get("/notifications/settings/calm/").status_code == 200


def test_hidden_counts_leave_likes_and_shares_out_for_that_reader_only():
    ada, bob, cai = UserFactory(), UserFactory(), UserFactory()
    post = services.create_post(by=ada, body="Cycle lanes on Main Street")
    services.like_post(post, by=bob)
    services.share_post(post, by=bob)
    url = f"/posts/{post.pk}/"
    assert "1 share" in main_part(signed_in(cai).get(url))
    notification_services.set_calm(cai)
    from agora.accounts.services import set_hide_counts

    set_hide_counts(cai, "hidden")
    page = main_part(signed_in(cai).get(url))
    assert "1 share" not in page and "(1)" not in page and "Like" in page
    assert "1 share" in main_part(signed_in(bob).get(url))
    api = signed_in(cai).get(f"/api/v1/posts/{post.pk}").json()
    assert (api["like_count"], api["share_count"]) == (None, None)
    assert signed_in(bob).get(f"/api/v1/posts/{post.pk}").json()["like_count"] == 1
    # The author may hide the counts on their own posts, for everyone.
    set_hide_counts(ada, "mine")
    assert "1 share" not in main_part(signed_in(bob).get(url))
    assert "1 share" not in main_part(Client().get(url))
