"""The weekly summary email: chosen in the calm settings, sent by the worker on Monday morning
in the person's time zone (not in quiet hours, not while paused), once per person and week
however often it runs, in their language, with what happened in what they follow and a link
that stops it without signing in; its queries do not grow with what there is."""

import datetime as dt
import re
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from agora.core.models import IdempotencyKey
from agora.core.tasks import SENT
from agora.notifications import services as notification_services
from agora.notifications import summary
from agora.notifications.models import Calm
from agora.notifications.tasks import (
    queue_weekly_summaries,
    send_summary_to,
    send_weekly_summaries,
)
from agora.site.registry import declared
from agora.social import announcements, services
from agora.social.models import Post
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in
from tests.social.sources_helpers import build_directory

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")


def next_monday(hour: int, zone=MADRID) -> dt.datetime:
    """The coming Monday at `hour` in `zone`: after anything the test writes now."""
    local = timezone.now().astimezone(zone)
    days = 7 - local.weekday()
    monday = (local + dt.timedelta(days=days)).date()
    return dt.datetime(monday.year, monday.month, monday.day, hour, tzinfo=zone)


def summary_reader(**calm) -> tuple:
    person = UserFactory(display_name="Ada Reader")
    row = notification_services.set_calm(
        person, weekly_summary=True, time_zone="Europe/Madrid", **calm
    )
    return person, row


def test_the_summary_falls_due_on_monday_morning_in_the_persons_own_time_zone():
    _person, row = summary_reader()
    at_nine = next_monday(9)
    assert summary.is_due(row, at_nine)
    assert not summary.is_due(row, next_monday(7))  # 07:00 in Madrid: before 08:00
    # 08:30 in Bogotá is 14:30 in Madrid: due there, not yet for someone in Bogotá at 02:30.
    row.time_zone = "America/Bogota"
    assert not summary.is_due(
        row, next_monday(8, ZoneInfo("America/Bogota")) - dt.timedelta(hours=6)
    )
    assert summary.is_due(row, next_monday(8, ZoneInfo("America/Bogota")))
    row.time_zone = "Europe/Madrid"
    # Sent this week: not again until next Monday.
    row.summary_sent_at = at_nine
    assert not summary.is_due(row, at_nine + dt.timedelta(days=3))
    assert summary.is_due(row, at_nine + dt.timedelta(days=7))


def test_the_summary_waits_for_quiet_hours_to_end_and_goes_nowhere_while_paused():
    _person, row = summary_reader(quiet_from=dt.time(22), quiet_until=dt.time(9, 30))
    assert not summary.is_due(row, next_monday(9))
    assert summary.is_due(row, next_monday(10))
    row.paused_until = next_monday(12)
    assert not summary.is_due(row, next_monday(10))
    row.weekly_summary = False
    assert not summary.is_due(row, next_monday(13))


def test_the_summary_tells_what_happened_in_what_the_person_follows_once_in_their_language():
    town = build_directory()
    person, row = summary_reader()
    person.preferred_language = "es"
    person.save(update_fields=["preferred_language"])
    services.follow_source(town.lighting_office, by=person)
    friend = UserFactory()
    services.follow(friend, by=person)
    announcement = announcements.publish_announcement(
        by=town.lighting_official, office=town.lighting_office, body="Farolas nuevas en la plaza"
    )
    services.create_post(by=friend, body="Paseo por el parque")
    services.create_post(by=UserFactory(), body="Nadie me sigue")  # not followed
    services.create_post(by=person, body="Lo mío")  # their own

    monday = next_monday(9)
    assert send_summary_to(row.pk, now=monday) == 1
    assert send_summary_to(row.pk, now=monday + dt.timedelta(hours=1)) == 0
    [message] = mail.outbox
    assert message.to == [person.email]
    assert "Lo que pasó esta semana en lo que sigues" in message.subject
    body = message.body
    assert "Avisos nuevos de lo que sigues (1)" in body
    assert "Public Lighting Unit: Farolas nuevas en la plaza" in body
    assert f"/posts/{announcement.pk}/" in body
    assert "Publicaciones nuevas de las personas que sigues (1)" in body
    assert "Paseo por el parque" in body
    assert "Nadie me sigue" not in body and "Lo mío" not in body
    # No engagement bait: no streaks, no "you missed", no likes.
    for bait in ("racha", "perdi", "streak", "missed", "Me gusta"):
        assert bait not in body
    stop = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert stop in body and "/notifications/summary/stop/" in stop
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    key = f"weekly-summary-{person.pk}-{monday:%G-W%V}"
    assert IdempotencyKey.objects.filter(caller=SENT, key=key).exists()
    assert key in message.extra_headers["Message-ID"]


