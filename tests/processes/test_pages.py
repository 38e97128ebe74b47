"""The process pages: the list and its filters, a process with its timeline and what can be
done now, creating and changing one (only its office and administrators), and their query
counts, pinned and not growing with the rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agora.core.audit import entries_for
from agora.core.sections import Section
from agora.directory.index import get_index
from agora.processes.models import Phase, PhaseKind, Process
from agora.processes.pages import PROCESS_BODY, VISITORS_PAGES
from agora.proposals.parts import LISTS
from tests.helpers import assert_constant_queries, main_part, signed_in

INFO, PROPOSALS, SUPPORT, CLOSED = (
    PhaseKind.INFORMATION,
    PhaseKind.PROPOSALS,
    PhaseKind.SUPPORT,
    PhaseKind.CLOSED,
)


def test_the_site_navigation_links_to_the_processes(client, db):
    html = client.get(reverse("site:home")).content.decode()
    assert f'href="{reverse("processes:list")}"' in html


def test_the_list_filters_open_upcoming_and_past_processes(client, town):
    town.process((INFO, -3, 3), title_en="Open one")
    town.process((INFO, 3, 6), title_en="Upcoming one")
    town.process((INFO, -6, -3), title_en="Past one")
    town.process((INFO, -6, -3), title_en="Draft one", is_published=False)
    shown = {}
    for state in ("", "open", "upcoming", "past"):
        page = main_part(client.get(reverse("processes:list"), {"state": state}))
        shown[state] = {t for t in ("Open", "Upcoming", "Past", "Draft") if f"{t} one" in page}
    assert shown == {
        "": {"Open", "Upcoming", "Past"},
        "open": {"Open"},
        "upcoming": {"Upcoming"},
        "past": {"Past"},
    }
    # The office that runs it sees its draft too.
    page = main_part(signed_in(town.official).get(reverse("processes:list")))
    assert "Draft one" in page and "Not published" in page


def test_the_list_is_paged_by_cursor(client, town):
    for number in range(23):
        town.process((INFO, -3, 3), title_en=f"Process number {number:02d}")
    first = main_part(client.get(reverse("processes:list")))
    assert "Process number 22" in first and "Process number 02" not in first
    cursor = Process.objects.order_by("-pk")[19].pk
    second = main_part(client.get(reverse("processes:list"), {"before": cursor}))
    assert "Process number 02" in second and "Process number 03" not in second


def test_the_process_page_shows_the_timeline_with_the_current_phase_in_words(client, town):
    process = town.process((INFO, -20, -10), (SUPPORT, -10, 10), (CLOSED, 10, None))
    page = main_part(client.get(process.get_absolute_url()))
    assert page.count('aria-current="step"') == 1
    assert '<strong class="phase-status">Now:</strong> <span class="phase-name">Support' in page
    assert 'Done:</strong> <span class="phase-name">Information' in page
    assert 'Coming:</strong> <span class="phase-name">Closed' in page
    assert "<strong>Support proposals</strong>: Log in to take part." in page
    assert "<strong>new lanes</strong>" in page  # the description's Markdown
    assert "Log in to follow" in page


def test_the_process_page_says_what_this_person_can_do_now(town):
    process = town.process((SUPPORT, -10, 10))
    page = main_part(signed_in(town.verified).get(process.get_absolute_url()))
    assert "<strong>Support proposals</strong>: You can do this now." in page
    page = main_part(signed_in(town.outsider).get(process.get_absolute_url()))
    assert "Only verified residents of the process’s areas can take part" in page


def test_a_draft_is_hidden_from_everyone_but_its_office_and_administrators(client, town):
    process = town.process((INFO, -3, 3), is_published=False)
    assert client.get(process.get_absolute_url()).status_code == 404
    assert signed_in(town.other_official).get(process.get_absolute_url()).status_code == 404
    assert signed_in(town.official).get(process.get_absolute_url()).status_code == 200
    assert signed_in(town.administrator).get(process.get_absolute_url()).status_code == 200


def test_later_apps_fill_the_process_pages_slot(client, town, tmp_path, settings):
    process = town.process((INFO, -3, 3))

    def proposals_part(request, shown_process):
        assert shown_process.pk == process.pk
        return Section("processes/_phase_name.html", {"phase": shown_process.phases.all()[0]})

    PROCESS_BODY.add(proposals_part)
    try:
        page = main_part(client.get(process.get_absolute_url()))
    finally:
        PROCESS_BODY._parts = [p for p in PROCESS_BODY._parts if p[1] is not proposals_part]
    assert page.count('class="phase-name"') == 2


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("signed_in", 403),
        ("verified", 403),
        ("moderator", 403),
        ("other_official", 403),
        ("official", 200),
        ("administrator", 200),
    ],
)
def test_only_the_office_and_administrators_change_a_process(town, client, role, status):
    process = town.process((INFO, -3, 3))
    person = town.people[role]
    browser = client if role == "anonymous" else signed_in(person)
    assert browser.get(reverse("processes:edit", args=[process.slug])).status_code == status


def test_an_official_of_the_parent_office_may_change_it_too(town):
    from agora.directory import services as directory_services
    from tests.factories import UserFactory

    head = UserFactory()
    directory_services.add_official(town.mobility, head)
    process = town.process((INFO, -3, 3))
    assert signed_in(head).get(reverse("processes:edit", args=[process.slug])).status_code == 200


def _form(town, **changes):
    start = timezone.localtime(timezone.now() + timedelta(days=1))
    data = {
        "title_en": "Trees for every street",
        "title_es": "Árboles en cada calle",
        "description_en": "Tell us where.",
        "description_es": "",
        "image_alt_en": "",
        "image_alt_es": "",
        "office": town.cycling_unit.pk,
        "areas": [town.north.pk],
        "topics": [town.cycling.pk],
        "participation": "areas",
        "minimum_age": "",
        "is_published": "on",
        "phases-TOTAL_FORMS": "3",
        "phases-INITIAL_FORMS": "0",
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "20",
        "phases-0-kind": "information",
        "phases-0-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "phases-0-ends_at": (start + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        "phases-1-kind": "proposals",
        "phases-1-starts_at": (start + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        "phases-1-ends_at": (start + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
        "phases-2-kind": "",
        "phases-2-starts_at": "",
        "phases-2-ends_at": "",
    }
    data.update(changes)
    return data


def test_an_official_creates_a_process_with_its_phases(town):
    response = signed_in(town.official).post(reverse("processes:create"), _form(town))
    process = Process.objects.get()
    assert response.status_code == 302 and response.url == process.get_absolute_url()
    assert process.title_es == "Árboles en cada calle"
    assert process.created_by == town.official
    assert list(process.phases.values_list("kind", flat=True)) == ["information", "proposals"]
    assert [entry.action for entry in entries_for(process)] == ["process.created"]


def test_overlapping_phases_in_the_form_are_refused_keeping_what_was_typed(town):
    start = timezone.localtime(timezone.now() + timedelta(days=1))
    response = signed_in(town.official).post(
        reverse("processes:create"),
        _form(
            town, **{"phases-1-starts_at": (start + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")}
        ),
    )
    page = main_part(response)
    assert "Phases 1 and 2 overlap: phase 2 starts before phase 1 ends." in page
    assert 'value="Trees for every street"' in page
    assert "Tell us where." in page
    assert not Process.objects.exists()


def test_a_phase_without_a_start_is_refused_in_words(town):
    response = signed_in(town.official).post(
        reverse("processes:create"), _form(town, **{"phases-0-starts_at": ""})
    )
    assert "Say when the phase starts." in main_part(response)
    assert not Process.objects.exists()


def test_an_official_cannot_create_a_process_for_another_office(town):
    response = signed_in(town.official).post(
        reverse("processes:create"), _form(town, office=town.parks.pk)
    )
    assert "Select a valid choice" in main_part(response)
    assert not Process.objects.exists()


def test_changing_a_process_keeps_its_phases_and_whether_they_were_announced(town):
    process = town.process((INFO, -3, 3), (PROPOSALS, 3, 10))
    first, second = process.phases.all()
    Phase.objects.filter(pk=first.pk).update(announced_at=timezone.now())
    data = _form(
        town,
        **{
            "phases-INITIAL_FORMS": "2",
            "phases-0-id": str(first.pk),
            "phases-0-kind": "information",
            "phases-0-starts_at": timezone.localtime(first.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "phases-0-ends_at": timezone.localtime(first.ends_at).strftime("%Y-%m-%dT%H:%M"),
            "phases-1-id": str(second.pk),
            "phases-1-kind": "debate",
            "phases-1-starts_at": timezone.localtime(second.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "phases-1-ends_at": timezone.localtime(second.ends_at).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    response = signed_in(town.official).post(reverse("processes:edit", args=[process.slug]), data)
    assert response.status_code == 302
    phases = list(process.phases.all())
    assert [phase.pk for phase in phases] == [first.pk, second.pk]
    assert phases[1].kind == "debate"
    assert phases[0].announced_at is not None


def test_the_office_posts_news_that_its_followers_read(town):
    process = town.process((INFO, -3, 3))
    response = signed_in(town.official).post(
        reverse("processes:news", args=[process.slug]), {"body": "Workshop on Thursday."}
    )
    assert response.status_code == 302
    page = main_part(signed_in(town.verified).get(process.get_absolute_url()))
    assert "Workshop on Thursday." in page
    refused = signed_in(town.verified).post(
        reverse("processes:news", args=[process.slug]), {"body": "Me too"}
    )
    assert refused.status_code == 403


def _grow(town):
    def grow():
        for number in range(6):
            process = town.process(
                (INFO, -20, -10), (SUPPORT, -10, 10), (CLOSED, 10, None), title_en=f"More {number}"
            )
            process.areas.add(town.south)

    return grow


def test_the_list_pages_queries_are_pinned(client, town):
    town.process((INFO, -3, 3))
    official = signed_in(town.official)
    assert_constant_queries(
        {
            "anonymous": lambda: client.get(reverse("processes:list")),
            "official": lambda: official.get(reverse("processes:list")),
        },
        _grow(town),
        expected={"anonymous": 2, "official": 7},
    )


def test_the_process_pages_queries_are_pinned(client, town):
    process = town.process((INFO, -20, -10), (SUPPORT, -10, 10), (CLOSED, 10, None))
    verified = signed_in(town.verified)
    get_index()  # the directory's names, held by each process once built (directory.index)

    def grow():
        _grow(town)()
        for person in (town.signed_in, town.outsider, town.verified):
            from agora.social.services import follow_source

            follow_source(process, by=person)
        process.areas.add(town.south, town.city)

    def rendered(client):
        def fetch():
            # Nothing kept: the page and the proposals' list rendered anew.
            VISITORS_PAGES.invalidate()
            LISTS.invalidate()
            return client.get(process.get_absolute_url())

        return fetch

    url = process.get_absolute_url()
    verified.get(url)  # short lists kept (processes.pages.short_list)
    assert_constant_queries(
        {
            # Each kept fetch follows its rendered one: a visitor's page kept
            # (processes.pages.VISITORS_PAGES) costs whether the process is published; a
            # signed-in person's, with the proposals' list and overdue count kept
            # (proposals.parts.LISTS), two fewer.
            "verified": rendered(verified),
            "verified, kept": lambda: verified.get(url),
            "anonymous": rendered(client),
            "anonymous, kept": lambda: client.get(url),
        },
        grow,
        # Rendered: two with the proposals app installed, its list and its count of overdue
        # answers (agora.proposals.parts); one with results: its newest few
        # (agora.results.parts); one with petitions (agora.petitions.parts); one with polls
        # (agora.polls.parts); one with budgets (agora.budgets.parts); one with meetings, its
        # coming and latest past ones (agora.meetings.parts). A visitor's page first reads
        # whether the process is published.
        # Those five (budgets, petitions, results, meetings, polls) are short lists, kept
        # until their own models change (processes.pages.short_list), as here; kept for a
        # signed-in person: the proposals' list and count too.
        expected={"anonymous": 9, "verified": 11, "anonymous, kept": 1, "verified, kept": 9},
    )
