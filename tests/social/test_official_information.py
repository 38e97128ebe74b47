"""Official information: an announcement's validity, attachments and corrections, and urgent
announcements that reach the followers of an area and a topic at once."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from agora.core.models import AuditEntry
from agora.notifications.models import Delivery, Notification
from agora.notifications.services import set_preference
from agora.social import announcements, notifying, services
from agora.social.models import AreaFollow, Attachment, Correction, Post, TopicFollow, Visibility
from agora.social.tasks import send_urgent_announcement
from tests.directory.factories import AreaFactory
from tests.factories import UserFactory
from tests.helpers import main_part, signed_in
from tests.social.sources_helpers import build_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return build_directory()


def pdf_bytes() -> bytes:
    """The smallest well-formed PDF: one empty page, with its cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def pdf_upload(name="notice.pdf", data=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or pdf_bytes(), content_type="application/pdf")


def png_upload(name="map.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", (60, 40), (200, 30, 30))
    image.save(buffer, format="PNG", pnginfo=_comment("secret location"))
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _comment(text):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    return info


def announce(town, **fields):
    return announcements.publish_announcement(
        by=town.lighting_official, office=town.lighting_office, body="Lamps renewed", **fields
    )


def expire(post):
    Post.objects.filter(pk=post.pk).update(valid_until=timezone.now() - timedelta(minutes=1))


# Validity.


def test_an_expired_announcement_leaves_the_feeds_but_keeps_its_page_marked_expired(town):
    later = timezone.now() + timedelta(days=2)
    post = announce(town, valid_until=later)
    visitor = Client()
    assert "Lamps renewed" in main_part(visitor.get("/latest/"))
    detail = main_part(visitor.get(f"/posts/{post.pk}/"))
    assert "Valid until" in detail and "has expired" not in detail

    expire(post)
    assert "Lamps renewed" not in main_part(visitor.get("/latest/"))
    office_page = main_part(visitor.get(f"/directory/offices/{town.lighting_office.slug}/"))
    assert "Lamps renewed" not in office_page
    detail = main_part(visitor.get(f"/posts/{post.pk}/"))
    assert "Lamps renewed" in detail
    assert "This announcement has expired" in detail


def test_validity_that_ends_before_it_starts_or_in_the_past_is_refused(town):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        announce(town, valid_from=now + timedelta(days=2), valid_until=now + timedelta(days=1))
    assert "must come after its start" in str(error.value)
    with pytest.raises(ValidationError):
        announce(town, valid_until=now - timedelta(hours=1))
    assert not Post.objects.exists()


# Attachments.


def test_attachments_are_checked_stored_and_served_with_the_announcement(town):
    post = announce(
        town,
        attachments=[(pdf_upload(), "Map of the works"), (png_upload(), "Streets without light")],
    )
    pdf, image = post.attachments.order_by("position")
    assert (pdf.kind, pdf.name, pdf.alt_text) == ("pdf", "notice.pdf", "Map of the works")
    assert pdf.file.name.endswith(".pdf") and "notice" not in pdf.file.name
    # The image was re-encoded: its metadata is gone.
    with Image.open(image.file) as stored:
        assert "Comment" not in stored.info

    visitor = Client()
    detail = main_part(visitor.get(f"/posts/{post.pk}/"))
    assert 'alt="Streets without light"' in detail
    assert "notice.pdf" in detail and "Map of the works" in detail
    response = visitor.get(f"/posts/{post.pk}/attachments/{pdf.pk}")
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")


def test_a_followers_only_announcements_attachment_is_hidden_from_others(town):
    post = announce(
        town, visibility=Visibility.FOLLOWERS, attachments=[(pdf_upload(), "The notice")]
    )
    attachment = post.attachments.get()
    url = f"/posts/{post.pk}/attachments/{attachment.pk}"
    assert Client().get(url).status_code == 404
    assert signed_in(UserFactory()).get(url).status_code == 404
    follower = UserFactory()
    services.follow_source(town.lighting_office, by=follower)
    assert signed_in(follower).get(url).status_code == 200
    # An attachment of another announcement is not reachable through this one's address.
    other = announce(town, attachments=[(pdf_upload(), "Other")])
    stray = f"/posts/{other.pk}/attachments/{attachment.pk}"
    assert signed_in(follower).get(stray).status_code == 404


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf_upload("notice.pdf", data=b"just some words, not a PDF at all"), "not what"),
        (lambda: SimpleUploadedFile("map.png", pdf_bytes(), content_type="image/png"), "not what"),
        (lambda: png_upload("notice.pdf"), "not what"),
        (lambda: pdf_upload(data=pdf_bytes()[:60]), "damaged or incomplete"),
        (lambda: SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\nrubbish"), "not an image"),
    ],
    ids=["text-as-pdf", "pdf-as-png", "png-as-pdf", "truncated-pdf", "broken-png"],
)
def test_an_attachment_that_is_not_what_it_claims_is_refused_on_the_page(town, upload, message):
    client = signed_in(town.lighting_official)
    response = client.post(
        "/announcements/new",
        {
            "office": town.lighting_office.pk,
            "body": "Works on Main Street",
            "visibility": "public",
            "attachment_1": upload(),
            "attachment_alt_1": "The notice",
        },
    )
    html = main_part(response)  # a form with errors answers 200
    assert message in html
    assert "Works on Main Street" in html  # what was typed is kept
    assert not Post.objects.exists() and not Attachment.objects.exists()