def test_a_summary_sent_but_not_recorded_as_claimed_is_not_sent_again():
    """A worker that sent and recorded the key, then lost its claim (killed before it
    committed on another database, or two workers racing): the key stops a second copy."""
    person, row = summary_reader()
    services.create_post(by=UserFactory(), body="x")
    friend = Post.objects.get().author
    services.follow(friend, by=person)
    monday = next_monday(9)
    assert send_summary_to(row.pk, now=monday) == 1
    Calm.objects.filter(pk=row.pk).update(summary_sent_at=None)
    assert send_summary_to(row.pk, now=monday) == 0
    assert len(mail.outbox) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's connections")
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_summary_at_once_send_it_once():
    """Two workers, two connections, started together by a barrier: the claim in the
    transaction that sends lets one through; the other waits for it and finds it claimed."""
    person, row = summary_reader()
    friend = UserFactory()
    services.follow(friend, by=person)
    services.create_post(by=friend, body="Hello")
    monday = next_monday(9)
    barrier = threading.Barrier(2)
    sent, errors = [], []

    def work():
        try:
            barrier.wait(timeout=10)
            sent.append(send_summary_to(row.pk, now=monday))
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(sent) == [0, 1]
    assert [message.to for message in mail.outbox] == [[person.email]]


def test_answers_to_cases_proposals_and_updated_results_come_from_the_persons_notifications():
    from agora.cases.notifying import CASE_UPDATE
    from agora.notifications.models import Notification
    from agora.proposals.notifying import ANSWERED
    from agora.results.notifying import UPDATED

    person, row = summary_reader()
    for kind, subject, url in (
        (CASE_UPDATE, "Broken lamp on Elm Street", "/cases/1/"),
        (ANSWERED, "More benches", "/proposals/2/"),
        (UPDATED, "New playground", "/results/3/"),
    ):
        Notification.objects.create(recipient=person, kind=kind, subject=subject, url=url)
    Notification.objects.create(recipient=UserFactory(), kind=ANSWERED, subject="Not theirs")
    assert send_summary_to(row.pk, now=next_monday(9)) == 1
    body = mail.outbox[0].body
    assert "News on your cases and the cases you follow (1)" in body
    assert "- Broken lamp on Elm Street\n  " in body and "/cases/1/\n" in body
    assert "Answers to proposals you wrote, support or follow (1)" in body
    assert "Results that were updated (1)" in body
    assert "Not theirs" not in body


def test_a_quiet_week_sends_nothing_but_is_counted_as_done():
    _person, row = summary_reader()
    monday = next_monday(9)
    assert send_summary_to(row.pk, now=monday) == 0
    assert mail.outbox == []
    assert Calm.objects.get(pk=row.pk).summary_sent_at == monday


def test_a_summary_makes_as_many_queries_for_a_few_things_followed_as_for_many():
    town = build_directory()
    person, row = summary_reader()
    from agora.notifications.models import Notification
    from agora.proposals.notifying import ANSWERED

    def grow():
        services.follow_source(town.parks_office, by=person)
        for number in range(12):
            writer = UserFactory()
            services.follow(writer, by=person)
            services.create_post(by=writer, body=f"Post {number}")
            announcements.publish_announcement(
                by=town.lighting_official, office=town.lighting_office, body=f"Notice {number}"
            )
            Notification.objects.create(recipient=person, kind=ANSWERED, subject=f"P{number}")

    services.follow_source(town.lighting_office, by=person)
    writer = UserFactory()
    services.follow(writer, by=person)
    services.create_post(by=writer, body="First")
    announcements.publish_announcement(
        by=town.lighting_official, office=town.lighting_office, body="First notice"
    )
    Notification.objects.create(recipient=person, kind=ANSWERED, subject="P")
    monday = next_monday(9)

    def fetch():
        Calm.objects.filter(pk=row.pk).update(summary_sent_at=None)
        IdempotencyKey.objects.filter(caller=SENT).delete()
        return send_summary_to(row.pk, now=monday)

    # Besides the test's own two (the reset): the calm row and person; per section with
    # something a capped count and the newest few (announcements, posts, proposals' answers:
    # 6), the three empty ones a count each; then the claim, the key's check and its record,
    # within the transaction's savepoints.
    few, many = assert_constant_queries(fetch, grow, expected=QUERIES)
    assert few == many == 1
    assert "(13)" in mail.outbox[-1].body
    assert mail.outbox[-1].body.count("Notice ") == summary.TOP


QUERIES = 20


def test_the_worker_looks_every_hour_and_sends_each_summary_due_once(monkeypatch):
    person, row = summary_reader()
    friend = UserFactory()
    services.follow(friend, by=person)
    services.create_post(by=friend, body="Hello")
    other, other_row = summary_reader()
    Calm.objects.filter(pk=other_row.pk).update(summary_sent_at=next_monday(9))  # done
    assert queue_weekly_summaries() == "Next weekly summaries queued."
    assert queue_weekly_summaries() == ""  # one is waiting
    queued = DBTaskResult.objects.get(
        task_path=send_weekly_summaries.module_path, status=TaskResultStatus.READY
    )
    assert queued.run_after > timezone.now() + dt.timedelta(minutes=59)
    assert "agora.notifications.tasks.queue_weekly_summaries" in [
        f"{job.__module__}.{job.__name__}" for job in declared.periodic_jobs()
    ]
    monday = next_monday(9)
    monkeypatch.setattr(timezone, "now", lambda: monday)
    assert send_weekly_summaries.call() == 1
    assert send_weekly_summaries.call() == 0
    assert [message.to for message in mail.outbox] == [[person.email]]


