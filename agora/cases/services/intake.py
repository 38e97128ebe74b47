"""How a case comes in: a resident's own, one from an Open311 application, one an official
records for a resident at a desk, on the phone or from a letter, and the resident claiming it."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.cases.models import Case, Channel, EventKind, ServiceLevel
from agora.cases.models.case import (
    ASSISTED_CHANNELS,
    PHOTO_MAX_SIDE,
    is_media_url,
    new_reference,
)
from agora.cases.permissions import is_any_official
from agora.cases.services.errors import (
    CaseError,
    InvalidClaimCode,
    InvalidPhoto,
    MissingText,
    NotRoutable,
    require,
)
from agora.cases.services.followers import add_follower
from agora.cases.services.timeline import add_event
from agora.core import audit
from agora.core.images import reencode_image
from agora.directory.geo import area_at
from agora.directory.models import Area, Office, Topic
from agora.directory.routing import place_named_in, responsible_office


@dataclass(frozen=True)
class AssistedEntry:
    case: Case
    claim_code: str


def _clean_photo(photo, photo_alt: str):
    """The upload re-encoded by Pillow (no metadata, at most PHOTO_MAX_SIDE), which must come
    with a description for people who cannot see it."""
    if photo is None:
        return None
    if not photo_alt.strip():
        raise MissingText(_("Describe what the photo shows, for people who cannot see it."))
    try:
        return reencode_image(
            photo, max_bytes=settings.AGORA_AVATAR_MAX_BYTES, max_side=PHOTO_MAX_SIDE
        ).file
    except ValidationError as error:
        raise InvalidPhoto(" ".join(error.messages)) from error


def where_it_goes(
    *, topic: Topic, area: Area | None, words: str, longitude=None, latitude=None
) -> tuple[Area | None, Office]:
    """The place a case is about and the one office that receives it; NotRoutable when no
    office is responsible. The area chosen counts first, then the point on the map, then, as
    "Who handles this?" does, a place named in the words, so the office that answer names is
    the office that receives it."""
    if area is None and longitude is not None and latitude is not None:
        area = area_at(longitude, latitude)
    if area is None:
        area = place_named_in(words)
    office = responsible_office(topic, area)
    if office is None:
        raise NotRoutable(_("No office is responsible for this topic here yet."))
    return area, office


def _open_case(
    *,
    by,
    kind: str,
    title: str,
    description: str,
    topic: Topic,
    area: Area | None,
    is_public: bool,
    longitude: float | None,
    latitude: float | None,
    address: str,
    channel: str,
    submitted_by,
    photo=None,
    photo_alt: str = "",
    media_url: str = "",
) -> Case:
    clean_photo = _clean_photo(photo, photo_alt)
    area, office = where_it_goes(
        topic=topic,
        area=area,
        words=f"{title}\n{description}\n{address}",
        longitude=longitude,
        latitude=latitude,
    )
    now = timezone.now()
    acknowledge_due_at, answer_due_at = ServiceLevel.promise_of(office, now).due_dates(now)
    case = _create_with_a_free_reference(
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        topic=topic,
        area=area,
        longitude=longitude,
        latitude=latitude,
        address=address.strip(),
        photo=clean_photo or "",
        photo_alt=photo_alt.strip() if clean_photo else "",
        media_url=media_url,
        is_public=is_public,
        submitted_by=submitted_by,
        channel=channel,
        office=office,
        acknowledge_due_at=acknowledge_due_at,
        answer_due_at=answer_due_at,
        created_at=now,
        updated_at=now,
    )
    if submitted_by is not None:
        add_follower(case, submitted_by)
    add_event(case, EventKind.SUBMITTED, by)
    add_event(case, EventKind.ROUTED, to_office=office)
    return case


def _create_with_a_free_reference(**fields) -> Case:
    """The case, saved with a new reference; in the rare event that the reference is taken
    already, with another."""
    for attempt in range(3):
        reference = new_reference()
        try:
            with transaction.atomic():
                return Case.objects.create(reference=reference, **fields)
        except IntegrityError:
            if attempt == 2 or not Case.objects.filter(reference=reference).exists():
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def submit_case(
    *,
    by,
    kind: str,
    title: str,
    description: str,
    topic: Topic,
    area: Area | None = None,
    is_public: bool = True,
    longitude: float | None = None,
    latitude: float | None = None,
    address: str = "",
    photo=None,
    photo_alt: str = "",
) -> Case:
    """A resident's own question or report, routed at once to the one responsible office."""
    require(by.is_authenticated)
    case = _open_case(
        by=by,
        kind=kind,
        title=title,
        description=description,
        topic=topic,
        area=area,
        is_public=is_public,
        longitude=longitude,
        latitude=latitude,
        address=address,
        channel=Channel.WEB,
        submitted_by=by,
        photo=photo,
        photo_alt=photo_alt,
    )
    audit.record("cases.submitted", case, actor=by, office=case.office.slug)
    return case


