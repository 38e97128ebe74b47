"""The petition pages: the list and a petition's page in a fixed number of queries, with the
signatures by area as a table and an SVG chart; the start form keeping what was typed; the
co-sponsor page; moderation; signing; the office's forms, refused to another office; and the
moderators' integrity page."""

from datetime import timedelta

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agora.accounts.models import Verification
from agora.petitions import services, views
from agora.petitions.models import Petition, PetitionState, Signature
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in
from tests.petitions.conftest import a_draft, an_open_petition, residents, thresholds


def test_the_list_and_a_petition_take_a_fixed_number_of_queries(client, town, monkeypatch):
    monkeypatch.setattr(views.READERS_PAGES, "max_age", 0)  # every render counted here
    monkeypatch.setattr(views.READERS_PAGES, "hot_seconds", 0)
    thresholds(town)
    petition = an_open_petition(town, title="Shade on the river walk")
    member = signed_in(town.verified)
    pages = {
        "list": lambda: client.get("/petitions/"),
        "detail": lambda: client.get(petition.get_absolute_url()),
        "signed in": lambda: member.get(petition.get_absolute_url()),
    }

    def grow():
        for number in range(4):
            an_open_petition(town, title=f"Lamp number {number}")
        people = residents(3) + [UserFactory(home_area="South", verification="verified_resident")]
        for person in people:
            services.sign_petition(petition, by=person, show_name=True)

    results = assert_constant_queries(
        pages, grow, expected={"list": 1, "detail": 5, "signed in": 10}
    )
    listed = main_part(results["list"][1])
    assert "Lamp number 3" in listed and "Shade on the river walk" in listed
    page = main_part(results["detail"][1])
    assert "<svg" in page and 'role="img"' in page
    assert '<th scope="row">North</th><td>3</td>' in page
    assert '<th scope="row">South</th><td>1</td>' in page
    assert "4 signatures" in page


def test_the_list_pages_by_cursor_and_hides_drafts(client, town):
    for number in range(22):
        an_open_petition(town, title=f"Petition {number}")
    a_draft(town, title="A secret draft")
    first = main_part(client.get("/petitions/"))
    assert "Petition 21</a>" in first and "Petition 1</a>" not in first
    assert "A secret draft" not in first
    assert "More petitions" in first
    after = Petition.objects.filter(title="Petition 2").get().pk
    second = main_part(client.get("/petitions/", {"after": after}))
    assert "Petition 1</a>" in second and "Petition 2</a>" not in second


