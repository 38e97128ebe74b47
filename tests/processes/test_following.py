"""Following a process: the Follow button on its page, the office's news in the followers'
home feeds, and the periodic job that tells followers a phase has started, once per phase
however often it runs."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agora.notifications.models import Notification
from agora.processes import notifying, services, tasks
from agora.processes.models import Phase, PhaseKind, ProcessFollow
from agora.site.registry import declared
from agora.social.services import follow_source
from tests.helpers import main_part, signed_in

INFO, PROPOSALS = PhaseKind.INFORMATION, PhaseKind.PROPOSALS


def test_the_follow_button_on_the_process_page_follows_it(town):
    process = town.process((INFO, -3, 3))
    browser = signed_in(town.verified)
    page = main_part(browser.get(process.get_absolute_url()))
    action = reverse("social:follow_source", args=["follow", "process", process.slug])
    assert f'action="{action}"' in page
    response = browser.post(action, {"next": process.get_absolute_url()})
    assert response.status_code == 302
    assert ProcessFollow.objects.filter(follower=town.verified, process=process).exists()
    assert "Unfollow" in main_part(browser.get(process.get_absolute_url()))


def test_nobody_follows_a_process_in_draft_but_the_office_that_runs_it(town):
    process = town.process((INFO, -3, 3), is_published=False)
    action = reverse("social:follow_source", args=["follow", "process", process.slug])
    assert signed_in(town.verified).post(action).status_code == 404
    assert not ProcessFollow.objects.filter(process=process).exists()
    assert signed_in(town.official).post(action).status_code == 302
    assert ProcessFollow.objects.filter(follower=town.official, process=process).exists()


def test_the_offices_news_reaches_the_followers_home_feed_and_nobody_elses(town):
    process = town.process((INFO, -3, 3))
    follow_source(process, by=town.verified)
    services.post_process_news(process, by=town.official, body="Workshop at the library.")
    assert "Workshop at the library." in main_part(signed_in(town.verified).get("/home/"))
    assert "Workshop at the library." not in main_part(signed_in(town.outsider).get("/home/"))


def test_a_phase_that_starts_is_announced_to_the_followers_once(town):
    now = timezone.now()
    process = town.process((INFO, -3, 1), (PROPOSALS, 1, 9), base=now)
    follow_source(process, by=town.verified)
    town.outsider.preferred_language = "es"
    town.outsider.save(update_fields=["preferred_language"])
    follow_source(process, by=town.outsider)

    # The information phase was running when they followed: the first run announces it.
    assert services.announce_started_phases(now=now) == 1
    assert services.announce_started_phases(now=now) == 0
    later = now + timedelta(days=2)
    assert services.announce_started_phases(now=later) == 1
    assert services.announce_started_phases(now=later) == 0  # run twice, notified once

    told = Notification.objects.filter(kind=notifying.PHASE_STARTED)
    assert sorted((n.recipient_id, n.event) for n in told) == sorted(
        [
            (town.verified.pk, "information"),
            (town.outsider.pk, "information"),
            (town.verified.pk, "proposals"),
            (town.outsider.pk, "proposals"),
        ]
    )
    assert told.count() == 4
    assert {n.subject for n in told if n.recipient_id == town.outsider.pk} == {
        "Carriles bici para el norte"
    }
    assert all(phase.announced_at for phase in Phase.objects.all())
    page = main_part(signed_in(town.verified).get(reverse("notifications:list")))
    assert "The proposals phase of “Cycle lanes for the north” has started" in page


def test_phases_of_unpublished_processes_and_phases_already_over_are_not_announced(town):
    now = timezone.now()
    draft = town.process((INFO, -3, 3), is_published=False)
    follow_source(draft, by=town.official)
    over = town.process((INFO, -9, -3))
    follow_source(over, by=town.verified)
    assert services.announce_started_phases(now=now) == 0
    assert not Notification.objects.exists()


def test_a_phase_moved_to_a_later_start_is_announced_again_when_it_starts(town):
    now = timezone.now()
    process = town.process((INFO, -3, 3), base=now)
    follow_source(process, by=town.verified)
    assert services.announce_started_phases(now=now) == 1
    phase = process.phases.get()
    services.change_process(
        process,
        by=town.official,
        phases=[services.PhaseInput(id=phase.pk, kind=INFO, starts_at=now + timedelta(days=1))],
        title_en=process.title_en,
        is_published=True,
        areas=[town.north],
    )
    assert Phase.objects.get().announced_at is None
    assert services.announce_started_phases(now=now + timedelta(days=2)) == 1


def test_the_worker_runs_the_announcement_as_a_periodic_job_and_queues_the_next(town, run_worker):
    process = town.process((INFO, -3, 3))
    follow_source(process, by=town.verified)
    assert tasks.queue_phase_announcements in declared.periodic_jobs()
    assert tasks.queue_phase_announcements() == "Announced 1 phases that started."
    assert tasks.queue_phase_announcements() == ""
    assert not tasks.schedule_phase_announcements()  # one run is waiting already
    assert Notification.objects.filter(recipient=town.verified).count() == 1


def test_a_published_process_has_feeds_and_open_graph_tags_a_draft_has_neither(town):
    process = town.process((INFO, -3, 3))
    draft = town.process((INFO, -3, 3), is_published=False, title_en="Secret plan")
    services.post_process_news(process, by=town.official, body="Workshop at the library.")
    page = Client().get(process.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Cycle lanes for the north">' in page
    assert 'property="og:type" content="article"' in page
    assert f'href="/feeds/process/{process.slug}.atom"' in page
    feed = Client().get(f"/feeds/process/{process.slug}.rss").content.decode()
    assert "Workshop at the library." in feed
    assert Client().get(f"/feeds/process/{draft.slug}.rss").status_code == 404
    page = signed_in(town.official).get(draft.get_absolute_url()).content.decode()
    assert "og:title" not in page and "/feeds/process/" not in page