def test_the_link_in_the_summary_stops_it_without_signing_in():
    person, row = summary_reader()
    url = f"/notifications/summary/stop/{summary.unsubscribe_token(person)}/"
    visitor = Client(enforce_csrf_checks=True)
    page = main_part(visitor.get(url))
    assert "Stop the weekly summary" in page
    assert Calm.objects.get(pk=row.pk).weekly_summary  # a visit alone changes nothing
    response = visitor.post(url)
    assert response.status_code == 200
    assert "You will get no more weekly summaries." in main_part(response)
    assert not Calm.objects.get(pk=row.pk).weekly_summary
    assert not summary.is_due(Calm.objects.get(pk=row.pk), next_monday(9))
    # A token that is not ours, or one for another purpose, is a page that is not there.
    assert visitor.post("/notifications/summary/stop/1:forged/").status_code == 404
    from django.core import signing

    assert (
        visitor.get(f"/notifications/summary/stop/{signing.dumps(person.pk)}/").status_code == 404
    )


def test_the_weekly_summary_is_chosen_in_the_calm_settings():
    ada = UserFactory()
    client = signed_in(ada)
    assert "Send me a weekly summary of what happened in what I follow" in main_part(
        client.get("/notifications/settings/calm/")
    )
    client.post("/notifications/settings/calm/", {"weekly_summary": "on", "digest_only": ""})
    assert Calm.objects.get(user=ada).weekly_summary
    page = main_part(client.get("/notifications/settings/calm/"))
    assert re.search(r'<input type="checkbox" name="weekly_summary"[^>]* checked', page)


def test_an_hour_that_is_not_one_stops_the_start_with_a_clear_message():
    from tests.core.test_settings import load_settings

    result = load_settings(AGORA_ENV="development", AGORA_SUMMARY_HOUR="24")
    assert result.returncode != 0
    assert "AGORA_SUMMARY_HOUR must be an hour from 0 to 23, or -1." in result.stderr


def test_the_summary_shows_only_what_the_person_may_read():
    """Two accounts: a friend the person follows writes for their connections (the person is
    not one) and for their followers (the person is); someone the person blocked is followed
    too. Only what the person may read is counted and listed."""
    person, row = summary_reader()
    friend, blocked = UserFactory(), UserFactory()
    services.follow(friend, by=person)
    services.follow(blocked, by=person)
    services.create_post(by=friend, body="For my connections only", visibility="connections")
    services.create_post(by=friend, body="For my followers", visibility="followers")
    services.create_post(by=blocked, body="From someone blocked")
    services.block(blocked, by=person)
    assert send_summary_to(row.pk, now=next_monday(9)) == 1
    body = mail.outbox[0].body
    assert "New posts from people you follow (1)" in body and "For my followers" in body
    assert "For my connections only" not in body and "From someone blocked" not in body


def test_an_answer_to_the_persons_case_reaches_their_summary_through_the_services():
    from agora.cases import services as cases
    from tests.directory.factories import ResponsibilityFactory
    from tests.processes.conftest import build_town

    town = build_town()
    ResponsibilityFactory(topic=town.cycling, area=town.city, office=town.cycling_unit)
    resident = town.verified
    row = notification_services.set_calm(resident, weekly_summary=True)
    case = cases.submit_case(
        by=resident,
        kind="report",
        title="Broken cycle lane sign",
        description="The sign at the bridge is bent.",
        topic=town.cycling,
    )
    cases.answer_case(case, by=town.official, answer="We will replace it this week.")
    assert send_summary_to(row.pk, now=next_monday(9)) == 1
    body = mail.outbox[-1].body
    assert "News on your cases and the cases you follow" in body
    assert "Broken cycle lane sign" in body and case.get_absolute_url() in body


def test_a_send_that_fails_leaves_the_summary_due_for_the_next_run(monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    person, row = summary_reader()
    friend = UserFactory()
    services.follow(friend, by=person)
    services.create_post(by=friend, body="Hello")
    monday = next_monday(9)
    with monkeypatch.context() as patched:
        patched.setattr(EmailMultiAlternatives, "send", lambda self: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            send_summary_to(row.pk, now=monday)
    assert Calm.objects.get(pk=row.pk).summary_sent_at is None
    assert not IdempotencyKey.objects.filter(caller=SENT).exists()
    assert send_summary_to(row.pk, now=monday + dt.timedelta(hours=1)) == 1
    assert len(mail.outbox) == 1
