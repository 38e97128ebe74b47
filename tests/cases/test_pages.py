"""The cases pages: asking, a case and its timeline, my cases, claiming, assisted entry and the
office inbox; they work without JavaScript and read in a constant number of queries."""

import re

import pytest

from agora.cases import services
from agora.cases.models import Case, Channel, State
from agora.directory import services as directory_services
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


def test_a_resident_submits_a_case_and_lands_on_its_page(client, town):
    response = signed_in(town.resident, client).post("/cases/new/", case_form(town))
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/"
    html = main_part(client.get(response.url))
    assert "Streetlight out on Calle Mayor" in html
    assert "Public Lighting Unit" in html
    assert "Sent to Public Lighting Unit" in html
    assert case.submitted_by == town.resident and case.address == "Calle Mayor 12"


def test_the_form_page_lists_topics_and_needs_a_signed_in_person(client, town):
    assert client.get("/cases/new/").status_code == 302
    html = main_part(signed_in(town.resident, client).get("/cases/new/"))
    assert '<option value="street-lighting">Street lighting</option>' in html
    assert '<label for="id_title">Title</label>' in html


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
    response = signed_in(town.resident, client).post("/cases/new/", case_form(town, **changes))
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


def test_an_official_acts_from_the_case_page_with_post_forms(client, town):
    case = town.submit()
    signed_in(town.lighting_official, client)
    html = main_part(client.get(case.get_absolute_url()))
    assert "Act on this case" in html and "Transfer" in html

    response = client.post(f"/cases/{case.pk}/acknowledge/")
    assert response.status_code == 302
    response = client.post(f"/cases/{case.pk}/transfer/", {"transfer-office": "roads"})
    assert response.status_code == 400
    assert "Reason for the transfer" in main_part(response, status=400)
    case.refresh_from_db()
    assert case.state == State.ACKNOWLEDGED and case.office == town.lighting_office

    client.post(
        f"/cases/{case.pk}/transfer/",
        {"transfer-office": "roads", "transfer-text": "Roads maintain sign lamps."},
    )
    case.refresh_from_db()
    assert case.office == town.roads_office
    # The lighting official no longer acts on it: the case is another office's now.
    assert client.post(f"/cases/{case.pk}/answer/", {"answer-text": "x"}).status_code == 403


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
        expected={"inbox": 8, "mine": 4},  # the inbox also counts its open cases, in one query
    )
    for inbox, mine, count in zip(pages["inbox"], pages["mine"], (5, 50), strict=True):
        assert main_part(inbox).count('<td><a href="/cases/') == count
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
        lambda: client.get(case.get_absolute_url()), act_twenty_times, expected=17
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
    response = client.post(
        "/cases/new/",
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
    response = client.post("/cases/new/", case_form(town, photo=png_upload()))
    assert response.status_code == 400 and 'id="id_photo_alt_error"' in main_part(
        response, status=400
    )
    not_an_image = SimpleUploadedFile("lamp.png", b"<svg></svg>", content_type="image/png")
    response = client.post("/cases/new/", case_form(town, photo=not_an_image, photo_alt="A lamp"))
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
