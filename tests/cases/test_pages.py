"""The cases pages: asking, a case and its timeline, my cases, claiming, assisted entry and the
office inbox; they work without JavaScript and read in a constant number of queries."""

import re

import pytest
from django.utils.formats import date_format
from django.utils.timezone import localtime

from agora.cases import services
from agora.cases.models import Case, Channel, State
from agora.directory import services as directory_services
from tests.cases.sending import SEND_FIELDS, send_case
from tests.directory.factories import OfficeFactory
from tests.factories import PASSWORD
from tests.helpers import assert_constant_queries, main_part, signed_in

pytestmark = pytest.mark.django_db


def case_form(town, **changes):
    data = {
        "kind": "report",
        "title": "Streetlight out on Calle Mayor",
        "description": "Dark for a week.",
        "topic": town.lighting.slug,
        "area": "",
        "address": "Calle Mayor 12",
        "visibility": "public",
    }
    data.update(changes)
    return data


def test_a_resident_submits_a_case_and_is_told_its_reference_and_what_happens_next(client, town):
    town.lighting_office.phone = "010 555 1234"
    town.lighting_office.save()
    signed_in(town.resident, client)
    details = {k: v for k, v in case_form(town).items() if k not in SEND_FIELDS}
    response = client.post("/cases/new/", details)
    assert response.status_code == 302 and response.url == "/cases/new/check/"
    html = main_part(client.get(response.url))
    assert "Check your answers before sending" in html
    for answer in ("Streetlight out on Calle Mayor", "Dark for a week.", "Street lighting"):
        assert f"<dd>{answer}</dd>" in html
    assert "<dd>Calle Mayor 12</dd>" in html and 'href="/cases/new/"' in html
    assert "<dt>It goes to</dt>" in html and "<dd>Public Lighting Unit</dd>" in html
    assert "Send my report" in html and not Case.objects.exists()
    response = client.post("/cases/new/check/", {"visibility": "public"})
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/sent/"
    assert re.fullmatch(r"[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}", case.reference)
    html = main_part(client.get(response.url))
    assert "Your report is sent" in html
    assert f'<strong class="reference-number">{case.reference}</strong>' in html
    assert "Quote this reference if you call or write to Public Lighting Unit" in html
    assert 'href="tel:0105551234"' in html
    due = date_format(localtime(case.acknowledge_due_at), "DATE_FORMAT")
    assert f"Public Lighting Unit is responsible for it and will acknowledge it by {due}." in html
    assert "The case is public" in html
    assert f'href="/cases/{case.pk}/"' in html

    html = main_part(client.get(f"/cases/{case.pk}/"))
    assert "Streetlight out on Calle Mayor" in html
    assert "Sent to Public Lighting Unit" in html
    assert f'<dd class="reference">{case.reference}</dd>' in html
    assert case.submitted_by == town.resident and case.address == "Calle Mayor 12"


def test_only_the_resident_who_sent_a_case_sees_its_confirmation(client, town):
    case = town.submit(is_public=False)
    for person in (town.other_resident, town.lighting_official):
        assert signed_in(person, client).get(f"/cases/{case.pk}/sent/").status_code == 404
    client.logout()
    assert client.get(f"/cases/{case.pk}/sent/").status_code == 302  # to sign in
    html = main_part(signed_in(town.resident, client).get(f"/cases/{case.pk}/sent/"))
    assert "The case is private: only you and the office see it." in html


def test_each_case_has_its_own_reference_and_officials_find_a_case_by_it(client, town):
    cases = [town.submit(title=f"Lamp {number}") for number in range(20)]
    assert len({case.reference for case in cases}) == 20
    wanted = cases[7]
    signed_in(town.lighting_official, client)
    typed = wanted.reference.lower().replace("-", " ")  # as read out on the phone
    html = main_part(client.get("/cases/inbox/public-lighting/", {"reference": typed}))
    assert html.count('class="case-cell"><a href="/cases/') == 1 and "Lamp 7" in html
    html = main_part(client.get("/cases/inbox/public-lighting/", {"reference": "K7MQ-4XH"}))
    assert "A reference has eight letters and digits, such as K7MQ-4XHD." in html
    assert 'value="K7MQ-4XH"' in html  # what was typed stays


