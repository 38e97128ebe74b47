"""The reads of the poll pages (the staff's and the process page's part too), each in a fixed
number of queries."""

import hashlib
import secrets

from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404

from agora.polls.models import Option, Poll, Question, Response, Section

BROWSER_COOKIE = "agora_poll_browser"


def poll_with_questions(pk: int) -> tuple[Poll, list[Section], list[Question]]:
    """The poll with its process and phases, its sections and its questions with their
    options: four queries."""
    poll = get_object_or_404(
        Poll.objects.select_related("process__office").prefetch_related("process__phases"),
        pk=pk,
    )
    questions = list(
        poll.questions.prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("position"))
        ).order_by("position")
    )
    in_sections = any(question.section_id for question in questions)
    sections = list(poll.sections.order_by("position")) if in_sections else []
    return poll, sections, questions


def grouped(sections: list[Section], items: list) -> list[tuple[Section | None, list]]:
    """Questions (or what stands for each, with its `question`) under their sections, in
    order; those of no section first."""
    groups = [(None, [item for item in items if not item.question.section_id])]
    for section in sections:
        groups.append((section, [item for item in items if item.question.section_id == section.pk]))
    return [(section, members) for section, members in groups if members]


def browser_key(raw: str) -> str:
    """What a response keeps of a visitor's cookie: its hash, never the key itself."""
    return hashlib.sha256(raw.encode()).hexdigest() if raw else ""


def new_browser_cookie() -> str:
    return secrets.token_urlsafe(24)


def has_answered(poll: Poll, person, raw_cookie: str) -> bool:
    if person.is_authenticated:
        return Response.objects.filter(poll=poll, respondent=person).exists()
    key = browser_key(raw_cookie)
    return bool(key) and Response.objects.filter(poll=poll, browser_key=key).exists()


def poll_for_staff(pk: int) -> tuple[Poll, list[tuple[Section | None, list[Question]]], bool]:
    """The poll with its process, every section (empty ones too) with its questions and their
    options, and whether anyone has answered: five queries."""
    poll = get_object_or_404(Poll.objects.select_related("process__office__parent"), pk=pk)
    questions = list(
        poll.questions.prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("position"))
        ).order_by("position")
    )
    sections = list(poll.sections.order_by("position"))
    groups: list[tuple[Section | None, list[Question]]] = [
        (None, [question for question in questions if not question.section_id])
    ]
    for section in sections:
        groups.append((section, [q for q in questions if q.section_id == section.pk]))
    answered = Response.objects.filter(poll=poll).exists()
    return poll, groups, answered


def polls_of_process(process, *, with_drafts: bool) -> list[Poll]:
    """A process's polls, newest first, in one query. A poll without questions yet is being
    built: only its staff see it (`with_drafts`)."""
    polls = Poll.objects.filter(process=process).order_by("-created_at", "-pk")
    if not with_drafts:
        polls = polls.filter(Exists(Question.objects.filter(poll=OuterRef("pk"))))
    return list(polls)
