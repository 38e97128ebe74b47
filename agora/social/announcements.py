"""Official information: the verbs that publish, correct and pin an office's announcements,
and the checks on what goes with them (validity dates, attachments that are what they claim).
An announcement is a `Post` with an `office` (`services.create_post` makes it); this module
adds what makes it information a resident can rely on."""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.elections import period_at
from agora.core import audit
from agora.core.images import reencode_image
from agora.core.text import render_markdown
from agora.directory.models import Area, Office, Topic
from agora.directory.routing import responsible_office
from agora.social import permissions, services
from agora.social.models import Attachment, AttachmentKind, Correction, Post, Visibility
from agora.social.models.announcements import CORRECTION_NOTE_MAX_LENGTH, MAX_ATTACHMENTS
from agora.social.models.posts import POST_MAX_LENGTH

IMAGE_MAX_SIDE = 2048
PDF_MAX_BYTES = 10 * 1024 * 1024

# What a file's first bytes say it is. A PDF starts with its version line; an image with its
# format's signature (re-encoded by Pillow afterwards, which proves the rest).
PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
PDF_NAMES = (".pdf",)
IMAGE_NAMES = (".png", ".jpg", ".jpeg", ".gif", ".webp")


@dataclass
class CheckedAttachment:
    file: ContentFile
    kind: str
    name: str
    alt_text: str
    width: int = 0
    height: int = 0