def test_the_inbox_sorts_the_backlog_by_next_deadline_and_pages_it(client, town, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    cases = [town.submit(title=f"Lamp {number}") for number in range(5)]
    # Acknowledge-by deadlines out of creation order; one acknowledged (its answer-by counts),
    # one answered (no deadline pending) and one resolved.
    for case, days in zip(cases, (5, 1, 3, 2, 4), strict=True):
        Case.objects.filter(pk=case.pk).update(
            acknowledge_due_at=now + timedelta(days=days),
            answer_due_at=now + timedelta(days=10 + days),
        )
    services.acknowledge_case(cases[1], by=town.lighting_official)  # next: answer by day 11
    services.answer_case(cases[3], by=town.lighting_official, answer="Fixed Monday.")
    services.resolve_case(cases[4], by=town.lighting_official, note="Done.")

    signed_in(town.lighting_official, client)
    html = main_part(client.get("/cases/inbox/public-lighting/?sort=due"))
    titles = re.findall(r'class="case-cell"><a href="/cases/\d+/">(Lamp \d)</a>', html)
    assert titles == ["Lamp 2", "Lamp 0", "Lamp 1"]
    assert "Next deadline" in html

    monkeypatch.setattr("agora.cases.views.PAGE_SIZE", 2)
    html = main_part(client.get("/cases/inbox/public-lighting/?sort=due"))
    assert re.findall(r'class="case-cell"><a href="/cases/\d+/">(Lamp \d)</a>', html) == [
        "Lamp 2",
        "Lamp 0",
    ]
    more = re.search(r'href="\?([^"]*after=[^"]+)"', html).group(1).replace("&amp;", "&")
    assert "sort=due" in more
    html = main_part(client.get(f"/cases/inbox/public-lighting/?{more}"))
    assert re.findall(r'class="case-cell"><a href="/cases/\d+/">(Lamp \d)</a>', html) == ["Lamp 1"]


def test_the_form_page_lists_topics_and_sending_needs_a_signed_in_person(client, town):
    assert "You need an account to send it" in main_part(client.get("/cases/new/"))
    send_case(client, case_form(town))
    assert not Case.objects.exists()  # kept for after signing up, not sent
    html = main_part(signed_in(town.resident, client).get("/cases/new/"))
    assert '<option value="street-lighting" selected>Street lighting</option>' in html
    assert '<label for="id_title">Title</label>' in html
    assert "<dd>Streetlight out on Calle Mayor</dd>" in main_part(client.get("/cases/new/check/"))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"description": "x" * 4001}, "description"),
        ({"visibility": "secret"}, "visibility"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_keeps_the_input_and_creates_nothing(
    client, town, changes, field
):
    response = send_case(signed_in(town.resident, client), case_form(town, **changes))
    assert response.status_code == 400
    html = main_part(response, status=400)
    assert f'id="id_{field}_error"' in html
    assert "Calle Mayor 12" in html
    assert not Case.objects.exists()


def test_a_topic_nobody_handles_is_refused_next_to_the_topic(client, town):
    from tests.directory.factories import TopicFactory

    orphan = TopicFactory(name_en="Orphan topic")
    response = signed_in(town.resident, client).post(
        "/cases/new/", case_form(town, topic=orphan.slug)
    )
    assert response.status_code == 400
    assert "No office is responsible for this topic here yet." in main_part(response, status=400)
    assert not Case.objects.exists()


def test_a_private_case_is_hidden_from_everyone_but_its_submitter_the_office_and_moderators(
    client, town
):
    case = town.submit(is_public=False)
    assert client.get(case.get_absolute_url()).status_code == 404
    for person, status in [
        (town.other_resident, 404),
        (town.roads_official, 404),
        (town.resident, 200),
        (town.lighting_official, 200),
        (town.moderator, 200),
    ]:
        assert signed_in(person, client).get(case.get_absolute_url()).status_code == status


def test_a_public_case_and_its_timeline_are_visible_to_everyone(client, town):
    case = town.submit()
    services.transfer_case(
        case, to_office=town.roads_office, by=town.lighting_official, reason="A road sign lamp."
    )
    services.answer_case(case, by=town.roads_official, answer="Fixed on Monday.")
    html = main_part(client.get(case.get_absolute_url()))
    assert "From Public Lighting Unit to Roads Department." in html
    assert "Reason: A road sign lamp." in html
    assert "Official answer of Roads Department" in html and "Fixed on Monday." in html
    assert "Act on this case" not in html


def test_an_official_updates_a_case_through_the_one_form(client, town):
    case = town.submit()
    signed_in(town.lighting_official, client)
    html = main_part(client.get(case.get_absolute_url()))
    # One form (beside the follow button and the comment form): each action a choice, with
    # only its own fields.
    assert "Update this case" in html and html.count('<form method="post" action="/cases/') == 3
    for label in ("Acknowledge", "Assign", "Transfer", "Ask for information", "Send the official"):
        assert f'">{label}' in html, label
    assert 'name="action" value="transfer"' in html
    assert "Me too" not in html  # the office answers; it does not join
    assert '<option value="" selected>Choose an office</option>' in html
    assert "---------" not in html

    response = client.post(f"/cases/{case.pk}/update/", {})
    assert "Choose what you want to do." in main_part(response, status=400)
    client.post(f"/cases/{case.pk}/update/", {"action": "acknowledge"})
    case.refresh_from_db()
    assert case.state == State.ACKNOWLEDGED
    # A second official, on a page shown before, acknowledges too: told why not, not a 403.
    response = client.post(f"/cases/{case.pk}/update/", {"action": "acknowledge"})
    assert "“Acknowledge” is no longer possible: the case is now “Acknowledged”." in main_part(
        response, status=400
    )

    typed = {"action": "transfer", "transfer-office": "roads", "transfer-text": ""}
    response = client.post(f"/cases/{case.pk}/update/", typed)
    html = main_part(response, status=400)
    assert "Please correct the marked fields." in html
    assert 'value="transfer" id="action-transfer" checked' in html  # the choice stays
    assert '<option value="roads" selected>' in html  # and what was chosen
    case.refresh_from_db()
    assert case.state == State.ACKNOWLEDGED and case.office == town.lighting_office

    typed["transfer-text"] = "Roads maintain sign lamps."
    client.post(f"/cases/{case.pk}/update/", typed)
    case.refresh_from_db()
    assert case.office == town.roads_office
    # The lighting official no longer acts on it: the case is another office's now.
    response = client.post(f"/cases/{case.pk}/update/", {"action": "answer", "answer-text": "x"})
    assert response.status_code == 403
    assert client.post(f"/cases/{case.pk}/answer/", {"answer-text": "x"}).status_code == 403


def test_transfer_targets_are_grouped_by_office_tree_sorted_and_in_the_readers_language(
    client, town
):
    town.roads_office.name_es = "Departamento de Vías"
    town.roads_office.save()
    OfficeFactory(
        slug="signs",
        name_en="Signs Unit",
        name_es="Unidad de Señales",
        parent=town.roads_office,
        authority=town.roads_office.authority,
    )
    OfficeFactory(
        slug="asphalt",
        name_en="Asphalt Unit",
        name_es="Unidad de Asfalto",
        parent=town.roads_office,
        authority=town.roads_office.authority,
    )
    case = town.submit()
    client.cookies["django_language"] = "es"
    html = main_part(signed_in(town.lighting_official, client).get(case.get_absolute_url()))
    group = re.search(r'<optgroup label="Departamento de Vías">(.*?)</optgroup>', html, re.S)
    assert group is not None
    names = re.findall(r'<option value="[a-z-]+">([^<]+)</option>', group.group(1))
    assert [name.strip("\u2003") for name in names] == [
        "Departamento de Vías",
        "Unidad de Asfalto",
        "Unidad de Señales",
    ]
    assert names[1].startswith("\u2003")  # a part, under its office
    assert (
        'value="public-lighting"'
        not in html.split('name="transfer-office"')[1].split("</select>")[0]
    )


@pytest.mark.parametrize("role", ["resident", "other_resident", "roads_official"])
def test_people_outside_the_office_cannot_act_through_the_pages(client, town, role):
    case = town.submit()
    response = signed_in(getattr(town, role), client).post(f"/cases/{case.pk}/acknowledge/")
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).state == State.NEW