@transaction.atomic
def submit_open311_request(
    *,
    application: str,
    title: str,
    description: str,
    topic: Topic,
    longitude: float | None,
    latitude: float | None,
    address: str = "",
    media_url: str = "",
) -> Case:
    """A public report from an Open311 application (authenticated by its API key). A
    `media_url` is kept as a link to the application's photo: Agora never fetches it."""
    media_url = (media_url or "").strip()
    if media_url and not is_media_url(media_url):
        raise CaseError(
            _("media_url must be an http or https address of at most 500 characters."),
            code="invalid_media_url",
        )
    case = _open_case(
        by=None,
        kind="report",
        title=title,
        description=description,
        topic=topic,
        area=None,
        is_public=True,
        longitude=longitude,
        latitude=latitude,
        address=address,
        channel=Channel.OPEN311,
        submitted_by=None,
        media_url=media_url,
    )
    audit.record("cases.submitted", case, office=case.office.slug, application=application)
    return case


@transaction.atomic
def record_case_on_behalf(
    *,
    by,
    channel: str,
    kind: str,
    title: str,
    description: str,
    topic: Topic,
    area: Area | None = None,
    is_public: bool = False,
    address: str = "",
) -> AssistedEntry:
    """An official records what a resident said at a desk, on the phone or in a letter. The
    resident gets a code to claim the case as theirs later."""
    require(is_any_official(by))
    if channel not in ASSISTED_CHANNELS:
        raise CaseError(_("Choose the desk, phone or letter."), code="invalid_channel")
    case = _open_case(
        by=by,
        kind=kind,
        title=title,
        description=description,
        topic=topic,
        area=area,
        is_public=is_public,
        longitude=None,
        latitude=None,
        address=address,
        channel=channel,
        submitted_by=None,
    )
    code = Case.new_claim_code()
    case.claim_code_hash = Case.hash_claim_code(code)
    case.save(update_fields=["claim_code_hash"])
    audit.record("cases.recorded", case, actor=by, office=case.office.slug, channel=channel)
    return AssistedEntry(case=case, claim_code=code)


@transaction.atomic
def claim_case(code: str, *, user) -> Case:
    """The resident a case was recorded for makes it theirs with the code they were given."""
    require(user.is_authenticated)
    code_hash = Case.hash_claim_code(code or "")
    case = Case.objects.filter(claim_code_hash=code_hash, submitted_by__isnull=True).first()
    claimed = case is not None and Case.objects.filter(
        pk=case.pk, claim_code_hash=code_hash, submitted_by__isnull=True
    ).update(submitted_by=user, claim_code_hash="", updated_at=timezone.now())
    if not claimed:
        raise InvalidClaimCode(_("This code does not match any case waiting to be claimed."))
    case.submitted_by, case.claim_code_hash = user, ""
    add_follower(case, user)
    add_event(case, EventKind.CLAIMED, user)
    audit.record("cases.claimed", case, actor=user)
    return case