def _sniff(head: bytes) -> str:
    if PDF_HEADER.match(head):
        return AttachmentKind.PDF
    if head.startswith(IMAGE_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return AttachmentKind.IMAGE
    return ""


def _claimed(upload) -> str:
    """What the upload says it is, by its name and declared type."""
    name = (getattr(upload, "name", "") or "").lower()
    content_type = (getattr(upload, "content_type", "") or "").lower()
    if name.endswith(PDF_NAMES) or content_type == "application/pdf":
        return AttachmentKind.PDF
    if name.endswith(IMAGE_NAMES) or content_type.startswith("image/"):
        return AttachmentKind.IMAGE
    return ""


def _check_pdf(data: bytes) -> None:
    """A PDF's structure, read without running anything in it: the version line first, an
    end-of-file marker near the end, a cross-reference (table or stream) and a catalogue."""
    tail = data[-2048:]
    if (
        not PDF_HEADER.match(data[:16])
        or b"%%EOF" not in tail
        or b"startxref" not in tail
        or (b"xref" not in data and b"/XRef" not in data)
        or b"/Catalog" not in data
    ):
        raise ValidationError(
            {"attachments": _("This PDF is damaged or incomplete. Export it again and retry.")}
        )


def check_attachment(upload, alt_text: str) -> CheckedAttachment:
    """One upload checked for what it claims to be: an image re-encoded by Pillow (no
    metadata), a PDF checked by its header and structure. Anything else is refused with a
    message naming the file."""
    alt_text = (alt_text or "").strip()
    name = (getattr(upload, "name", "") or "file")[-200:]
    if not alt_text:
        raise ValidationError(
            {
                "attachments": _("Give “%(name)s” a text alternative: what it says or shows.")
                % {"name": name}
            }
        )
    if "\x00" in alt_text or "\x00" in name:
        raise ValidationError({"attachments": _("Text cannot contain NUL characters.")})
    if len(alt_text) > 1000:
        raise ValidationError(
            {"attachments": _("Keep each text alternative under 1,000 characters.")}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind, claimed = _sniff(head), _claimed(upload)
    if not kind or kind != claimed:
        raise ValidationError(
            {
                "attachments": _(
                    "“%(name)s” is not what it claims to be. Attach a PDF document or a "
                    "JPEG, PNG, WebP or GIF image."
                )
                % {"name": name}
            }
        )
    if kind == AttachmentKind.IMAGE:
        try:
            clean = reencode_image(
                upload, max_bytes=settings.AGORA_AVATAR_MAX_BYTES, max_side=IMAGE_MAX_SIDE
            )
        except ValidationError as error:
            raise ValidationError({"attachments": error.messages}) from None
        return CheckedAttachment(
            clean.file, kind, name, alt_text, width=clean.width, height=clean.height
        )
    if upload.size > PDF_MAX_BYTES:
        raise ValidationError(
            {
                "attachments": _("The PDF is too large. Choose a file under %(megabytes)d MB.")
                % {"megabytes": PDF_MAX_BYTES // (1024 * 1024)}
            }
        )
    data = upload.read()
    upload.seek(0)
    _check_pdf(data)
    return CheckedAttachment(
        ContentFile(data, name=f"{secrets.token_hex(16)}.pdf"), kind, name, alt_text
    )


def check_attachments(pairs: list[tuple[object, str]]) -> list[CheckedAttachment]:
    if len(pairs) > MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "attachments": _("An announcement can have at most %(count)d attachments.")
                % {"count": MAX_ATTACHMENTS}
            }
        )
    return [check_attachment(upload, alt_text) for upload, alt_text in pairs]


def check_validity(valid_from: datetime | None, valid_until: datetime | None) -> None:
    if valid_from and valid_until and valid_until <= valid_from:
        raise ValidationError({"valid_until": _("The end of validity must come after its start.")})
    if valid_until and valid_until <= timezone.now():
        raise ValidationError({"valid_until": _("The end of validity must be in the future.")})


def can_send_urgent(person, office: Office, *, topic: Topic, area: Area) -> bool:
    """Whether the person may send an urgent announcement about `topic` in `area` for
    `office`: they speak for the office now, and the directory names that office as the one
    responsible for the topic there."""
    return permissions.can_post_as(person, office) and (responsible_office(topic, area) == office)


@transaction.atomic
def publish_announcement(
    *,
    by,
    office: Office,
    body: str,
    visibility: str = Visibility.PUBLIC,
    service_information: bool = False,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    attachments: list[tuple[object, str]] | None = None,
    urgent_area: Area | None = None,
    urgent_topic: Topic | None = None,
) -> Post:
    """Publish an office's announcement with its validity and attachments. With an area and
    a topic it is urgent: only an official of the office responsible for that topic in that
    area may send it; it must say until when it holds; it is audited, and its followers are
    told at once by the worker (`tasks.send_urgent_announcement`). During a pre-election
    period only `service_information` may be published (an urgent one always is). Nothing is
    saved when anything is wrong."""
    if refusal := permissions.post_as_refusal(by):
        raise PermissionDenied(refusal)
    urgent = urgent_area is not None or urgent_topic is not None
    if urgent:
        if urgent_area is None or urgent_topic is None:
            raise ValidationError(
                {"urgent_area": _("An urgent announcement names both an area and a topic.")}
            )
        if not can_send_urgent(by, office, topic=urgent_topic, area=urgent_area):
            raise PermissionDenied(
                _(
                    "Only the office responsible for %(topic)s in %(area)s can send an "
                    "urgent announcement about it."
                )
                % {"topic": urgent_topic.name, "area": urgent_area.name}
            )
        if valid_until is None:
            raise ValidationError(
                {"valid_until": _("Say until when an urgent announcement holds.")}
            )
        if visibility != Visibility.PUBLIC:
            raise ValidationError({"visibility": _("An urgent announcement is for everyone.")})
    check_validity(valid_from, valid_until)
    checked = check_attachments(attachments or [])
    # An urgent announcement (an outage, a closure) is service information by nature, also
    # during a pre-election period.
    post = services.create_post(
        by=by,
        body=body,
        visibility=visibility,
        office=office,
        service_information=service_information or urgent,
    )
    post.valid_from, post.valid_until = valid_from, valid_until
    post.urgent_area, post.urgent_topic = urgent_area, urgent_topic
    post.save(update_fields=["valid_from", "valid_until", "urgent_area", "urgent_topic"])
    for position, item in enumerate(checked):
        attachment = Attachment(
            post=post,
            kind=item.kind,
            name=item.name,
            alt_text=item.alt_text,
            size=item.file.size,
            width=item.width,
            height=item.height,
            position=position,
        )
        attachment.file.save(item.file.name, item.file, save=False)
        attachment.save()
    if urgent:
        audit.record(
            "social.urgent_announcement",
            post,
            actor=by,
            office=office.pk,
            area=urgent_area.pk,
            topic=urgent_topic.pk,
            valid_until=valid_until.isoformat(),
        )
        from agora.social.tasks import send_urgent_announcement

        transaction.on_commit(lambda: send_urgent_announcement.enqueue(post_id=post.pk))
    return post


@transaction.atomic
def correct_announcement(
    post: Post, *, by, body: str, note: str, service_information: bool = False
) -> Correction:
    """Correct a published announcement: the earlier text is kept as a `Correction` with what
    changed, and the announcement shows it was corrected. A correction that changes nothing,
    or that does not say what it changes, is refused. A correction is the office writing:
    during a pre-election period the announcement must be service information (marked before,
    or now with `service_information`)."""
    if not post.is_announcement:
        raise ValidationError(_("Only an announcement is corrected; edit a post instead."))
    if refusal := permissions.post_as_refusal(by):
        raise PermissionDenied(refusal)
    if not permissions.can_change_post(by, post):
        raise PermissionDenied(_("Only an official of the office can correct its announcement."))
    body = (body or "").strip()
    note = (note or "").strip()
    if not body:
        raise ValidationError({"body": _("An announcement cannot be corrected into nothing.")})
    if len(body) > POST_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("Use at most %(limit)d characters; this has %(count)d.")
                % {"limit": POST_MAX_LENGTH, "count": len(body)}
            }
        )
    if "\x00" in body or "\x00" in note:
        raise ValidationError({"body": _("Text cannot contain NUL characters.")})
    if body == post.body:
        raise ValidationError(
            {"body": _("This correction changes nothing. Change the text, or cancel.")}
        )
    if not note:
        raise ValidationError({"note": _("Say what the correction changes.")})
    if len(note) > CORRECTION_NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": _("Keep what changed under %(limit)d characters.")
                % {"limit": CORRECTION_NOTE_MAX_LENGTH}
            }
        )
    marked = post.service_information or service_information
    period = period_at()
    if period is not None and not marked:
        raise ValidationError(
            {
                "service_information": _(
                    "During the pre-election period (%(period)s) an office corrects only "
                    "service information. Tick “Service information” if the announcement is "
                    "that."
                )
                % {"period": period.label}
            }
        )
    correction = Correction.objects.create(
        post=post, previous_body=post.body, note=note, corrected_by=by
    )
    post.body = body
    post.body_html = render_markdown(body)
    post.edited_at = correction.corrected_at
    post.service_information = marked
    post.save(update_fields=["body", "body_html", "edited_at", "service_information"])
    services.retag(post)
    audit.record("social.announcement_corrected", post, actor=by, note=note)
    return correction


def pinned_on_area(viewer, area: Area) -> QuerySet:
    """The urgent announcements about the area still in force, newest first, with their
    office: one query (index social_post_urgent_area)."""
    posts = Post.objects.filter(urgent_area=area, valid_until__gt=timezone.now())
    return (
        permissions.visible_posts(viewer, posts)
        .select_related("office", "urgent_topic")
        .order_by("-created_at", "-id")
    )


def attachment_url(attachment: Attachment) -> str:
    return reverse("social:attachment", args=[attachment.post_id, attachment.pk])