def test_anonymous_posts_are_sent_to_log_in(client, town):
    case = town.submit()
    response = client.post(f"/cases/{case.pk}/acknowledge/")
    assert response.status_code == 302 and "/login/" in response.url
    assert Case.objects.get(pk=case.pk).state == State.NEW


def test_a_wrong_transition_from_the_page_is_explained_not_applied(client, town):
    case = town.submit()
    signed_in(town.lighting_official, client).post(f"/cases/{case.pk}/acknowledge/")
    response = client.post(f"/cases/{case.pk}/acknowledge/", follow=True)
    assert "cannot be changed this way" in main_part(response)


def test_my_cases_lists_only_mine(client, town):
    mine = town.submit(title="My lamp")
    town.submit(by=town.other_resident, title="Their lamp")
    html = main_part(signed_in(town.resident, client).get("/cases/"))
    assert "My lamp" in html and "Their lamp" not in html
    assert mine.get_absolute_url() in html


def test_an_official_records_a_case_and_the_resident_claims_it(client, town):
    signed_in(town.roads_official, client)
    response = client.post(
        "/cases/record/", {**case_form(town, visibility="private"), "channel": Channel.DESK}
    )
    assert response.status_code == 200
    code = re.search(r'id="claim-code">([0-9A-F]+)<', response.content.decode()).group(1)
    case = Case.objects.get()
    assert case.channel == Channel.DESK and case.submitted_by is None and not case.is_public

    signed_in(town.resident, client)
    response = client.post("/cases/claim/", {"code": "nope"})
    assert response.status_code == 400 and "does not match" in main_part(response, status=400)
    response = client.post("/cases/claim/", {"code": code})
    assert response.status_code == 302
    assert Case.objects.get().submitted_by == town.resident


