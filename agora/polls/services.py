"""The changes to a poll: a person responding (one response per person, or per browser for a
visitor, held by the database's unique constraints: a second, even at the same moment, is
refused, not stored), and the staff building it (its settings, sections and questions)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from agora.core import audit
from agora.core.ratelimit import Rate, RateLimited, network_of
from agora.core.refusals import Refused
from agora.polls import answers as reader
from agora.polls.models import (
    CHOICE_KINDS,
    Answer,
    Option,
    Poll,
    Question,
    QuestionKind,
    Response,
    Section,
)
from agora.polls.permissions import can_respond
from agora.processes.models import Process
from agora.processes.permissions import can_manage_process


def already_answered() -> Refused:
    return Refused(
        _("You have already answered this poll; each person answers once."),
        code="already_answered",
        status=409,
    )


def respond_to_poll(
    poll: Poll, *, by, reading: reader.Reading, browser_key: str = "", address: str = ""
) -> Response:
    """Store a response read by `answers.read` (without errors). `by` is the person, or an
    anonymous user with the browser's key for a poll open to visitors."""
    decision = can_respond(by, poll)
    if not decision:
        raise Refused(decision.message, code=decision.reason)
    if reading.errors:
        raise ValueError("a reading with errors is not a response")
    signed_in = by.is_authenticated
    if not signed_in:
        if not browser_key:
            raise Refused(_("Your browser must accept cookies to answer."), code="no_cookie")
        rate = Rate.parse(settings.AGORA_POLL_VISITOR_RATE)
        wait = rate.hit("poll-visitor", network_of(address)) if rate else None
        if wait is not None:
            raise RateLimited(wait)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                poll=poll,
                respondent=by if signed_in else None,
                browser_key="" if signed_in else browser_key,
            )
            Answer.objects.bulk_create(
                Answer(response=response, **answer) for answer in reading.answers
            )
    except IntegrityError as error:
        raise already_answered() from error
    return response


# Building a poll: the staff's changes ---------------------------------------------------------
#
# The process's managers create a poll and change it; they add, change, reorder and remove its
# sections and questions while nobody has answered. Once a response is stored, the questions
# and their options are kept as answered (changing them would change what the answers mean):
# only the title, the introduction and the closing time may still change.

POLL_FIELDS = (
    "title_en",
    "title_es",
    "intro_en",
    "intro_es",
    "is_anonymous",
    "allows_visitors",
    "results_shown",
    "closes_at",
)
#: What may still change once someone has answered (the rest was promised to them).
FIELDS_AFTER_ANSWERS = ("title_en", "title_es", "intro_en", "intro_es", "closes_at")
QUESTION_FIELDS = (
    "text_en",
    "text_es",
    "is_required",
    "min_choices",
    "max_choices",
    "scale_min",
    "scale_max",
    "low_label_en",
    "low_label_es",
    "high_label_en",
    "high_label_es",
)
MOST_SCALE_VALUES = 11
MOST_OPTIONS = 50


def has_responses(poll: Poll) -> bool:
    return Response.objects.filter(poll=poll).exists()


def _refuse_changes_after_responses(poll: Poll) -> None:
    if has_responses(poll):
        raise Refused(
            _(
                "People have answered this poll: its sections, questions and options can no "
                "longer change."
            ),
            code="poll_answered",
            status=409,
        )


def _check_manager(poll_or_process, by) -> None:
    process = getattr(poll_or_process, "process", poll_or_process)
    if not (by.is_authenticated and can_manage_process(by, process)):
        raise Refused(_("Only the process's staff may change its polls."), code="not_staff")


@transaction.atomic
def create_poll(process: Process, *, by, **fields) -> Poll:
    _check_manager(process, by)
    poll = Poll.objects.create(process=process, **{name: fields[name] for name in POLL_FIELDS})
    audit.record("poll.created", poll, actor=by, title=poll.title_en)
    return poll


@transaction.atomic
def change_poll(poll: Poll, *, by, **fields) -> Poll:
    """Change the poll's settings; once it has responses, only its title, introduction and
    closing time (the rest is kept, whatever is given)."""
    _check_manager(poll, by)
    Poll.objects.select_for_update().filter(pk=poll.pk).first()
    names = FIELDS_AFTER_ANSWERS if has_responses(poll) else POLL_FIELDS
    for name in names:
        setattr(poll, name, fields[name])
    poll.save(update_fields=list(names))
    audit.record("poll.changed", poll, actor=by, title=poll.title_en)
    return poll


