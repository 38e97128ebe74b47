"""Every change to processes goes through these verbs: create or change a process and its
phases, post news about it, and announce the phases that started. Each runs in a transaction
and writes the audit log; notifications leave after commit (notifications' own tasks)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.core import audit
from agora.core.images import reencode_image
from agora.core.text import render_markdown
from agora.notifications.services import notify_many
from agora.processes import notifying
from agora.processes.models import Phase, PhaseKind, Process, ProcessPost
from agora.processes.models.process import IMAGE_MAX_SIDE
from agora.processes.permissions import can_create_process, can_manage_process, offices_managed_by
from agora.social.services import create_post

RESERVED_SLUGS = {"new"}  # the address of the creation form

#: What a process's own fields may be set to by `create_process` and `change_process`.
PROCESS_FIELDS = (
    "title_en",
    "title_es",
    "description_en",
    "description_es",
    "image_alt_en",
    "image_alt_es",
    "office",
    "participation",
    "minimum_age",
    "is_published",
)


@dataclass(frozen=True)
class PhaseInput:
    """A phase as a form or the API sends it; `id` names an existing phase to keep."""

    kind: str
    starts_at: datetime
    ends_at: datetime | None = None
    title_en: str = ""
    title_es: str = ""
    id: int | None = None


def check_phases(phases: list[PhaseInput], *, published: bool) -> None:
    """Phases run forwards and never overlap, and only the last may be open-ended; a
    published process has at least one. Raises a ValidationError whose messages name the
    phases by their place in the list as given (first, second...), so a form or an API client
    knows which one to mend."""
    problems = []
    if published and not phases:
        problems.append(_("A published process needs at least one phase."))
    for number, phase in enumerate(phases, start=1):
        if phase.kind not in PhaseKind.values:
            problems.append(_("Phase %(number)d: choose its kind.") % {"number": number})
        if phase.ends_at is not None and phase.ends_at <= phase.starts_at:
            problems.append(
                _("Phase %(number)d ends before it starts: its end must come after its start.")
                % {"number": number}
            )
    numbered = sorted(enumerate(phases, start=1), key=lambda item: item[1].starts_at)
    for (before_number, before), (number, phase) in zip(numbered, numbered[1:], strict=False):
        if before.ends_at is None:
            problems.append(
                _("Only the last phase may have no end; phase %(number)d has none.")
                % {"number": before_number}
            )
        elif phase.starts_at < before.ends_at:
            problems.append(
                _(
                    "Phases %(first)d and %(second)d overlap: phase %(second)d starts before "
                    "phase %(first)d ends."
                )
                % {"first": before_number, "second": number}
            )
    if problems:
        raise ValidationError(problems, code="phases")


def _check_fields(fields: dict, *, by) -> None:
    unknown = set(fields) - set(PROCESS_FIELDS)
    if unknown:
        raise ValueError(f"Unknown process fields: {sorted(unknown)}")
    office = fields.get("office")
    if office is not None and office not in offices_managed_by(by):
        raise PermissionDenied(_("You can only run processes for offices you act for."))
    if not (fields.get("title_en") or "").strip():
        raise ValidationError({"title_en": _("Give the process a title in English.")})


def _apply_image(process: Process, image, remove_image: bool) -> None:
    if image is not None:
        if not process.image_alt_en.strip():
            raise ValidationError(
                {"image_alt_en": _("Describe what the image shows, for people who cannot see it.")}
            )
        clean = reencode_image(
            image, max_bytes=settings.AGORA_AVATAR_MAX_BYTES, max_side=IMAGE_MAX_SIDE
        )
        process.image.save(clean.file.name, clean.file, save=False)
    elif remove_image:
        process.image = ""
    if not process.image:
        process.image_alt_en = process.image_alt_es = ""


def _render(process: Process) -> None:
    process.description_html_en = render_markdown(process.description_en)
    process.description_html_es = render_markdown(process.description_es)


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70].strip("-") or "process"
    if base in RESERVED_SLUGS:
        base = f"{base}-process"
    slug, number = base, 2
    while Process.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _save_phases(process: Process, phases: list[PhaseInput], now: datetime) -> None:
    """Keep the phases named by id (a phase moved to a later start is announced again when
    it starts), add the new ones, delete the rest; then the process's first start and last
    end."""
    existing = {phase.pk: phase for phase in process.phases.all()}
    kept = []
    for given in phases:
        phase = existing.get(given.id) if given.id else None
        if phase is None:
            phase = Phase(process=process)
        elif phase.starts_at != given.starts_at and given.starts_at > now:
            phase.announced_at = None
        phase.kind = given.kind
        phase.title_en, phase.title_es = given.title_en, given.title_es
        phase.starts_at, phase.ends_at = given.starts_at, given.ends_at
        phase.save()
        kept.append(phase.pk)
    process.phases.exclude(pk__in=kept).delete()
    process.starts_at = min((given.starts_at for given in phases), default=None)
    ends = [given.ends_at for given in phases]
    process.ends_at = None if not ends or None in ends else max(ends)


@transaction.atomic
def create_process(
    *,
    by: User,
    phases: list[PhaseInput],
    areas: Iterable = (),
    topics: Iterable = (),
    image=None,
    slug: str = "",
    **fields,
) -> Process:
    """A new process for an office the person acts for (any office, for an administrator),
    with its phases. Nothing is saved when anything is wrong."""
    if not can_create_process(by):
        raise PermissionDenied(_("Only administrators and officials can create processes."))
    _check_fields(fields, by=by)
    check_phases(phases, published=bool(fields.get("is_published")))
    now = timezone.now()
    process = Process(created_by=by, created_at=now, updated_at=now, **fields)
    process.slug = slug or _unique_slug(process.title_en)
    _render(process)
    _apply_image(process, image, remove_image=False)
    process.full_clean(exclude=["image", "slug"] if not slug else ["image"])
    process.save()
    process.areas.set(areas)
    process.topics.set(topics)
    _save_phases(process, phases, now)
    process.save(update_fields=["starts_at", "ends_at"])
    audit.record("process.created", process, actor=by, title=process.title_en)
    return process


@transaction.atomic
def change_process(
    process: Process,
    *,
    by: User,
    phases: list[PhaseInput],
    areas: Iterable = (),
    topics: Iterable = (),
    image=None,
    remove_image: bool = False,
    **fields,
) -> Process:
    """Change a process and replace its list of phases (phases named by id are kept, with
    whether they were announced). Only those who may manage it, before and after."""
    if not can_manage_process(by, process):
        raise PermissionDenied(_("Only the responsible office and administrators can change it."))
    _check_fields(fields, by=by)
    check_phases(phases, published=bool(fields.get("is_published", process.is_published)))
    now = timezone.now()
    for name, value in fields.items():
        setattr(process, name, value)
    process.updated_at = now
    _render(process)
    _apply_image(process, image, remove_image=remove_image)
    process.full_clean(exclude=["image"])
    _save_phases(process, phases, now)
    process.save()
    process.areas.set(areas)
    process.topics.set(topics)
    audit.record("process.changed", process, actor=by, title=process.title_en)
    return process


@transaction.atomic
def post_process_news(process: Process, *, by: User, body: str):
    """An announcement of the responsible office about the process: a post of the office
    (social's rules: only its officials, its length and rate limits), linked to the process
    so that its followers find it in their home feed."""
    post = create_post(by=by, body=body, office=process.office)
    ProcessPost.objects.create(process=process, post=post)
    return post


def phases_due(now: datetime):
    """Phases of published processes running now whose start was not yet announced."""
    return (
        Phase.objects.filter(
            announced_at__isnull=True, starts_at__lte=now, process__is_published=True
        )
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .select_related("process", "process__office")
        .order_by("starts_at", "pk")
    )


def announce_started_phases(*, now: datetime | None = None) -> int:
    """Tell the followers of each process whose phase has started, once per phase: each
    phase is claimed with a conditional update before anyone is told, so two runs (or two
    workers) never announce it twice. Answers how many phases were announced."""
    now = now or timezone.now()
    announced = 0
    for phase in phases_due(now):
        with transaction.atomic():
            claimed = Phase.objects.filter(pk=phase.pk, announced_at__isnull=True).update(
                announced_at=now
            )
            if not claimed:
                continue
            _tell_followers(phase)
            audit.record("process.phase_started", phase.process, phase=phase.kind)
            announced += 1
    return announced


def _tell_followers(phase: Phase) -> None:
    """One notification per follower, naming the process in the follower's language."""
    process = phase.process
    followers = User.objects.filter(process_follows__process=process)
    spanish = Q(preferred_language__startswith="es")
    for people, title in (
        (followers.filter(spanish), process.title_es or process.title_en),
        (followers.exclude(spanish), process.title_en),
    ):
        notify_many(
            people,
            kind=notifying.PHASE_STARTED,
            office=process.office,
            event=phase.kind,
            subject=title,
            target=process,
            url=process.get_absolute_url(),
        )