def test_residents_cannot_record_cases_for_others(client, town):
    assert signed_in(town.resident, client).get("/cases/record/").status_code == 403


def test_the_inbox_filters_by_state_topic_and_age_and_flags_overdue_cases(client, town):
    from datetime import timedelta

    from django.utils import timezone

    old = town.submit(title="Old lamp")
    Case.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=40),
        acknowledge_due_at=timezone.now() - timedelta(days=30),
    )
    fresh = town.submit(title="Fresh lamp")
    services.acknowledge_case(fresh, by=town.lighting_official)

    signed_in(town.lighting_official, client)
    html = main_part(client.get("/cases/inbox/public-lighting/"))
    assert "Old lamp" in html and "Fresh lamp" in html
    assert html.count('class="is-overdue"') == 1
    html = main_part(client.get("/cases/inbox/public-lighting/?state=acknowledged"))
    assert "Fresh lamp" in html and "Old lamp" not in html
    html = main_part(client.get("/cases/inbox/public-lighting/?age=30"))
    assert "Old lamp" in html and "Fresh lamp" not in html
    html = main_part(client.get("/cases/inbox/public-lighting/?topic=potholes"))
    assert "No cases match." in html


def test_the_inbox_counts_its_open_cases_by_state_and_overdue_and_links_to_each(client, town):
    from datetime import timedelta

    from django.utils import timezone

    late = town.submit(title="Late lamp")
    Case.objects.filter(pk=late.pk).update(acknowledge_due_at=timezone.now() - timedelta(days=1))
    town.submit(title="New lamp")
    answered = town.submit(title="Answered lamp")
    services.answer_case(answered, by=town.lighting_official, answer="On its way.")
    finished = town.submit(title="Finished lamp")
    services.resolve_case(finished, by=town.lighting_official)
    town.submit(title="Pothole", topic=town.potholes)  # another office's

    signed_in(town.lighting_official, client)
    html = main_part(client.get("/cases/inbox/public-lighting/"))
    work = html[html.index('id="open-work-heading"') : html.index("</section>")]
    assert '<a href="?state=new">Waiting for acknowledgement: 2</a>' in work
    assert '<a href="?state=answered">Answered: 1</a>' in work
    assert "Resolved" not in work and "Acknowledged:" not in work
    assert '<a href="?overdue=on" class="overdue">1 overdue</a>' in work
    only_late = main_part(client.get("/cases/inbox/public-lighting/?overdue=on"))
    assert "Late lamp" in only_late
    assert "New lamp" not in only_late and "Answered lamp" not in only_late
    for case in Case.objects.filter(office=town.lighting_office):
        assert (case.title in only_late) == case.is_overdue  # the query and the model agree

    # A count's link narrows what is shown: the other filters stay.
    html = main_part(client.get("/cases/inbox/public-lighting/?topic=street-lighting&sort=due"))
    work = html[html.index('id="open-work-heading"') : html.index("</section>")]
    assert '<a href="?topic=street-lighting&amp;sort=due&amp;state=new">' in work
    assert '<a href="?topic=street-lighting&amp;sort=due&amp;overdue=on" class="overdue">' in work


