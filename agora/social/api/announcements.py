"""Official information in the JSON API: publishing an office's announcement with its validity,
attachments, service information and urgency, correcting one, and reading one with all of
that. The verbs are the pages' own (`social.announcements`), so the checks are the same."""

from datetime import datetime
from typing import Annotated

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic.json_schema import SkipJsonSchema

from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.core.api.errors import ApiError, error_responses
from agora.core.api.schemas import Input, Said, Text
from agora.directory.models import Area, Office, Topic
from agora.social import announcements, permissions
from agora.social.api.lookups import visible_post
from agora.social.api.schemas import (
    SERVICE_INFORMATION_DESCRIPTION,
    PostOut,
    VisibilityChoice,
)
from agora.social.models import Post, Visibility
from agora.social.models.announcements import CORRECTION_NOTE_MAX_LENGTH
from agora.social.models.posts import POST_MAX_LENGTH

router = Router()


class Place(Schema):
    slug: str
    name: str


class AttachmentOut(Schema):
    url: str = Field(description="Served with the announcement's own access check.")
    name: str
    kind: str = Field(description="pdf or image.")
    alt_text: str
    size: int = Field(description="Bytes.")
    width: int = Field(description="For an image; 0 for a PDF.")
    height: int


class CorrectionOut(Schema):
    previous_body: str = Field(description="The text as it read before this correction.")
    note: str = Field(description="What the correction changed, in the office's words.")
    corrected_at: datetime


class AnnouncementOut(PostOut):
    valid_from: datetime | None
    valid_until: datetime | None
    expired: bool = Field(description="Past its validity: left out of feeds, still readable.")
    urgent_area: Place | None = Field(None, description="For an urgent announcement.")
    urgent_topic: Place | None = Field(None, description="For an urgent announcement.")
    attachments: list[AttachmentOut]
    corrections: list[CorrectionOut] = Field(description="Oldest first; empty until corrected.")

    @staticmethod
    def resolve_expired(post: Post) -> bool:
        return post.valid_until is not None and post.valid_until <= timezone.now()

    @staticmethod
    def resolve_urgent_area(post: Post) -> dict | None:
        area = post.urgent_area
        return {"slug": area.slug, "name": area.name} if area is not None else None

    @staticmethod
    def resolve_urgent_topic(post: Post) -> dict | None:
        topic = post.urgent_topic
        return {"slug": topic.slug, "name": topic.name} if topic is not None else None

    @staticmethod
    def resolve_attachments(post: Post) -> list[dict]:
        return [
            {
                "url": settings.SITE_URL + announcements.attachment_url(item),
                "name": item.name,
                "kind": item.kind,
                "alt_text": item.alt_text,
                "size": item.size,
                "width": item.width,
                "height": item.height,
            }
            for item in post.attachments.all()
        ]

    @staticmethod
    def resolve_corrections(post: Post) -> list[dict]:
        return [
            {"previous_body": c.previous_body, "note": c.note, "corrected_at": c.corrected_at}
            for c in sorted(post.corrections.all(), key=lambda c: (c.corrected_at, c.pk))
        ]


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


class NewAnnouncementForm(Schema):
    """The fields of an announcement sent as multipart/form-data, beside its attachments."""

    office: str = Field(max_length=80, description="The office that speaks (its slug).")
    body: Text = Field("", max_length=POST_MAX_LENGTH, description="Markdown subset, #tag.")
    visibility: VisibilityChoice = Field(
        Visibility.PUBLIC, description="public, or followers (the office's)."
    )
    service_information: bool = Field(False, description=SERVICE_INFORMATION_DESCRIPTION)
    # A form has no null: left out, the field is None, and the schema offers only a date.
    valid_from: datetime | SkipJsonSchema[None] = Field(
        None, description="ISO 8601; shown from then.", json_schema_extra=_no_default
    )
    valid_until: datetime | SkipJsonSchema[None] = Field(
        None,
        description="ISO 8601; after it the announcement leaves the feeds.",
        json_schema_extra=_no_default,
    )
    urgent_area: str = Field(
        "", max_length=80, description="For an urgent announcement: the area's slug."
    )
    urgent_topic: str = Field(
        "", max_length=80, description="For an urgent announcement: the topic's slug."
    )
    alt_text: list[Annotated[Said, Field(max_length=1000)]] = Field(
        default_factory=list,
        description="One text alternative per attachment, in the same order; each required.",
    )


class NewCorrection(Input):
    body: Said = Field(max_length=POST_MAX_LENGTH, description="The corrected text, whole.")
    note: Said = Field(
        max_length=CORRECTION_NOTE_MAX_LENGTH, description="What the correction changes."
    )
    service_information: bool = Field(
        False, description="Mark it service information (never unmarks it)."
    )


