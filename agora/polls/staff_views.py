"""The staff's pages that build a poll: creating it for a process and changing its settings,
and, on its staff page, adding, changing, moving and removing its sections and questions
(plain forms and POST buttons, no JavaScript). Only the process's managers see them; to
anyone else they do not exist (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agora.core.forms import add_errors
from agora.polls import queries, services
from agora.polls.forms import PollForm, QuestionForm, SectionForm
from agora.polls.models import Poll, Question, QuestionKind, Section
from agora.polls.permissions import can_manage_poll
from agora.processes.models import Process
from agora.processes.permissions import can_manage_process

DIRECTIONS = ("up", "down")


def _managed_poll(request, pk: int) -> Poll:
    poll = get_object_or_404(Poll.objects.select_related("process__office__parent"), pk=pk)
    if not can_manage_poll(request.user, poll):
        raise Http404
    return poll


def _staff_page(poll: Poll, anchor: str = ""):
    url = reverse("polls:staff", kwargs={"pk": poll.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _poll_fields(form: PollForm) -> dict:
    return {name: form.cleaned_data[name] for name in services.POLL_FIELDS}


@never_cache
@login_required
def create(request, slug: str):
    process = get_object_or_404(Process.objects.select_related("office"), slug=slug)
    if not can_manage_process(request.user, process):
        raise Http404
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            poll = services.create_poll(process, by=request.user, **_poll_fields(form))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The poll is created. Now add its questions."))
            return _staff_page(poll)
    return render(request, "polls/edit.html", {"form": form, "process": process, "poll": None})


@never_cache
@login_required
def edit(request, pk: int):
    poll = _managed_poll(request, pk)
    answered = services.has_responses(poll)
    form = PollForm(request.POST or None, instance=poll, answered=answered)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_poll(poll, by=request.user, **_poll_fields(form))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The poll is saved."))
            return _staff_page(poll)
    context = {"form": form, "process": poll.process, "poll": poll, "answered": answered}
    return render(request, "polls/edit.html", context)


@never_cache
@login_required
def staff(request, pk: int):
    poll, groups, answered = queries.poll_for_staff(pk)
    if not can_manage_poll(request.user, poll):
        raise Http404
    sections = [section for section, _questions in groups if section is not None]
    context = {
        "poll": poll,
        "groups": groups,
        "sections": sections,
        "answered": answered,
        "has_questions": any(questions for _section, questions in groups),
        "kinds": QuestionKind.choices,
    }
    return render(request, "polls/staff.html", context)


# Sections ------------------------------------------------------------------------------------


def _section_page(request, poll: Poll, section: Section | None):
    initial = {"title_en": section.title_en, "title_es": section.title_es} if section else None
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if section is None:
                section = services.add_section(poll, by=request.user, **form.cleaned_data)
                messages.success(request, _("The section is added."))
            else:
                services.change_section(section, by=request.user, **form.cleaned_data)
                messages.success(request, _("The section is saved."))
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _staff_page(poll, f"section-{section.pk}")
    context = {
        "form": form,
        "poll": poll,
        "section": section,
        "answered": services.has_responses(poll),
    }
    return render(request, "polls/section_edit.html", context)


@never_cache
@login_required
def add_section(request, pk: int):
    return _section_page(request, _managed_poll(request, pk), None)


@never_cache
@login_required
def edit_section(request, pk: int, section: int):
    poll = _managed_poll(request, pk)
    return _section_page(request, poll, get_object_or_404(Section, pk=section, poll=poll))


def _move(request, poll: Poll, thing, verb, anchor: str):
    """Move a section or a question one place up or down (a plain POST button)."""
    direction = request.POST.get("direction")
    if direction not in DIRECTIONS:
        raise Http404
    try:
        verb(thing, by=request.user, direction=direction)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return _staff_page(poll, anchor)


def _remove(request, poll: Poll, thing, verb, *, anchor: str, done: str):
    """Remove a section or a question; a refusal goes back to it with the reason."""
    try:
        verb(thing, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _staff_page(poll, anchor)
    messages.success(request, done)
    return _staff_page(poll)


@require_POST
@login_required
def move_section(request, pk: int, section: int):
    poll = _managed_poll(request, pk)
    found = get_object_or_404(Section, pk=section, poll=poll)
    return _move(request, poll, found, services.move_section, f"section-{found.pk}")


@require_POST
@login_required
def remove_section(request, pk: int, section: int):
    poll = _managed_poll(request, pk)
    found = get_object_or_404(Section, pk=section, poll=poll)
    return _remove(
        request,
        poll,
        found,
        services.remove_section,
        anchor=f"section-{found.pk}",
        done=_("The section is removed."),
    )


# Questions -----------------------------------------------------------------------------------


def _question_page(request, poll: Poll, question: Question | None, kind: str):
    sections = list(poll.sections.order_by("position"))
    posted = request.method == "POST"
    initial = QuestionForm.initial_for(question) if question else None
    if question is None and not posted:
        initial = {"section": request.GET.get("section", ""), "is_required": True}
    form = QuestionForm(
        request.POST if posted else None, initial=initial, kind=kind, sections=sections
    )
    if posted and form.is_valid():
        by_pk = {section.pk: section for section in sections}
        form.question.section = by_pk.get(form.cleaned_data.get("section"))
        try:
            if question is None:
                question = services.add_question(poll, form.question, by=request.user)
                messages.success(request, _("The question is added."))
            else:
                services.change_question(question, form.question, by=request.user)
                messages.success(request, _("The question is saved."))
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _staff_page(poll, f"question-{question.pk}")
    context = {
        "form": form,
        "poll": poll,
        "question": question,
        "kind": kind,
        "kind_label": QuestionKind(kind).label,
        "answered": services.has_responses(poll),
    }
    return render(request, "polls/question_edit.html", context)


@never_cache
@login_required
def add_question(request, pk: int):
    poll = _managed_poll(request, pk)
    kind = request.GET.get("kind") or request.POST.get("kind")
    if kind not in QuestionKind.values:
        messages.error(request, _("Choose the kind of question to add."))
        return _staff_page(poll, "add-question")
    return _question_page(request, poll, None, kind)


@never_cache
@login_required
def edit_question(request, pk: int, question: int):
    poll, found = _poll_question(request, pk, question)
    return _question_page(request, poll, found, found.kind)


def _poll_question(request, pk: int, question: int) -> tuple[Poll, Question]:
    poll = _managed_poll(request, pk)
    found = get_object_or_404(Question.objects.select_related("poll"), pk=question, poll=poll)
    return poll, found


@require_POST
@login_required
def move_question(request, pk: int, question: int):
    poll, found = _poll_question(request, pk, question)
    return _move(request, poll, found, services.move_question, f"question-{found.pk}")


@require_POST
@login_required
def remove_question(request, pk: int, question: int):
    poll, found = _poll_question(request, pk, question)
    return _remove(
        request,
        poll,
        found,
        services.remove_question,
        anchor=f"question-{found.pk}",
        done=_("The question is removed."),
    )