def test_an_inbox_with_nothing_open_says_so(client, town):
    signed_in(town.lighting_official, client)
    html = main_part(client.get("/cases/inbox/public-lighting/"))
    assert "No open cases: nothing is waiting." in html


def test_an_offices_inbox_holds_the_cases_of_its_parts_and_narrows_to_one(client, town):
    """The head of a department answers for its units: their cases wait in its inbox too, marked
    with the unit that holds them, and its officials may act on them."""
    north = OfficeFactory(
        slug="lighting-north",
        name_en="Lighting North",
        parent=town.lighting_office,
        authority=town.lighting_office.authority,
    )
    corner = OfficeFactory(
        slug="lighting-corner",
        name_en="Lighting Corner",
        parent=north,
        authority=town.lighting_office.authority,
    )
    town.submit(title="Lamp at the square")
    in_unit = town.submit(title="Lamp in the north")
    in_corner = town.submit(title="Lamp on the corner")
    Case.objects.filter(pk=in_unit.pk).update(office=north)
    Case.objects.filter(pk=in_corner.pk).update(office=corner)

    signed_in(town.lighting_official, client)
    html = main_part(client.get("/cases/inbox/public-lighting/"))
    assert all(
        title in html for title in ("Lamp at the square", "Lamp in the north", "Lamp on the corner")
    )
    assert "Street lighting · Lighting North" in html
    assert '<option value="lighting-north">Lighting North</option>' in html
    html = main_part(client.get("/cases/inbox/public-lighting/?office=lighting-north"))
    assert "Lamp in the north" in html and "Lamp on the corner" in html
    assert "Lamp at the square" not in html
    html = main_part(client.get("/cases/inbox/public-lighting/?office=lighting-corner"))
    assert "Lamp on the corner" in html and "Lamp in the north" not in html
    response = client.post(
        f"/cases/{in_corner.pk}/acknowledge/", {"next": "/cases/inbox/public-lighting/"}
    )
    assert response.status_code == 302
    in_corner.refresh_from_db()
    assert in_corner.state == "acknowledged"

    directory_services.add_official(north, town.other_resident)
    html = main_part(signed_in(town.other_resident, client).get("/cases/inbox/lighting-north/"))
    assert "Lamp in the north" in html and "Lamp on the corner" in html
    assert "Lamp at the square" not in html


def test_the_inbox_buttons_act_and_come_back_to_the_inbox(client, town):
    case = town.submit()
    signed_in(town.lighting_official, client)
    inbox = "/cases/inbox/public-lighting/?state=new"
    response = client.post(f"/cases/{case.pk}/acknowledge/", {"next": inbox})
    assert response.url == inbox
    client.post(
        f"/cases/{case.pk}/assign/",
        {"assign-assignee": town.lighting_official.pk, "next": "https://evil.example/"},
    )
    case.refresh_from_db()
    assert case.state == State.ACKNOWLEDGED and case.assigned_to == town.lighting_official