def test_an_attachment_needs_a_text_alternative(town):
    with pytest.raises(ValidationError) as error:
        announce(town, attachments=[(pdf_upload(), "  ")])
    assert "text alternative" in str(error.value)
    assert not Post.objects.exists()


# Corrections.


def test_a_correction_is_shown_as_one_with_the_earlier_text(town):
    post = announce(town)
    client = signed_in(town.lighting_official)
    assert "What changed" in main_part(client.get(f"/posts/{post.pk}/edit"))
    response = client.post(
        f"/posts/{post.pk}/edit",
        {"body": "Lamps renewed on Main Street", "note": "Named the street"},
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert (correction.previous_body, correction.note) == ("Lamps renewed", "Named the street")
    detail = main_part(Client().get(f"/posts/{post.pk}/"))
    assert "Lamps renewed on Main Street" in detail
    assert "Corrections" in detail and "Named the street" in detail
    assert "Text before this correction" in detail
    assert "corrected" in detail
    entry = AuditEntry.objects.get(action="social.announcement_corrected")
    assert entry.actor == town.lighting_official


def test_a_correction_with_no_change_is_refused_and_changes_nothing(town):
    post = announce(town)
    client = signed_in(town.lighting_official)
    response = client.post(f"/posts/{post.pk}/edit", {"body": "Lamps renewed", "note": "Nothing"})
    html = main_part(response)
    assert "This correction changes nothing" in html
    post.refresh_from_db()
    assert post.edited_at is None and not Correction.objects.exists()


def test_a_correction_must_say_what_changed(town):
    post = announce(town)
    with pytest.raises(ValidationError) as error:
        announcements.correct_announcement(
            post, by=town.lighting_official, body="Lamps renewed today", note=""
        )
    assert "Say what the correction changes" in str(error.value)
    post.refresh_from_db()
    assert post.body == "Lamps renewed"


def test_an_announcement_cannot_be_edited_silently(town):
    post = announce(town)
    with pytest.raises(ValidationError):
        services.edit_post(post, by=town.lighting_official, body="Something else")
    with pytest.raises(PermissionDenied):
        announcements.correct_announcement(
            post, by=town.parks_official, body="Something else", note="Changed"
        )
    post.refresh_from_db()
    assert post.body == "Lamps renewed" and not Correction.objects.exists()


# Urgent announcements.


def urgent_form(town, **fields):
    return {
        "office": town.lighting_office.pk,
        "body": "No street lights tonight in the Old Town",
        "visibility": "public",
        "valid_until": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "urgent": "on",
        "urgent_area": town.district.pk,
        "urgent_topic": town.lighting.pk,
        **fields,
    }


def test_an_official_of_another_office_cannot_send_an_urgent_announcement(town):
    client = signed_in(town.parks_official)
    response = client.post("/announcements/new", urgent_form(town, office=town.parks_office.pk))
    html = main_part(response)
    assert "Only the office responsible for Street lighting in Old Town" in html
    assert "No street lights tonight" in html
    assert not Post.objects.exists()
    assert not AuditEntry.objects.filter(action="social.urgent_announcement").exists()


def test_an_urgent_announcement_reaches_followers_at_once_and_is_pinned_until_it_expires(
    town, run_worker, django_capture_on_commit_callbacks
):
    area_follower, topic_follower, both, city_follower, elsewhere = (
        UserFactory() for _ in range(5)
    )
    services.follow_source(town.district, by=area_follower)
    services.follow_source(town.lighting, by=topic_follower)
    services.follow_source(town.district, by=both)
    services.follow_source(town.lighting, by=both)
    services.follow_source(town.city, by=both)
    # The district lies in the city: the city's followers are told of the district's notice,
    # but not the followers of another district of the same city.
    services.follow_source(town.city, by=city_follower)
    other_district = AreaFactory(slug="new-town", kind="district", parent=town.city)
    services.follow_source(other_district, by=elsewhere)
    set_preference(area_follower, kind=notifying.URGENT_ANNOUNCEMENT, delivery=Delivery.DIGEST)
    set_preference(city_follower, kind=notifying.URGENT_ANNOUNCEMENT, delivery=Delivery.DIGEST)
    client = signed_in(town.lighting_official)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/announcements/new", urgent_form(town))
    post = Post.objects.get()
    assert response["Location"] == f"/posts/{post.pk}/"
    entry = AuditEntry.objects.get(action="social.urgent_announcement")
    assert (entry.actor, entry.data["area"]) == (town.lighting_official, town.district.pk)

    with django_capture_on_commit_callbacks(execute=True):
        run_worker()  # the urgent task, which queues the emails of each batch
    sent = run_worker()
    told = Notification.objects.filter(kind=notifying.URGENT_ANNOUNCEMENT)
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [area_follower.pk, topic_follower.pk, both.pk, city_follower.pk]
    )
    recipients = sorted(address for message in sent for address in message.to)
    assert recipients == sorted(
        [area_follower.email, topic_follower.email, both.email, city_follower.email]
    )
    assert any("No street lights tonight" in message.body for message in sent)

    area_page = main_part(Client().get(f"/directory/areas/{town.district.slug}/"))
    assert "Urgent in Old Town" in area_page and "No street lights tonight" in area_page
    expire(post)
    area_page = main_part(Client().get(f"/directory/areas/{town.district.slug}/"))
    assert "Urgent in Old Town" not in area_page


