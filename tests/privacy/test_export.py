"""Download my data: one request, built by the worker into a ZIP of JSON and CSV per kind with
a README, linked by email, for its owner only, until it expires."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from agora.privacy import consent, services
from agora.privacy.models import Export, ExportState
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in

EXPECTED_KINDS = {
    "profile", "posts", "comments", "post_likes", "following", "followers", "mutes",
    "offices_followed", "cases", "case_timelines", "proposals", "proposal_supports",
    "petition_signatures", "conversations_joined", "conversation_votes",
    "conversation_statements", "notifications", "email_addresses", "consents",
    "poll_responses", "meeting_registrations", "ballots", "calm_settings",
}  # fmt: skip

# The account, its second factors (the form), the header's unread count, the last five
# exports, the last ten consents.
QUERIES_ON_PAGE = 5


def _archive(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_worker_builds_a_zip_of_every_kind_and_emails_its_link(world, ready_export):
    client, export, sent = ready_export
    assert export.state == ExportState.READY
    assert export.expires_at - export.finished_at == timedelta(days=7)
    (message,) = [m for m in sent if m.to == ["vera@example.org"] and "ready" in m.subject]
    link = reverse("privacy:download", args=[export.token])
    assert link in message.body

    archive = _archive(client.get(link))
    names = set(archive.namelist())
    for kind in EXPECTED_KINDS:
        assert {f"{kind}.json", f"{kind}.csv"} <= names, kind
    readme = archive.read("README.txt").decode()
    assert "posts.json, posts.csv (1 row)" in readme
    assert "If you delete your account" in readme

    posts = json.loads(archive.read("posts.json"))
    assert [post["body"] for post in posts] == ["More shade on the cycle lanes, please."]
    rows = list(csv.DictReader(io.StringIO(archive.read("comments.csv").decode())))
    assert [row["body"] for row in rows] == ["Benches with backs, please."]
    (profile,) = json.loads(archive.read("profile.json"))
    assert profile["email"] == "vera@example.org" and profile["bio"] == "Cyclist from the north."
    (case,) = json.loads(archive.read("cases.json"))
    assert case["title"] == "Broken cycle lane sign"
    timeline = json.loads(archive.read("case_timelines.json"))
    assert any(step["text"] == "We will replace it this week." for step in timeline)
    assert json.loads(archive.read("conversation_votes.json"))[0]["value"] == 1
    assert json.loads(archive.read("petition_signatures.json"))[0]["show_name"] is True
    # The newest apps: a poll response, a meeting registration, a ballot, the calm settings.
    for kind in ("poll_responses", "meeting_registrations", "ballots"):
        assert len(json.loads(archive.read(f"{kind}.json"))) == 1, kind
    (calm,) = json.loads(archive.read("calm_settings.json"))
    assert calm["weekly_summary"] is True and calm["time_zone"] == "Europe/Madrid"


def test_nothing_about_the_other_person_beyond_the_name_they_show(world, ready_export):
    client, export, _sent = ready_export
    archive = _archive(client.get(reverse("privacy:download", args=[export.token])))
    everything = "".join(archive.read(name).decode() for name in archive.namelist())
    omar = world.omar
    assert omar.display_name in everything  # the name Omar shows everyone
    for private in (omar.email, omar.handle, "The river walk needs benches."):
        assert private not in everything
    # Omar's comment on Vera's post is his, not hers.
    assert "Agreed, and water fountains." not in everything
    (following,) = json.loads(archive.read("following.json"))
    assert following["followee"] == omar.display_name


@pytest.fixture
def omar_hidden(world):
    world.omar.profile_visibility = "private"
    world.omar.save()


def test_a_hidden_profile_is_named_as_anyone_would_see_it(world, omar_hidden, ready_export):
    client, export, _sent = ready_export
    archive = _archive(client.get(reverse("privacy:download", args=[export.token])))
    (followers,) = json.loads(archive.read("followers.json"))
    assert followers["follower"] == "A resident"
    assert world.omar.display_name not in archive.read("followers.csv").decode()


def test_a_second_request_while_one_is_built_answers_the_first(world):
    first, created = services.request_export(by=world.vera)
    again, created_again = services.request_export(by=world.vera)
    assert created and not created_again and again == first
    client = signed_in(world.vera)
    response = client.post(reverse("privacy:request_export"), follow=True)
    assert "already being prepared" in response.content.decode()
    assert Export.objects.filter(person=world.vera).count() == 1


def test_someone_elses_an_expired_and_a_made_up_link_answer_the_same_404(world, ready_export):
    _client, export, _sent = ready_export
    link = reverse("privacy:download", args=[export.token])
    missing = reverse("privacy:download", args=["no-such-export"])
    other = signed_in(world.omar)
    assert main_part(other.get(link), 404) == main_part(other.get(missing), 404)

    Export.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    owner = signed_in(world.vera)
    assert main_part(owner.get(link), 404) == main_part(owner.get(missing), 404)

    anonymous = owner.__class__().get(link)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_expired_exports_and_their_files_are_deleted(
    world, ready_export, django_capture_on_commit_callbacks
):
    _client, export, _sent = ready_export
    exports = storages["exports"]
    assert exports.exists(export.file_name)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_exports(timezone.now() + timedelta(days=8)) == 1
    assert not exports.exists(export.file_name)
    assert not Export.objects.filter(pk=export.pk).exists()


@pytest.mark.django_db
def test_the_settings_page_offers_the_download_and_the_deletion(client):
    person = UserFactory()
    response = signed_in(person, client).get(reverse("privacy:your_data"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Prepare my data" in page and "Delete my account" in page
    assert reverse("privacy:your_data") in page  # in the settings navigation


def test_the_settings_page_reads_in_a_constant_number_of_queries(world):
    client = signed_in(world.vera)

    def more():
        for _ in range(6):
            Export.objects.create(person=world.vera, state=ExportState.FAILED)
        consent.accept_current(world.vera)

    few, many = assert_constant_queries(
        lambda: client.get(reverse("privacy:your_data")), more, expected=QUERIES_ON_PAGE
    )
    assert main_part(many).count("could not be prepared") == 5


@pytest.mark.django_db
def test_naming_the_people_in_a_chunk_takes_one_query_however_many_they_are(
    django_assert_num_queries,
):
    """Each name is read with the others (a regression made the export of 10,000 follows
    take minutes: a query per name for a field `naming.shown` reads and the chunk left out)."""
    from agora.privacy.services import NAMING_FIELDS, _named
    from agora.social.models import Follow

    vera, others = UserFactory(), UserFactory.create_batch(6)
    Follow.objects.bulk_create(Follow(follower=vera, followee=other) for other in others)
    chunk = [{"followee": other.pk} for other in others]
    with django_assert_num_queries(1):
        named = _named(chunk, {"followee"}, vera, type(vera))
    assert sorted(row["followee"] for row in named) == sorted(other.name for other in others)
    assert "kind" in NAMING_FIELDS and "is_active" in NAMING_FIELDS