@pytest.mark.parametrize(
    ("role", "status"),
    [("resident", 404), ("roads_official", 404), ("lighting_official", 200), ("moderator", 200)],
)
def test_only_the_office_and_moderators_see_its_inbox(client, town, role, status):
    response = signed_in(getattr(town, role), client).get("/cases/inbox/public-lighting/")
    assert response.status_code == status


def submit_many(town, count, **fields):
    for number in range(count):
        case = town.submit(title=f"Lamp {number}", **fields)
        services.assign_case(case, to=town.lighting_official, by=town.lighting_official)


def test_the_inbox_and_my_cases_read_in_a_constant_number_of_queries(client, town):
    signed_in(town.lighting_official, client)
    submit_many(town, 5, by=town.lighting_official)
    pages = assert_constant_queries(
        {
            "inbox": lambda: client.get("/cases/inbox/public-lighting/"),
            "mine": lambda: client.get("/cases/"),
        },
        lambda: submit_many(town, 45, by=town.lighting_official),
        expected={"inbox": 7, "mine": 4},  # the inbox also counts its open cases, in one query
    )
    for inbox, mine, count in zip(pages["inbox"], pages["mine"], (5, 50), strict=True):
        assert main_part(inbox).count('class="case-cell"><a href="/cases/') == count
        assert main_part(inbox).count("Lucia Lighting") == count  # who handles each
        assert main_part(mine).count('<td><a href="/cases/') == count