def test_urgent_announcements_go_out_in_batches_of_constant_queries(town, settings):
    settings.AGORA_URGENT_BATCH = 3
    post = announcements.publish_announcement(
        by=town.lighting_official,
        office=town.lighting_office,
        body="Water cut",
        valid_until=timezone.now() + timedelta(hours=5),
        urgent_area=town.district,
        urgent_topic=town.lighting,
    )

    def measure(followers: int) -> int:
        AreaFollow.objects.all().delete()
        TopicFollow.objects.all().delete()
        Notification.objects.all().delete()
        for number in range(followers):
            # A third each follow the district, the city that contains it and the topic;
            # some follow two, and are told once.
            person = UserFactory()
            source = (town.district, town.city, town.lighting)[number % 3]
            services.follow_source(source, by=person)
            if number % 4 == 0:
                services.follow_source(
                    town.city if source != town.city else town.lighting, by=person
                )
        with CaptureQueriesContext(connection) as queries:
            told = send_urgent_announcement.call(post_id=post.pk)
        assert told == followers
        return len(queries)

    one_batch, two_batches, four_batches = measure(3), measure(6), measure(12)
    assert Notification.objects.count() == 12  # nobody twice
    per_batch = two_batches - one_batch
    assert per_batch > 0
    assert four_batches - two_batches == 2 * per_batch  # the same queries for every batch
    assert len(mail.outbox) == 0  # emails go in their own task, queued per batch


def test_an_urgent_announcement_says_until_when_and_names_area_and_topic(town):
    with pytest.raises(ValidationError) as error:
        announcements.publish_announcement(
            by=town.lighting_official,
            office=town.lighting_office,
            body="Water cut",
            urgent_area=town.district,
            urgent_topic=town.lighting,
        )
    assert "until when" in str(error.value)
    client = signed_in(town.lighting_official)
    html = main_part(client.post("/announcements/new", urgent_form(town, urgent_area="")))
    assert "Choose the area an urgent announcement concerns" in html
    assert not Post.objects.exists()