def _locked(poll: Poll, by) -> None:
    """Check the person may change the poll's questions, and hold the poll's row for the rest
    of the transaction, so two changes of its order never interleave. On PostgreSQL a response
    being stored holds a key-share lock on the same row (its foreign key) until it commits:
    either the change waits for it and then sees it (and is refused), or the response waits
    for the change."""
    _check_manager(poll, by)
    Poll.objects.select_for_update().filter(pk=poll.pk).first()
    _refuse_changes_after_responses(poll)


def _next_position(queryset) -> int:
    highest = queryset.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


@transaction.atomic
def add_section(poll: Poll, *, by, title_en: str, title_es: str = "") -> Section:
    _locked(poll, by)
    section = Section.objects.create(
        poll=poll,
        title_en=title_en,
        title_es=title_es,
        position=_next_position(poll.sections.all()),
    )
    audit.record("poll.section_added", poll, actor=by, section=section.pk)
    return section


@transaction.atomic
def change_section(section: Section, *, by, title_en: str, title_es: str = "") -> Section:
    _locked(section.poll, by)
    section.title_en, section.title_es = title_en, title_es
    section.save(update_fields=["title_en", "title_es"])
    audit.record("poll.section_changed", section.poll, actor=by, section=section.pk)
    return section


@transaction.atomic
def remove_section(section: Section, *, by) -> None:
    """Only an empty section goes: its questions are moved or removed first, one by one, so
    nobody removes a dozen questions by mistake."""
    _locked(section.poll, by)
    if section.questions.exists():
        raise Refused(
            _("Move this section's questions to another section, or remove them, first."),
            code="section_not_empty",
            status=409,
        )
    audit.record("poll.section_removed", section.poll, actor=by, title=section.title_en)
    section.delete()


def _swap(item, neighbours, direction: str) -> bool:
    """Swap `item`'s position with the one before (`up`) or after (`down`) it among
    `neighbours`; False when it is already first or last."""
    if direction == "up":
        other = neighbours.filter(position__lt=item.position).order_by("-position").first()
    else:
        other = neighbours.filter(position__gt=item.position).order_by("position").first()
    if other is None:
        return False
    item.position, other.position = other.position, item.position
    item.save(update_fields=["position"])
    other.save(update_fields=["position"])
    return True


@transaction.atomic
def move_section(section: Section, *, by, direction: str) -> bool:
    _locked(section.poll, by)
    moved = _swap(section, section.poll.sections.exclude(pk=section.pk), direction)
    if moved:
        audit.record("poll.section_moved", section.poll, actor=by, section=section.pk)
    return moved


@dataclass
class QuestionInput:
    """A question as the staff give it; `options` are (English, Spanish) labels in order."""

    kind: str
    section: Section | None
    fields: dict
    options: list[tuple[str, str]]


def check_question(question: QuestionInput) -> None:
    """Raise a ValidationError naming each field given wrongly for the question's kind: a
    choice needs two options at least; the limits in order and within the options; a scale
    running upwards."""
    kind, fields, count = question.kind, question.fields, len(question.options)
    problems: dict[str, list[str]] = {}
    if kind in CHOICE_KINDS and count < 2:
        problems.setdefault("options_en", []).append(_("Give at least two options, one a line."))
    if kind == QuestionKind.MATRIX and count < 1:
        problems.setdefault("options_en", []).append(_("Give at least one row, one a line."))
    if count > MOST_OPTIONS:
        problems.setdefault("options_en", []).append(
            _("Give at most %(count)d options.") % {"count": MOST_OPTIONS}
        )
    least, most = fields.get("min_choices") or 0, fields.get("max_choices")
    if kind in (QuestionKind.MULTIPLE, QuestionKind.RANKING):
        if most is not None and most < least:
            problems.setdefault("max_choices", []).append(
                _("“At most” must be at least as many as “at least”.")
            )
        elif most is not None and count >= 2 and most > count:
            problems.setdefault("max_choices", []).append(
                _("“At most” must not be more than the options given.")
            )
        if count >= 2 and least > count:
            problems.setdefault("min_choices", []).append(
                _("“At least” must not be more than the options given.")
            )
    if kind in (QuestionKind.SCALE, QuestionKind.MATRIX):
        low, high = fields.get("scale_min"), fields.get("scale_max")
        if low is not None and high is not None:
            if high <= low:
                problems.setdefault("scale_max", []).append(
                    _("The scale must run upwards: “scale to” above “scale from”.")
                )
            elif high - low + 1 > MOST_SCALE_VALUES:
                problems.setdefault("scale_max", []).append(
                    _("A scale has at most %(count)d values.") % {"count": MOST_SCALE_VALUES}
                )
    if problems:
        raise ValidationError(problems)