def test_a_case_page_reads_in_a_constant_number_of_queries(client, town):
    case = town.submit()
    signed_in(town.lighting_official, client)
    services.acknowledge_case(case, by=town.lighting_official)

    def act_twenty_times():
        for number in range(20):
            services.assign_case(case, to=town.lighting_official, by=town.lighting_official)
            services.request_information(
                case, by=town.lighting_official, question=f"Question number {number}?"
            )
            services.answer_case(case, by=town.lighting_official, answer=f"Answer number {number}.")
            services.resolve_case(case, by=town.lighting_official)
            services.reopen_case(case, by=town.resident)

    few, many = assert_constant_queries(
        lambda: client.get(case.get_absolute_url()), act_twenty_times, expected=10
    )
    # Words no random CSRF token can hold ("A0" could, now and then).
    assert case.title in main_part(few) and "Answer number 0." not in main_part(few)
    assert "Question number 0?" in main_part(many) and "Answer number 19." in main_part(many)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def png_upload(name="lamp.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    output = io.BytesIO()
    image = Image.new("RGB", (40, 30), (200, 180, 20))
    image.save(output, format="PNG", pnginfo=None)
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/png")


def test_a_photo_is_re_encoded_described_and_as_private_as_its_case(client, town, media):
    signed_in(town.resident, client)
    response = send_case(
        client,
        case_form(
            town, visibility="private", photo=png_upload(), photo_alt="A dark lamp post at dusk"
        ),
    )
    case = Case.objects.get()
    assert response.status_code == 302 and case.photo.name.startswith("cases/")
    assert case.photo.name != "cases/lamp.png"  # a fresh name, a fresh file
    html = main_part(client.get(case.get_absolute_url()))
    assert f'src="/cases/{case.pk}/photo/" alt="A dark lamp post at dusk"' in html
    photo = client.get(f"/cases/{case.pk}/photo/")
    assert photo.status_code == 200 and photo["Content-Type"] in ("image/png", "image/jpeg")
    signed_in(town.other_resident, client)
    assert client.get(f"/cases/{case.pk}/photo/").status_code == 404


def test_a_photo_needs_a_description_and_must_be_an_image(client, town, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    signed_in(town.resident, client)
    response = send_case(client, case_form(town, photo=png_upload()))
    assert response.status_code == 400 and 'id="id_photo_alt_error"' in main_part(
        response, status=400
    )
    not_an_image = SimpleUploadedFile("lamp.png", b"<svg></svg>", content_type="image/png")
    response = send_case(client, case_form(town, photo=not_an_image, photo_alt="A lamp"))
    assert response.status_code == 400 and 'id="id_photo_error"' in main_part(response, status=400)
    assert "not an image we can read" in main_part(response, status=400)
    assert not Case.objects.exists()


def test_another_resident_says_me_too_and_the_count_shows(client, town):
    case = town.submit()
    signed_in(town.other_resident, client)
    assert "Me too" in main_part(client.get(case.get_absolute_url()))
    response = client.post(f"/cases/{case.pk}/me-too/")
    assert response.status_code == 302
    html = main_part(client.get(case.get_absolute_url()))
    assert "1 other person has this too." in html and "Take back my “me too”" in html
    client.post(f"/cases/{case.pk}/me-too/")
    html = main_part(client.get(case.get_absolute_url()))
    assert "0 other" not in html and "Does it affect you too?" in html
    signed_in(town.resident, client)
    html = main_part(client.get(case.get_absolute_url()))
    assert "Me too</button>" not in html
    assert "Does it affect you too?" not in html and "has this too" not in html
    client.logout()
    assert 'class="support"' not in main_part(client.get(case.get_absolute_url()))


def test_an_official_finds_their_inbox_from_my_cases(client, town):
    html = main_part(signed_in(town.lighting_official, client).get("/cases/"))
    assert 'href="/cases/inbox/public-lighting/"' in html
    assert 'href="/cases/record/"' in html
    assert "/cases/inbox/" not in main_part(signed_in(town.resident, client).get("/cases/"))


def header(response) -> str:
    html = response.content.decode()
    return html[html.index("<header") : html.index("</header>")]


def test_an_official_has_an_inbox_link_in_the_header_that_lands_on_their_inbox(client, town):
    official = signed_in(town.lighting_official, client)
    assert 'href="/cases/inbox/">Inbox</a>' in header(official.get("/cases/following/"))
    assert 'href="/cases/inbox/">Inbox</a>' in header(official.get("/"))
    landed = official.get("/cases/inbox/", follow=True)
    assert landed.redirect_chain == [("/cases/inbox/public-lighting/", 302)]
    assert "Public Lighting Unit" in main_part(landed)


def test_an_official_of_two_offices_chooses_between_their_inboxes(client, town):
    directory_services.add_official(town.roads_office, town.lighting_official)
    landed = signed_in(town.lighting_official, client).get("/cases/inbox/", follow=True)
    assert landed.redirect_chain == [("/cases/#inboxes-heading", 302)]
    html = main_part(landed)
    assert 'href="/cases/inbox/public-lighting/"' in html
    assert 'href="/cases/inbox/roads/"' in html


def log_in(client, person, path="/accounts/login/"):
    return client.post(path, {"login": person.email, "password": PASSWORD})


def test_an_official_signing_in_lands_on_their_inbox_unless_a_page_asked(client, town):
    landed = log_in(client, town.lighting_official)
    assert landed.status_code == 302 and landed["Location"] == "/cases/inbox/"
    client.logout()
    asked = log_in(client, town.lighting_official, "/accounts/login/?next=/cases/following/")
    assert asked["Location"] == "/cases/following/"
    client.logout()
    assert log_in(client, town.resident)["Location"] == "/"


def test_an_official_of_no_office_yet_is_told_so_not_sent_to_a_missing_page(client, town):
    from agora.accounts.models import Role
    from tests.factories import UserFactory

    newcomer = signed_in(UserFactory(role=Role.OFFICIAL), client)
    assert 'href="/cases/inbox/">Inbox</a>' in header(newcomer.get("/cases/following/"))
    landed = newcomer.get("/cases/inbox/", follow=True)
    assert landed.redirect_chain == [("/cases/", 302)]
    assert "You are not an official of any office yet." in main_part(landed)


def test_a_resident_has_no_inbox(client, town):
    resident = signed_in(town.resident, client)
    assert "/cases/inbox/" not in header(resident.get("/"))
    assert resident.get("/cases/inbox/").status_code == 404


def test_the_residents_name_is_not_shown_on_their_public_case(client, town):
    case = town.submit()
    services.answer_case(case, by=town.lighting_official, answer="Fixed.")
    html = main_part(client.get(case.get_absolute_url()))
    assert "Rosa Resident" not in html
    assert "Lucia Lighting" in html