def test_the_api_refuses_to_edit_an_announcement_silently(town):
    from tests.social.helpers import api_client, send

    post = announce(town)
    response = send(
        api_client(town.lighting_official), "patch", f"/posts/{post.pk}", {"body": "Rewritten"}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert "correction that says what changed" in error["message"]
    post.refresh_from_db()
    assert post.body == "Lamps renewed" and post.edited_at is None


def test_deleting_an_announcement_deletes_its_files(town, django_capture_on_commit_callbacks):
    post = announce(town, attachments=[(pdf_upload(), "The notice")])
    stored = post.attachments.get().file
    assert stored.storage.exists(stored.name)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_post(post, by=town.lighting_official)
    assert not stored.storage.exists(stored.name)
    assert not Attachment.objects.exists()


# The API: the same verbs and checks as the pages.


def _api(person):
    from tests.social.helpers import api_client

    return api_client(person)


def test_the_api_publishes_an_announcement_with_validity_attachments_and_service_information(
    town, django_assert_num_queries
):
    until = timezone.now() + timedelta(days=3)
    response = _api(town.lighting_official).post(
        "/api/v1/announcements",
        {
            "office": town.lighting_office.slug,
            "body": "New lamps on the bridge",
            "service_information": "true",
            "valid_until": until.isoformat(),
            "attachments": [pdf_upload(), png_upload()],
            "alt_text": ["The works notice", "Map of the bridge"],
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    post = Post.objects.get()
    assert data["id"] == post.pk and data["office"]["slug"] == "public-lighting"
    assert data["service_information"] and not data["expired"]
    assert data["valid_until"] is not None and data["corrections"] == []
    assert [a["kind"] for a in data["attachments"]] == ["pdf", "image"]
    assert data["attachments"][1]["alt_text"] == "Map of the bridge"
    assert post.valid_until == until.replace(microsecond=until.microsecond)

    reader = Client()
    # The caller's throttle, the post and whether it may be read, then the announcement with
    # its images, attachments and corrections: the same however many there are.
    with django_assert_num_queries(7):
        read = reader.get(f"/api/v1/announcements/{post.pk}")
    assert read.status_code == 200 and read.json()["attachments"][0]["name"] == "notice.pdf"
    own = services.create_post(by=town.parks_official, body="Mine")
    assert reader.get(f"/api/v1/announcements/{own.pk}").status_code == 404


def test_the_api_refuses_what_the_page_refuses_and_publishes_nothing(town):
    official = _api(town.lighting_official)
    bad_file = SimpleUploadedFile("notice.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    cases = [
        (
            official,
            {
                "office": town.lighting_office.slug,
                "body": "x",
                "attachments": [bad_file],
                "alt_text": ["The notice"],
            },
            422,
            "not what it claims to be",
        ),
        (
            official,
            {"office": town.lighting_office.slug, "body": "x", "attachments": [pdf_upload()]},
            422,
            "text alternative",
        ),
        (
            _api(town.parks_official),
            {"office": town.lighting_office.slug, "body": "x"},
            403,
            "Only the officials of an office",
        ),
        (
            _api(town.parks_official),
            {
                "office": town.parks_office.slug,
                "body": "No lights",
                "valid_until": (timezone.now() + timedelta(hours=3)).isoformat(),
                "urgent_area": town.district.slug,
                "urgent_topic": town.lighting.slug,
            },
            403,
            "Only the office responsible for Street lighting in Old Town",
        ),
        (official, {"office": "nowhere", "body": "x"}, 422, "nowhere"),
    ]
    for client, fields, status, message in cases:
        response = client.post("/api/v1/announcements", fields)
        assert response.status_code == status, (fields, response.content)
        assert message in response.json()["error"]["message"]
    assert not Post.objects.exists() and not Attachment.objects.exists()


def test_the_api_sends_an_urgent_announcement(town, django_capture_on_commit_callbacks):
    follower = UserFactory()
    services.follow_source(town.city, by=follower)
    with django_capture_on_commit_callbacks() as callbacks:
        response = _api(town.lighting_official).post(
            "/api/v1/announcements",
            {
                "office": town.lighting_office.slug,
                "body": "No street lights tonight",
                "valid_until": (timezone.now() + timedelta(hours=6)).isoformat(),
                "urgent_area": town.district.slug,
                "urgent_topic": town.lighting.slug,
            },
        )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["urgent_area"]["slug"] == "old-town" and data["service_information"]
    assert AuditEntry.objects.filter(action="social.urgent_announcement").count() == 1
    assert len(callbacks) >= 1  # the worker's task, queued on commit


def test_the_api_corrects_an_announcement_and_refuses_a_correction_with_no_change(town):
    post = announce(town)
    official = _api(town.lighting_official)
    url = f"/api/v1/announcements/{post.pk}/corrections"
    from tests.social.helpers import send

    same = send(official, "post", url[len("/api/v1") :], {"body": "Lamps renewed", "note": "x"})
    assert same.status_code == 422
    assert same.json()["error"]["code"] == "invalid"
    assert "This correction changes nothing" in same.json()["error"]["message"]
    other = send(
        _api(town.parks_official), "post", url[len("/api/v1") :], {"body": "Hacked", "note": "x"}
    )
    assert other.status_code == 403 and other.json()["error"]["code"] == "not_the_author"
    assert not Correction.objects.exists()

    done = send(
        official,
        "post",
        url[len("/api/v1") :],
        {"body": "Lamps renewed on Main Street", "note": "Where"},
    )
    assert done.status_code == 201
    corrections = done.json()["corrections"]
    assert corrections == [
        {
            "previous_body": "Lamps renewed",
            "note": "Where",
            "corrected_at": corrections[0]["corrected_at"],
        }
    ]
    assert done.json()["body"] == "Lamps renewed on Main Street"


def test_an_announcement_sent_again_with_its_idempotency_key_is_published_once(town):
    from tests.api.idempotent import assert_idempotent

    fields = {
        "office": town.lighting_office.slug,
        "body": "The bridge is closed tonight",
        "valid_until": (timezone.now() + timedelta(days=1)).isoformat(),
    }
    assert_idempotent(
        _api(town.lighting_official),
        "/api/v1/announcements",
        fields,
        {**fields, "body": "Another notice"},
        count=Post.objects.count,
    )