def _kept_fields(question: QuestionInput) -> dict:
    """The fields the question's kind uses; the others at their defaults, so a question never
    keeps a limit or a scale it does not show."""
    kind, given = question.kind, question.fields
    kept = {name: given.get(name) for name in ("text_en", "text_es", "is_required")}
    kept.update(
        min_choices=0,
        max_choices=None,
        scale_min=1,
        scale_max=5,
        low_label_en="",
        low_label_es="",
        high_label_en="",
        high_label_es="",
    )
    if kind == QuestionKind.MULTIPLE:
        kept.update(min_choices=given.get("min_choices") or 0, max_choices=given.get("max_choices"))
    if kind == QuestionKind.RANKING:
        kept.update(max_choices=given.get("max_choices"))
    if kind in (QuestionKind.SCALE, QuestionKind.MATRIX):
        for name in ("scale_min", "scale_max"):
            kept[name] = given[name]
        for name in ("low_label_en", "low_label_es", "high_label_en", "high_label_es"):
            kept[name] = given.get(name) or ""
    kept["text_es"] = kept["text_es"] or ""
    return kept


def _save_options(question: Question, options: list[tuple[str, str]]) -> None:
    """The question's options as given, in order: the first ones changed in place, the rest
    added, those beyond removed (nobody has answered, so no answer points to them)."""
    existing = list(question.options.order_by("position"))
    for position, (label_en, label_es) in enumerate(options):
        if position < len(existing):
            option = existing[position]
            option.label_en, option.label_es, option.position = label_en, label_es, position
            option.save(update_fields=["label_en", "label_es", "position"])
        else:
            Option.objects.create(
                question=question, label_en=label_en, label_es=label_es, position=position
            )
    Option.objects.filter(pk__in=[option.pk for option in existing[len(options) :]]).delete()


def _check_section(poll: Poll, section: Section | None) -> None:
    if section is not None and section.poll_id != poll.pk:
        raise ValidationError({"section": [_("Choose a section of this poll.")]})


@transaction.atomic
def add_question(poll: Poll, question: QuestionInput, *, by) -> Question:
    _locked(poll, by)
    _check_section(poll, question.section)
    check_question(question)
    added = Question.objects.create(
        poll=poll,
        section=question.section,
        kind=question.kind,
        position=_next_position(poll.questions.all()),
        **_kept_fields(question),
    )
    if question.kind in CHOICE_KINDS or question.kind == QuestionKind.MATRIX:
        _save_options(added, question.options)
    audit.record("poll.question_added", poll, actor=by, question=added.pk, kind=added.kind)
    return added


@transaction.atomic
def change_question(question: Question, changed: QuestionInput, *, by) -> Question:
    """Change a question's text, section, limits, scale and options (its kind stays: a new
    kind is a new question)."""
    poll = question.poll
    _locked(poll, by)
    _check_section(poll, changed.section)
    changed = QuestionInput(question.kind, changed.section, changed.fields, changed.options)
    check_question(changed)
    fields = _kept_fields(changed)
    for name, value in fields.items():
        setattr(question, name, value)
    names = list(fields)
    if question.section_id != (changed.section.pk if changed.section else None):
        question.section = changed.section
        question.position = _next_position(poll.questions.all())  # last of its new section
        names += ["section", "position"]
    question.save(update_fields=names)
    uses_options = question.kind in CHOICE_KINDS or question.kind == QuestionKind.MATRIX
    _save_options(question, changed.options if uses_options else [])
    audit.record("poll.question_changed", poll, actor=by, question=question.pk)
    return question


@transaction.atomic
def move_question(question: Question, *, by, direction: str) -> bool:
    """Move a question up or down within its section (sections move as a whole)."""
    _locked(question.poll, by)
    neighbours = question.poll.questions.filter(section=question.section_id).exclude(pk=question.pk)
    moved = _swap(question, neighbours, direction)
    if moved:
        audit.record("poll.question_moved", question.poll, actor=by, question=question.pk)
    return moved


@transaction.atomic
def remove_question(question: Question, *, by) -> None:
    _locked(question.poll, by)
    audit.record("poll.question_removed", question.poll, actor=by, text=question.text_en)
    question.delete()
