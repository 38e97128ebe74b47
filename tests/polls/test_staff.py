"""The staff build polls through their pages: a survey with every kind of question, built,
reordered and changed by a manager of the process, then answered by a resident; nobody else
finds the pages; wrong input is refused with a message and kept; the questions are kept as
answered once someone has; and the process page lists its polls in a fixed number of
queries."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from agora.directory.permissions import forget_offices
from agora.polls.models import Option, Poll, Question, QuestionKind, Response, Section
from agora.polls.parts import process_polls
from agora.processes import pages
from agora.processes.models import Participation, PhaseKind, Process
from tests.helpers import assert_constant_queries, main_part, signed_in
from tests.polls.conftest import add_question, build_survey
from tests.processes.conftest import build_town

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db):
    return build_town()


@pytest.fixture
def process(town):
    return town.process(
        (PhaseKind.SUPPORT, -1, 10), participation=Participation.SIGNED_IN, slug="built-town"
    )


def poll_settings(**changes) -> dict:
    data = {
        "title_en": "How do you travel?",
        "title_es": "¿Cómo viaja?",
        "intro_en": "Tell us how you get around.",
        "intro_es": "Cuéntenos cómo se mueve.",
        "is_anonymous": "on",
        "results_shown": "after_answering",
        "closes_at": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def staff_url(poll, name="staff", **more):
    return reverse(f"polls:{name}", kwargs={"pk": poll.pk, **more})


def add(staff, poll, kind, text, section=None, **fields):
    data = {"kind": kind, "text_en": text, "text_es": f"ES {text}", "is_required": "on"}
    if section is not None:
        data["section"] = str(section.pk)
    data.update(fields)
    data = {name: value for name, value in data.items() if value is not None}
    return staff.post(staff_url(poll, "add_question"), data)


def ordered_texts(poll) -> list[str]:
    return list(poll.questions.order_by("position").values_list("text_en", flat=True))


def test_a_manager_builds_a_survey_of_every_kind_through_the_pages_and_a_resident_answers(
    town, process
):
    staff = signed_in(town.official)
    page = main_part(staff.get(reverse("polls:create", args=[process.slug])))
    assert "New poll or survey" in page
    created = staff.post(reverse("polls:create", args=[process.slug]), poll_settings())
    poll = Poll.objects.get()
    assert created.status_code == 302
    assert created["Location"] == staff_url(poll)
    assert (poll.title_es, poll.is_anonymous, poll.allows_visitors) == ("¿Cómo viaja?", True, False)

    for title in ("Travel", "Ideas"):
        staff.post(staff_url(poll, "add_section"), {"title_en": title, "title_es": f"ES {title}"})
    travel, ideas = Section.objects.order_by("position")
    responses = [
        add(
            staff,
            poll,
            "single",
            "Mostly?",
            travel,
            options_en="Walk\nBike\n\nBus\n",
            options_es="A pie\nBici\nAutobús",
        ),
        add(
            staff,
            poll,
            "multiple",
            "Also?",
            travel,
            options_en="Walk\nBike\nBus\nCar",
            min_choices="1",
            max_choices="2",
        ),
        add(
            staff,
            poll,
            "ranking",
            "Rank these",
            travel,
            options_en="Lights\nPavements\nBuses",
            max_choices="2",
        ),
        add(
            staff,
            poll,
            "scale",
            "How safe?",
            ideas,
            scale_min="0",
            scale_max="4",
            low_label_en="not at all",
            high_label_en="completely",
        ),
        add(
            staff,
            poll,
            "matrix",
            "Each crossing?",
            ideas,
            options_en="Riverside\nMarket",
            scale_min="1",
            scale_max="3",
        ),
        add(staff, poll, "short_text", "Which street?", ideas),
        add(staff, poll, "long_text", "Anything else?", ideas, is_required=None),
        add(staff, poll, "short_text", "A question to remove", ideas),
    ]
    assert [response.status_code for response in responses] == [302] * 8
    assert ordered_texts(poll)[:3] == ["Mostly?", "Also?", "Rank these"]
    question = {q.kind: q for q in poll.questions.exclude(text_en__startswith="A question")}
    assert list(question["single"].options.values_list("label_en", "label_es")) == [
        ("Walk", "A pie"),
        ("Bike", "Bici"),
        ("Bus", "Autobús"),
    ]
    assert (question["multiple"].min_choices, question["multiple"].max_choices) == (1, 2)
    assert question["ranking"].max_choices == 2
    assert (question["scale"].scale_min, question["scale"].scale_max) == (0, 4)
    assert question["scale"].low_label_en == "not at all"
    assert question["matrix"].options.count() == 2
    assert question["long_text"].is_required is False

    # Reorder: the ranking goes up before "Also?", and the section "Ideas" before "Travel".
    staff.post(
        staff_url(poll, "move_question", question=question["ranking"].pk), {"direction": "up"}
    )
    staff.post(staff_url(poll, "move_section", section=ideas.pk), {"direction": "up"})
    assert ordered_texts(poll)[:3] == ["Mostly?", "Rank these", "Also?"]
    assert list(poll.sections.order_by("position").values_list("title_en", flat=True)) == [
        "Ideas",
        "Travel",
    ]
    # Change a question's options, and remove one.
    changed = staff.post(
        staff_url(poll, "edit_question", question=question["single"].pk),
        {
            "text_en": "Mostly, how?",
            "section": str(travel.pk),
            "is_required": "on",
            "options_en": "Walk\nBike\nBus\nTrain",
        },
    )
    assert changed.status_code == 302
    assert list(question["single"].options.values_list("label_en", flat=True)) == [
        "Walk",
        "Bike",
        "Bus",
        "Train",
    ]
    extra = poll.questions.get(text_en="A question to remove")
    staff.post(staff_url(poll, "remove_question", question=extra.pk))
    assert not Question.objects.filter(pk=extra.pk).exists()

    page = main_part(staff.get(staff_url(poll)))
    assert page.index("Ideas") < page.index("Travel")
    assert page.index("Rank these") < page.index("Also?")
    for text in ("Mostly, how?", "Multiple choice", "Matrix of scales", "Train", "optional"):
        assert text in page

    # A resident answers it as built, sections in their new order.
    resident = signed_in(town.signed_in)
    form = main_part(resident.get(poll.get_absolute_url()))
    assert form.index("How safe?") < form.index("Mostly, how?")
    options = {
        kind: list(q.options.order_by("position").values_list("pk", flat=True))
        for kind, q in question.items()
    }
    answered = resident.post(
        poll.get_absolute_url(),
        {
            f"q{question['single'].pk}": str(options["single"][3]),
            f"q{question['multiple'].pk}": [str(options["multiple"][0])],
            f"q{question['ranking'].pk}-o{options['ranking'][1]}": "1",
            f"q{question['scale'].pk}": "0",
            f"q{question['matrix'].pk}-o{options['matrix'][0]}": "3",
            f"q{question['matrix'].pk}-o{options['matrix'][1]}": "1",
            f"q{question['short_text'].pk}": "Mill Lane",
        },
    )
    assert answered.status_code == 302, main_part(answered, status=answered.status_code)
    results = main_part(resident.get(staff_url(poll, "results")))
    assert "1 response." in results
    assert "Train" in results


def test_someone_who_does_not_manage_the_process_finds_no_staff_page(town, process):
    survey = build_survey(town)
    poll, section = survey.poll, survey.poll.sections.first()
    question = survey.q["single"]
    urls = [
        reverse("polls:create", args=[poll.process.slug]),
        staff_url(poll),
        staff_url(poll, "edit"),
        staff_url(poll, "add_section"),
        staff_url(poll, "edit_section", section=section.pk),
        staff_url(poll, "move_section", section=section.pk),
        staff_url(poll, "remove_section", section=section.pk),
        staff_url(poll, "add_question") + "?kind=single",
        staff_url(poll, "edit_question", question=question.pk),
        staff_url(poll, "move_question", question=question.pk),
        staff_url(poll, "remove_question", question=question.pk),
    ]
    before = (ordered_texts(poll), list(Section.objects.values_list("pk", "position")))
    for person in (town.other_official, town.signed_in):
        client = signed_in(person)
        for url in urls:
            data = {"direction": "down", "title_en": "Taken", "text_en": "Taken", "kind": "single"}
            data.update(options_en="A\nB", **poll_settings())
            assert client.post(url, data).status_code == 404, url
            if "/move/" not in url and "/remove/" not in url:
                assert client.get(url).status_code == 404, url
    assert (ordered_texts(poll), list(Section.objects.values_list("pk", "position"))) == before
    assert Poll.objects.get(pk=poll.pk).title_en == "How do you travel?"
    assert Poll.objects.count() == 1
    # Visitors are asked to sign in; the manager (and an administrator) get in.
    assert Client().get(staff_url(poll)).status_code == 302
    assert signed_in(town.official).get(staff_url(poll)).status_code == 200
    assert signed_in(town.administrator).get(staff_url(poll)).status_code == 200


def test_wrong_input_is_refused_with_a_message_and_what_was_typed_is_kept(town, process):
    staff = signed_in(town.official)
    refused = staff.post(reverse("polls:create", args=[process.slug]), poll_settings(title_en=""))
    page = main_part(refused)
    assert "Please correct the marked fields." in page
    assert "Tell us how you get around." in page
    assert not Poll.objects.exists()

    poll = Poll.objects.create(process=process, title_en="Travel")
    page = main_part(add(staff, poll, "single", "Only one way?", options_en="Walk only"))
    assert "Give at least two options, one a line." in page
    assert 'value="Only one way?"' in page
    assert "Walk only</textarea>" in page

    page = main_part(
        add(
            staff,
            poll,
            "multiple",
            "Which?",
            options_en="A\nB\nC",
            options_es="Una",
            min_choices="3",
            max_choices="2",
        )
    )
    assert "“At most” must be at least as many as “at least”." in page
    assert "Give one Spanish line for each English line (3), or none." in page
    assert 'name="min_choices" value="3"' in page

    page = main_part(add(staff, poll, "scale", "How much?", scale_min="5", scale_max="1"))
    assert "The scale must run upwards" in page
    assert 'name="scale_min" value="5"' in page
    page = main_part(
        add(staff, poll, "matrix", "Rows?", options_en="", scale_min="1", scale_max="5")
    )
    assert "Give at least one row, one a line." in page
    assert not Question.objects.exists()


def test_once_someone_has_answered_the_questions_are_kept_and_the_title_may_still_change(town):
    survey = build_survey(town)
    poll, staff = survey.poll, signed_in(town.official)
    single, section = survey.q["single"], poll.sections.first()
    Response.objects.create(poll=poll, respondent=town.signed_in)
    before = (
        ordered_texts(poll),
        list(Option.objects.order_by("pk").values_list("pk", "label_en")),
        list(Section.objects.order_by("pk").values_list("title_en", "position")),
    )
    page = main_part(staff.get(staff_url(poll)))
    assert "can no longer be changed, moved or removed" in page
    assert staff_url(poll, "remove_question", question=single.pk) not in page

    edited = main_part(
        staff.post(
            staff_url(poll, "edit_question", question=single.pk),
            {"text_en": "Changed", "options_en": "X\nY"},
        )
    )
    assert "can no longer change" in edited
    for url, data in (
        (staff_url(poll, "remove_question", question=single.pk), {}),
        (staff_url(poll, "move_question", question=single.pk), {"direction": "down"}),
        (staff_url(poll, "move_section", section=section.pk), {"direction": "down"}),
        (staff_url(poll, "remove_section", section=section.pk), {}),
        (staff_url(poll, "add_section"), {"title_en": "More"}),
        (staff_url(poll, "add_question"), {"kind": "short_text", "text_en": "More?"}),
    ):
        staff.post(url, data)
    after = (
        ordered_texts(poll),
        list(Option.objects.order_by("pk").values_list("pk", "label_en")),
        list(Section.objects.order_by("pk").values_list("title_en", "position")),
    )
    assert after == before

    saved = staff.post(
        staff_url(poll, "edit"),
        poll_settings(
            title_en="How do you travel now?", is_anonymous=None, closes_at="2031-05-01T18:00"
        ),
    )
    assert saved.status_code == 302
    poll.refresh_from_db()
    assert poll.title_en == "How do you travel now?"
    assert poll.closes_at is not None and poll.closes_at.year == 2031
    assert poll.is_anonymous is True  # promised to those who answered: it stays
    page = main_part(staff.get(staff_url(poll, "edit")))
    assert "only its title, introduction and closing time may still change" in page


def test_the_process_page_lists_its_polls_its_part_in_a_fixed_number_of_queries(
    town, process, monkeypatch
):
    poll = Poll.objects.create(process=process, title_en="First poll", title_es="Primera")
    add_question(poll, None, 0, QuestionKind.SHORT_TEXT, "Why?")
    Poll.objects.create(process=process, title_en="Still being built")
    url = process.get_absolute_url()
    on_page = Process.objects.select_related("office__parent").get(pk=process.pk)

    # The polls' own short list alone (the page reads the others' with it, once, and keeps them).
    monkeypatch.setattr(pages, "SHORT_LISTS", {"polls": pages.SHORT_LISTS["polls"]})

    def part(person):
        def fetch():
            forget_offices(person)  # asked anew, as on a page that had not asked before
            pages.SHORT_LISTS["polls"][1].invalidate()  # nothing kept from an earlier fetch
            on_page.__dict__.pop("_short_lists", None)
            request = RequestFactory().get(url)
            request.user = person
            return process_polls(request, on_page)

        return fetch

    def grow():
        for number in range(4):
            more = Poll.objects.create(
                process=process,
                title_en=f"Poll {number}",
                closes_at=timezone.now() - timedelta(days=1),
            )
            add_question(more, None, 0, QuestionKind.SHORT_TEXT, "Why?")

    parts = assert_constant_queries(
        {
            "visitor": part(AnonymousUser()),
            "resident": part(town.signed_in),
            "manager": part(town.official),
        },
        grow,
        # The polls, and (for someone signed in) whether they act for the process's office,
        # a question the process page has asked already.
        expected={"visitor": 1, "resident": 2, "manager": 2},
    )
    monkeypatch.undo()  # the page reads every part's short list
    assert [len(section.context["polls"]) for section in parts["resident"]] == [1, 5]
    assert [len(section.context["polls"]) for section in parts["manager"]] == [2, 6]

    resident = main_part(signed_in(town.signed_in).get(url))
    assert "First poll" in resident and "open: answer it" in resident
    assert "Still being built" not in resident  # no questions yet: only the staff see it
    assert "New poll or survey" not in resident
    assert staff_url(poll) not in resident
    assert "Poll 3" in resident and "closed: see the results" in resident
    assert staff_url(Poll.objects.get(title_en="Poll 3"), "results") in resident
    managed = main_part(signed_in(town.official).get(url))
    assert "Still being built" in managed
    assert reverse("polls:create", args=[process.slug]) in managed
    assert "New poll or survey" in managed
    assert staff_url(poll) in managed
    visitor = main_part(Client().get(url))
    assert "First poll" in visitor and "New poll or survey" not in visitor
    Poll.objects.filter(pk=poll.pk).update(title_en="Renamed")
    Poll.objects.get(pk=poll.pk).save()  # a save shows at once on a visitor's kept page
    assert "Renamed" in main_part(Client().get(url))


def test_the_staff_page_makes_a_fixed_number_of_queries(town):
    survey = build_survey(town)
    poll, staff = survey.poll, signed_in(town.official)

    def grow():
        section = Section.objects.create(poll=poll, position=5, title_en="More")
        for number in range(3):
            add_question(
                poll, section, 10 + number, QuestionKind.SINGLE, f"More {number}", ["A", "B"]
            )

    assert_constant_queries(lambda: staff.get(staff_url(poll)), grow, expected=8)


def test_the_verbs_refuse_a_non_manager_a_full_section_and_keep_a_questions_kind(town):
    from agora.core.audit import entries_for
    from agora.core.refusals import Refused
    from agora.polls import services

    survey = build_survey(town)
    poll, staff = survey.poll, signed_in(town.official)
    travel = poll.sections.get(title_en="Travel")
    with pytest.raises(Refused) as refused:
        services.remove_section(travel, by=town.other_official)
    assert refused.value.code == "not_staff"
    page = staff.post(staff_url(poll, "remove_section", section=travel.pk), follow=True)
    assert "questions to another section, or remove them, first." in main_part(page)
    assert Section.objects.filter(pk=travel.pk).exists()
    # A question keeps its kind, whatever is sent; limits its kind does not use are dropped.
    scale = survey.q["scale"]
    staff.post(
        staff_url(poll, "edit_question", question=scale.pk),
        {
            "kind": "single",
            "text_en": "How safe now?",
            "section": str(travel.pk),
            "scale_min": "1",
            "scale_max": "3",
            "max_choices": "4",
            "options_en": "A\nB",
        },
    )
    scale.refresh_from_db()
    assert (scale.kind, scale.text_en, scale.scale_max, scale.max_choices) == (
        "scale",
        "How safe now?",
        3,
        None,
    )
    assert not scale.options.exists()
    assert "poll.question_changed" in set(entries_for(poll).values_list("action", flat=True))