def test_the_start_form_keeps_what_was_typed_and_creates_a_draft(town):
    client = signed_in(town.verified)
    typed = {
        "title": "Shade on the river walk",
        "asks": "Plant trees.",
        "why": "Too hot.",
        "addressee": str(town.cycling_unit.pk),
        "closes_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }
    page = main_part(client.post("/petitions/new/", typed))
    assert "Choose a day after today." in page
    assert 'value="Shade on the river walk"' in page and "Too hot." in page
    assert not Petition.objects.exists()
    typed["closes_on"] = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = client.post("/petitions/new/", typed)
    petition = Petition.objects.get()
    assert response.url == petition.get_absolute_url()
    assert petition.state == PetitionState.DRAFT
    # A draft is for its author only.
    assert client.get(petition.get_absolute_url()).status_code == 200
    assert signed_in(residents(1)[0]).get(petition.get_absolute_url()).status_code == 404


def test_co_sponsors_join_by_the_link_and_moderators_publish(town):
    with override_settings(AGORA_PETITION_COSPONSORS=1):
        petition = a_draft(town)
    author = signed_in(town.verified)
    author.post(f"/petitions/{petition.pk}/collect/")
    page = main_part(author.get(petition.get_absolute_url()))
    link = f"/petitions/{petition.pk}/cosponsor/{petition.cosponsor_token}/"
    assert link in page
    (friend,) = residents(1)
    assert signed_in(friend).get(f"/petitions/{petition.pk}/cosponsor/wrong/").status_code == 404
    friend_client = signed_in(friend)
    assert "Co-sponsor this petition" in main_part(friend_client.get(link))
    friend_client.post(link)
    assert Petition.objects.get(pk=petition.pk).state == PetitionState.AWAITING_MODERATION
    moderator = signed_in(town.moderator)
    queue = main_part(moderator.get("/petitions/", {"state": "awaiting_moderation"}))
    assert petition.title in queue
    refused = main_part(moderator.post(f"/petitions/{petition.pk}/reject/", {"reason": ""}))
    assert "This field is required." in refused
    moderator.post(f"/petitions/{petition.pk}/publish/", {"office": town.cycling_unit.pk})
    assert Petition.objects.get(pk=petition.pk).state == PetitionState.OPEN


def test_signing_from_the_page_and_the_reasons_shown_to_those_who_cannot(town):
    petition = an_open_petition(town)
    (person,) = residents(1)
    client = signed_in(person)
    assert "Sign this petition" in main_part(client.get(petition.get_absolute_url()))
    client.post(f"/petitions/{petition.pk}/sign/", {"show_name": "on"}, REMOTE_ADDR="198.51.100.7")
    signature = Signature.objects.get()
    assert (signature.show_name, signature.network) == (True, "198.51.100.0/24")
    page = main_part(client.get(petition.get_absolute_url()))
    assert "You signed this petition." in page and person.name in page
    client.post(f"/petitions/{petition.pk}/sign/")
    assert Petition.objects.get(pk=petition.pk).signature_count == 1
    unverified = signed_in(UserFactory(verification=Verification.EMAIL_CONFIRMED))
    refused = main_part(unverified.get(petition.get_absolute_url()))
    assert "Only verified residents can sign petitions." in refused


def test_the_office_answers_and_another_office_is_refused(town):
    petition = an_open_petition(town)
    other = signed_in(town.other_official)
    assert "Publish the response" not in main_part(other.get(petition.get_absolute_url()))
    refused = other.post(f"/petitions/{petition.pk}/respond/", {"body": "No."})
    assert refused.status_code == 403
    assert "officials of the office" in main_part(refused, 403)
    office = signed_in(town.official)
    kept = main_part(
        office.post(f"/petitions/{petition.pk}/debate/", {"decision": "adopted", "summary": "Kept"})
    )
    assert "Kept" in kept and "This field is required." in kept
    office.post(f"/petitions/{petition.pk}/respond/", {"body": "We plant **trees**."})
    page = main_part(signed_in(town.verified).get(petition.get_absolute_url()))
    assert "<strong>trees</strong>" in page
    assert Petition.objects.get(pk=petition.pk).responded_by == town.official


def test_moderators_check_and_invalidate_signatures(town):
    petition = an_open_petition(town)
    for number in range(5):
        person = UserFactory(
            email=f"bot{number}@spam.example",
            home_area="North",
            verification=Verification.VERIFIED_RESIDENT,
        )
        services.sign_petition(petition, by=person, address=f"192.0.2.{number}")
    assert signed_in(town.verified).get(f"/petitions/{petition.pk}/integrity/").status_code == 403
    moderator = signed_in(town.moderator)
    page = main_part(moderator.get(f"/petitions/{petition.pk}/integrity/"))
    assert "spam.example" in page and "192.0.2.0/24" in page and "<svg" in page
    assert 'class="unusual"' in page
    kept = main_part(
        moderator.post(f"/petitions/{petition.pk}/integrity/", {"chosen": "domain:spam.example"})
    )
    assert "This field is required." in kept
    moderator.post(
        f"/petitions/{petition.pk}/integrity/",
        {"chosen": "domain:spam.example", "reason": "Throwaway addresses"},
    )
    assert Petition.objects.get(pk=petition.pk).signature_count == 0
    assert "Throwaway addresses" in main_part(moderator.get(f"/petitions/{petition.pk}/integrity/"))


def test_the_petition_page_speaks_spanish(town):
    thresholds(town, response=1, debate=None)
    petition = an_open_petition(town)
    (person,) = residents(1)
    client = signed_in(person)
    client.cookies["django_language"] = "es"
    page = main_part(client.get(petition.get_absolute_url()))
    assert "Firmar esta petición" in page and "Mostrar mi nombre en la petición" in page
    assert "Una respuesta por escrito de la oficina" in page
    client.post(f"/petitions/{petition.pk}/sign/")
    page = main_part(client.get(petition.get_absolute_url()))
    assert "Firmas por zona" in page and "Firmaste esta petición." in page


def test_the_process_page_lists_its_petitions_and_offers_to_start_one(town):
    from agora.processes.models import PhaseKind

    process = town.process((PhaseKind.SUPPORT, -1, 10), (PhaseKind.CLOSED, 10, None))
    an_open_petition(town, title="Lanes on every school street", process=process)
    an_open_petition(town, title="Not in the process")
    page = main_part(signed_in(town.verified).get(process.get_absolute_url()))
    assert "Lanes on every school street" in page and "Not in the process" not in page
    assert f"/petitions/new/?process={process.pk}" in page
    outside = main_part(signed_in(town.outsider).get(process.get_absolute_url()))
    assert "Start a petition in this process" not in outside
    form = main_part(signed_in(town.verified).get(f"/petitions/new/?process={process.pk}"))
    assert f'<option value="{process.pk}" selected>' in form


def test_a_visitors_page_is_kept_a_few_seconds_and_a_new_state_shows_at_once(
    client, town, monkeypatch
):
    """In a surge, readers who are not signed in share one rendering for a few seconds: the
    count may lag by that much, the petition's state, response or debate never (but for each
    process's hot copy's two seconds, tested in test_hot_pages.py, left out here)."""
    monkeypatch.setattr(views.READERS_PAGES, "hot_seconds", 0)
    petition = an_open_petition(town, title="Shade on the river walk")
    services.sign_petition(petition, by=residents(1)[0], show_name=True)
    assert "1 signature" in main_part(client.get(petition.get_absolute_url()))
    services.sign_petition(petition, by=residents(1)[0], show_name=True)
    with CaptureQueriesContext(connection) as kept:
        page = main_part(client.get(petition.get_absolute_url()))
    assert len(kept) == 1  # the petition's row, to know it is still there and the same
    assert "1 signature" in page  # the kept rendering, at most a few seconds old
    assert "2 signatures" in main_part(signed_in(town.verified).get(petition.get_absolute_url()))
    services.respond_to_petition(petition, by=town.official, body="We will plant trees.")
    page = main_part(client.get(petition.get_absolute_url()))
    assert "We will plant trees." in page and "2 signatures" in page