def _aware(moment: datetime | None) -> datetime | None:
    """A time without an offset is the authority's local time, as on the page."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def _named(model, slug: str, field: str):
    if not slug:
        return None
    found = model.objects.filter(slug=slug).first()
    if found is None:
        raise ApiError(
            422,
            "invalid",
            _("%(field)s: there is none “%(slug)s”.") % {"field": field, "slug": slug},
        )
    return found


def _may_speak_for(person, office: Office) -> None:
    """403 with the reason: a political account (`account_kind`), or not an official of the
    office now (`not_an_official`)."""
    refusal = permissions.post_as_refusal(person)
    if refusal:
        raise ApiError(403, "account_kind", refusal)
    if not permissions.can_post_as(person, office):
        raise ApiError(
            403, "not_an_official", _("Only the officials of an office can post as the office.")
        )


def _read(post_id: int) -> Post:
    return (
        Post.objects.select_related(
            "author", "office", "urgent_area", "urgent_topic", "election_period"
        )
        .prefetch_related("images", "attachments", "corrections")
        .get(pk=post_id)
    )


@router.post(
    "/announcements",
    response={201: AnnouncementOut, **error_responses(400, 403, 413, 422)},
    summary="Publish an office's announcement",
    description=(
        "multipart/form-data: the fields below, up to four `attachments` (PDF, JPEG, PNG, "
        "WebP or GIF; images re-encoded, PDFs checked) and one `alt_text` per attachment, in "
        "the same order. The checks of the page: a file that is not what it claims, an "
        "attachment without its text alternative, validity that ends before it starts or in "
        "the past answer 422 and publish nothing. With `urgent_area` and `urgent_topic` it "
        "is urgent: only an official of the office the directory makes responsible for that "
        "topic there may send it (403 `not_responsible`), it needs `valid_until`, is public, "
        "audited, and its followers (and those of the areas containing the area) are told at "
        "once. During a pre-election period it must be `service_information` (an urgent one "
        "always is), else 422. A political account never speaks for an office (403 "
        "`account_kind`); someone who is not an official of the office, 403 "
        "`not_an_official`."
    ),
)
def publish_announcement(
    request,
    fields: Form[NewAnnouncementForm],
    attachments: File[list[UploadedFile]] = None,
):
    office = _named(Office, fields.office, "office")
    if office is None:
        raise ApiError(422, "invalid", _("office: name the office that speaks."))
    _may_speak_for(request.auth, office)
    files = attachments or []
    descriptions = list(fields.alt_text)
    if len(descriptions) > len(files):
        raise ApiError(
            422, "invalid", _("attachments: send one text alternative per file, and no more.")
        )
    descriptions += [""] * (len(files) - len(descriptions))
    try:
        post = announcements.publish_announcement(
            by=request.auth,
            office=office,
            body=fields.body,
            visibility=fields.visibility,
            service_information=fields.service_information,
            valid_from=_aware(fields.valid_from),
            valid_until=_aware(fields.valid_until),
            attachments=list(zip(files, descriptions, strict=True)),
            urgent_area=_named(Area, fields.urgent_area, "urgent_area"),
            urgent_topic=_named(Topic, fields.urgent_topic, "urgent_topic"),
        )
    except PermissionDenied as error:
        raise ApiError(403, "not_responsible", str(error)) from None
    return Status(201, _read(post.pk))


def _announcement(request, post_id: int) -> Post:
    post = visible_post(request, post_id)
    if not post.is_announcement:
        raise Http404
    return post


@router.get(
    "/announcements/{post_id}",
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
    response={200: AnnouncementOut, **error_responses(404, 422)},
    summary="An announcement with its validity, attachments and corrections",
    description="Past its validity it is still here, with `expired` true.",
)
def read_announcement(request, post_id: int):
    return _read(_announcement(request, post_id).pk)


@router.post(
    "/announcements/{post_id}/corrections",
    response={201: AnnouncementOut, **error_responses(400, 403, 404, 422)},
    summary="Correct an announcement",
    description=(
        "The only way an announcement changes: the earlier text is kept and shown with the "
        "`note`. For the official who posted it while they still speak for the office (403 "
        "otherwise: `account_kind` for a political account). A correction that changes "
        "nothing, or without a note, is 422 and changes nothing. During a pre-election period "
        "only an announcement of service information is corrected (422 otherwise)."
    ),
)
def correct_announcement(request, post_id: int, correction: NewCorrection):
    post = _announcement(request, post_id)
    refusal = permissions.post_as_refusal(request.auth)
    if refusal:
        raise ApiError(403, "account_kind", refusal)
    if not permissions.can_change_post(request.auth, post):
        raise ApiError(
            403,
            "not_the_author",
            _("Only the official who posted it, while they speak for the office, corrects it."),
        )
    announcements.correct_announcement(
        post,
        by=request.auth,
        body=correction.body,
        note=correction.note,
        service_information=correction.service_information,
    )
    return Status(201, _read(post.pk))
