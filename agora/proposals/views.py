"""The proposal pages: a proposal (its versions, supports, answer and comments), proposing
(with a step that shows similar proposals before publishing), editing, and the buttons
(support, withdraw a support, answer, comment). Each asks `processes.features.can_act`
through the services, and keeps what was typed when refused."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agora.core.forms import act_and_return, add_errors
from agora.core.images import image_response
from agora.core.ratelimit import RateLimited
from agora.moderation.models import ModerationState
from agora.processes import features
from agora.processes import queries as process_queries
from agora.processes.models import Process
from agora.processes.permissions import can_view_process
from agora.proposals import pages, queries, resulting, services
from agora.proposals.forms import AnswerForm, CommentForm, MergeForm, ProposalForm
from agora.proposals.models import Proposal, Support
from agora.proposals.permissions import can_merge
from agora.social.queries import comment_thread


def _visible_process(request, slug: str) -> Process:
    process = get_object_or_404(process_queries.for_page(Process.objects.all()), slug=slug)
    if not can_view_process(request.user, process):
        raise Http404
    return process


def _visible_proposal(request, pk: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "author", "topic", "area", "process__office", "answer_office", "merged_into"
        ).prefetch_related("process__phases"),  # read once for every question to the phases
        pk=pk,
    )
    hidden = proposal.moderation_state != ModerationState.VISIBLE
    if hidden and proposal.author_id != request.user.pk:
        raise Http404
    if not can_view_process(request.user, proposal.process):
        raise Http404
    return proposal


def _refused(request, message: str, back: str):
    """The reason an action is refused, in the reader's words (403)."""
    context = {"message": message, "back": back}
    return render(request, "proposals/refused.html", context, status=403)


def proposal_detail(request, pk: int, answer_form=None, comment_form=None, merge_form=None):
    proposal = _visible_proposal(request, pk)
    process = proposal.process
    user = request.user
    supported = (
        user.is_authenticated and Support.objects.filter(proposal=proposal, person=user).exists()
    )
    may_answer = features.can_act(user, features.ANSWER, process)
    thread = comment_thread(user, proposal)
    return render(
        request,
        "proposals/detail.html",
        {
            "proposal": proposal,
            "process": process,
            "versions": list(proposal.versions.all()),
            "supported": supported,
            "support": features.can_act(user, features.SUPPORT, process),
            "may_edit": proposal.author_id == user.pk
            and proposal.state == "published"
            and features.can_act(user, features.EDIT, process),
            "may_comment": features.can_act(user, features.COMMENT, process),
            "answer_form": (answer_form or AnswerForm()) if may_answer else None,
            "comment_form": comment_form or CommentForm(),
            "thread": thread,
            "alignments": queries.alignment_counts(thread),
            "merge_form": (merge_form or MergeForm())
            if proposal.is_open and can_merge(user, process)
            else None,
            "overdue": proposal.is_overdue(),
            "body_sections": pages.PROPOSAL_BODY.sections(request, proposal),
            **resulting.page_context(request, proposal),
        },
    )


@never_cache
@login_required
def propose(request, slug: str):
    process = _visible_process(request, slug)
    decision = features.can_act(request.user, features.PROPOSE, process)
    if not decision:
        return _refused(request, decision.message, process.get_absolute_url())
    posted = request.method == "POST"
    form = ProposalForm(
        request.POST if posted else None, request.FILES if posted else None, process=process
    )
    similar, checked = [], False
    if posted and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("step") == "publish":
            try:
                proposal = services.propose(
                    process,
                    by=request.user,
                    title=data["title"],
                    body=data["body"],
                    topic=data["topic"],
                    area=data["area"],
                    image=data.get("image"),
                    image_alt=data.get("image_alt", ""),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Your proposal is published."))
                return redirect(proposal)
        else:
            similar = queries.similar(process, data["title"])
            checked = True
    return render(
        request,
        "proposals/propose.html",
        {"form": form, "process": process, "similar": similar, "checked": checked},
    )


@never_cache
@login_required
def edit(request, pk: int):
    proposal = _visible_proposal(request, pk)
    back = proposal.get_absolute_url()
    decision = features.can_act(request.user, features.EDIT, proposal.process)
    if not decision:
        return _refused(request, decision.message, back)
    if proposal.author_id != request.user.pk:
        return _refused(request, _("Only the author can edit a proposal."), back)
    initial = {
        "title": proposal.title,
        "body": proposal.body,
        "topic": proposal.topic,
        "area": proposal.area,
    }
    posted = request.method == "POST"
    form = ProposalForm(
        request.POST if posted else None,
        initial=initial,
        process=proposal.process,
        with_image=False,
    )
    if posted and form.is_valid():
        try:
            services.edit_proposal(proposal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Your proposal is saved; the earlier version stays readable.")
            )
            return redirect(proposal)
    return render(request, "proposals/edit.html", {"form": form, "proposal": proposal})


def _act(request, pk: int, verb, done: str):
    proposal = _visible_proposal(request, pk)
    back = f"{proposal.get_absolute_url()}#supports-heading"
    return act_and_return(request, verb, proposal, done=done, back=back)


@require_POST
@login_required
def support(request, pk: int):
    return _act(request, pk, services.support_proposal, _("You support this proposal."))


@require_POST
@login_required
def withdraw_support(request, pk: int):
    return _act(request, pk, services.withdraw_support, _("You withdrew your support."))


@require_POST
@login_required
def answer(request, pk: int):
    proposal = _visible_proposal(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_proposal(proposal, by=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            return _refused(request, str(error), proposal.get_absolute_url())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The answer is published; the people concerned are told."))
            return redirect(f"{proposal.get_absolute_url()}#answer-heading")
    return proposal_detail(request, pk, answer_form=form)


@require_POST
@login_required
def comment(request, pk: int):
    proposal = _visible_proposal(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_proposal(
                proposal,
                by=request.user,
                body=form.cleaned_data["body"],
                alignment=form.cleaned_data["alignment"],
            )
        except (ValidationError, RateLimited) as error:
            if isinstance(error, ValidationError):
                add_errors(form, error)
            else:
                form.add_error(None, str(error))
        else:
            return redirect(f"{proposal.get_absolute_url()}#comments-heading")
    return proposal_detail(request, pk, comment_form=form)


@require_POST
@login_required
def merge(request, pk: int):
    proposal = _visible_proposal(request, pk)
    form = MergeForm(request.POST)
    if form.is_valid():
        into = Proposal.objects.filter(pk=form.cleaned_data["into"]).first()
        if into is None:
            form.add_error("into", _("There is no proposal with that number."))
        else:
            try:
                services.merge_proposal(proposal, into=into, by=request.user)
            except PermissionDenied as error:
                return _refused(request, str(error), proposal.get_absolute_url())
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The proposals are merged; both authors are told."))
                return redirect(into)
    return proposal_detail(request, pk, merge_form=form)


def image(request, pk: int):
    return image_response(_visible_proposal(request, pk).image)
