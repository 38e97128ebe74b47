"""The cases pages: asking or reporting, a case with its timeline, photo and comments, “me
too”, following, my cases and the cases I follow, claiming an assisted case, recording one for
a resident, an office's inbox and the public accountability figures. Each reads in a constant
number of queries."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.accounts import kinds
from agora.accounts.models import Role
from agora.cases import accountability as accountability_figures
from agora.cases import drafts, forms, pages, services
from agora.cases.accountability import PERIODS
from agora.cases.actions import ACTIONS, Action, Who, allowed_actions
from agora.cases.models import Case, CaseEvent, CaseFollow, CaseSupport
from agora.cases.models.lifecycle import OPEN_STATES
from agora.cases.permissions import (
    can_act_on_case,
    can_comment_on_case,
    can_follow_case,
    can_support_case,
    can_view_case,
    can_view_inbox,
    is_any_official,
    reads_every_case,
)
from agora.cases.queries import case_comments, followed_cases, next_deadline, open_work, overdue
from agora.core.images import image_response
from agora.core.navigation import next_url
from agora.core.paging import page_by_id, page_by_moment
from agora.directory.models import Office
from agora.directory.models.base import current_language
from agora.directory.permissions import is_official_of, offices_of
from agora.directory.routing import place_named_in
from agora.social import services as social_services
from agora.social.models import Comment

PAGE_SIZE = 50

CASE_RELATED = (
    "topic",
    "area",
    "office",
    "office__parent",
    "office__authority",
    "submitted_by",
    "assigned_to",
)


def _visible_case_or_404(request, case_id: int) -> Case:
    case = get_object_or_404(Case.objects.select_related(*CASE_RELATED), pk=case_id)
    if not can_view_case(request.user, case):
        raise Http404
    return case


def _action_form(action: Action, case: Case, data=None):
    """The form that reads the action's input (declared in `cases.actions`); None for a
    button alone."""
    if action.form is None:
        return None
    return action.form(data, prefix=action.name, case=case)


def _case_page(request, case: Case, *, bound=None, comment_form=None, update_error="", status=200):
    user = request.user
    events = CaseEvent.objects.filter(case=case).select_related(
        "actor", "from_office", "to_office", "assignee"
    )
    available = allowed_actions(case.state)
    bound_action, bound_form = bound or (None, None)
    action_forms = [
        (action, bound_form if action.name == bound_action else _action_form(action, case))
        for action in ACTIONS.values()
        if action.name in available and action.may(user, case)
    ]
    may_support = can_support_case(user, case)
    may_follow = can_follow_case(user, case)
    may_comment = case.is_public and can_comment_on_case(user, case)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "events": events,
            "resident_forms": [pair for pair in action_forms if pair[0].who == Who.RESIDENT],
            "office_forms": [pair for pair in action_forms if pair[0].who != Who.RESIDENT],
            "bound_action": bound_action,
            "update_error": update_error,
            # Who works on the case sees the officials named, hidden profiles included.
            "for_office": reads_every_case(user) or can_act_on_case(user, case),
            # An official whose account is political is told why the office's forms are not
            # theirs (`accounts.kinds`).
            "answer_refusal": kinds.refusal(user, kinds.ANSWER)
            and is_official_of(user, case.office)
            and kinds.refusal(user, kinds.ANSWER),
            "may_support": may_support,
            "supports": may_support and CaseSupport.objects.filter(case=case, user=user).exists(),
            "may_follow": may_follow,
            "follows": may_follow and CaseFollow.objects.filter(case=case, user=user).exists(),
            "thread": case_comments(user, case),
            "may_comment": may_comment,
            "comment_form": comment_form or forms.CaseCommentForm(),
        },
        status=status,
    )


def detail(request, case_id: int):
    return _case_page(request, _visible_case_or_404(request, case_id))


@require_POST
@login_required
def support(request, case_id: int):
    """“Me too”, or taking it back when already said."""
    case = _visible_case_or_404(request, case_id)
    try:
        if not services.support_case(case, by=request.user):
            services.withdraw_support(case, by=request.user)
    except services.CaseError as error:
        messages.error(request, error.message)
    return redirect(case)


@require_POST
@login_required
def follow(request, case_id: int):
    """Follow the case, or stop following it when already following."""
    case = _visible_case_or_404(request, case_id)
    if CaseFollow.objects.filter(case=case, user=request.user).exists():
        services.unfollow_case(case, by=request.user)
        messages.success(request, _("You no longer follow this case."))
    else:
        try:
            services.follow_case(case, by=request.user)
        except services.CaseError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("You follow this case: you will be told of everything that happens.")
            )
    return redirect(case)


@require_POST
@login_required
def comment(request, case_id: int):
    case = _visible_case_or_404(request, case_id)
    if not can_comment_on_case(request.user, case):
        raise PermissionDenied
    form = forms.CaseCommentForm(request.POST)
    if form.is_valid():
        parent = None
        parent_id = form.cleaned_data.get("parent")
        if parent_id:
            parent = Comment.objects.select_related("author").filter(pk=parent_id).first()
            if parent is None:
                form.add_error("body", _("The comment you reply to is gone."))
        if not form.errors:
            try:
                created = services.comment_on_case(
                    case, by=request.user, body=form.cleaned_data["body"], parent=parent
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("body", message)
            else:
                return redirect(f"{case.get_absolute_url()}#comment-{created.pk}")
    return _case_page(request, case, comment_form=form, status=400)


def _comment_on_visible_case(request, comment_id: int) -> tuple[Comment, Case]:
    """The comment and its case, if the comment is on a case the person may see."""
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=comment_id)
    if comment.content_type.model_class() is not Case:
        raise Http404
    return comment, _visible_case_or_404(request, comment.object_id)


@require_POST
@login_required
def like_comment(request, comment_id: int):
    comment, case = _comment_on_visible_case(request, comment_id)
    try:
        if request.POST.get("undo"):
            social_services.unlike_comment(comment, by=request.user)
        elif not social_services.like_comment(comment, by=request.user):
            messages.info(request, _("You already like this comment."))
    except PermissionDenied:
        messages.error(request, _("You cannot like this comment."))
    return redirect(f"{case.get_absolute_url()}#comment-{comment.pk}")


@require_POST
@login_required
def delete_comment(request, comment_id: int):
    comment, case = _comment_on_visible_case(request, comment_id)
    if comment.author_id != request.user.pk:
        raise Http404
    try:
        services.delete_case_comment(comment, by=request.user)
    except ValidationError as error:  # kept while moderators decide
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your comment is deleted."))
    return redirect(f"{case.get_absolute_url()}#comments-heading")


def photo(request, case_id: int):
    """A case's photo, served through here so a private case's photo stays as private as the
    case."""
    return image_response(_visible_case_or_404(request, case_id).photo)


@require_POST
@login_required
def update(request, case_id: int):
    """The case page's one "Update this case" form: the action chosen, with only its fields."""
    case = _visible_case_or_404(request, case_id)
    action = request.POST.get("action", "")
    offered = [
        name
        for name in allowed_actions(case.state)
        if ACTIONS[name].who != Who.RESIDENT and ACTIONS[name].may(request.user, case)
    ]
    if not offered:
        raise PermissionDenied
    if action not in offered:
        if action in ACTIONS:  # offered when the page was shown; someone moved the case since
            problem = _("“%(step)s” is no longer possible: the case is now “%(state)s”.") % {
                "step": ACTIONS[action].label,
                "state": case.get_state_display(),
            }
        else:
            problem = _("Choose what you want to do.")
        return _case_page(request, case, update_error=problem, status=400)
    return act(request, case_id, action)


@require_POST
@login_required
def act(request, case_id: int, action: str):
    if action not in ACTIONS:
        raise Http404
    case = _visible_case_or_404(request, case_id)
    if not ACTIONS[action].may(request.user, case):
        raise PermissionDenied
    form = _action_form(ACTIONS[action], case, request.POST)
    if form is not None and not form.is_valid():
        return _case_page(request, case, bound=(action, form), status=400)
    try:
        services.take_action(case, action, by=request.user, **(form.cleaned_data if form else {}))
    except services.CaseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done: the case is updated."))
    return redirect(next_url(request, case.get_absolute_url()))


def new(request):
    """Ask or report, first page: what it is and where. Anyone may write; the answers are kept
    (`cases.drafts`: in the session, then the person's own) and checked on the next page,
    where a photo and who may see it come before sending. Sending needs an account (the office
    answers on Agora and the person follows the steps): a visitor signs up or logs in on the
    way, and finds their words waiting."""
    signed_in = request.user.is_authenticated
    kept = drafts.waiting(request)  # read once: the form's start and "Start again"
    found = searched = None
    if request.method == "POST" and "find_place" in request.POST:
        # "Find the place I typed": the directory's places (names, other names, streets) read
        # from the address; the form comes back as typed, with the place chosen when found.
        typed = {
            name: value
            for name, value in request.POST.items()
            if name not in ("csrfmiddlewaretoken", "find_place")
        }
        searched = typed.get("address", "").strip()
        found = place_named_in(searched) if searched else None
        if found is not None:
            # The place asked for wins over a pin dropped earlier: the map then shows it.
            typed.update(area=found.slug, latitude="", longitude="")
        form = forms.CaseDetailsForm(initial=typed)
    elif request.method == "POST":
        form = forms.CaseDetailsForm(request.POST)
        if form.is_valid():
            try:  # said now, next to the topic, rather than after the photo
                services.where_it_goes(**form.routing())
            except services.NotRoutable as error:
                form.add_error("topic", error.message)
        if form.is_valid():
            drafts.keep(request, {**(kept or {}), **form.draft_fields()})
            if signed_in:
                return redirect("cases:check")
            messages.info(
                request,
                _(
                    "Your words are kept. Create an account, or log in, to send them: you will "
                    "find them waiting."
                ),
            )
            return redirect(f"{reverse('account_signup')}?next={reverse('cases:check')}")
    else:
        # What "Who handles this?" carries in comes first: the person chose it just now.
        carried = forms.CaseForm.initial_from(request.GET)
        form = forms.CaseDetailsForm(initial=carried or kept or {})
    status = 400 if form.is_bound else 200
    return render(
        request,
        "cases/new.html",
        {
            "form": form,
            "signed_in": signed_in,
            "has_draft": kept is not None,
            "found": found,
            "searched": searched,
        },
        status=status,
    )


def check(request):
    """Ask or report, last page: the answers to check (each can be changed), a photo if it
    helps, who may see it, and Send."""
    draft = drafts.waiting(request)
    if not draft:
        return redirect("cases:new")
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_signup')}?next={reverse('cases:check')}")
    details = forms.CaseDetailsForm(draft)
    office = None
    if details.is_valid():
        try:
            _area, office = services.where_it_goes(**details.routing())
        except services.NotRoutable as error:
            details.add_error("topic", error.message)
    if office is None:  # the directory changed since (a topic gone): ask again
        return render(
            request,
            "cases/new.html",
            {"form": details, "signed_in": True, "has_draft": True},
            status=400,
        )
    if request.method == "POST":
        form = forms.CaseForm({**draft, **request.POST.dict()}, request.FILES or None)
        if form.is_valid():
            try:
                case = services.submit_case(by=request.user, **form.case_fields())
            except services.NotRoutable as error:
                form.add_error(None, error.message)
            except (services.InvalidPhoto, services.MissingText) as error:
                form.add_error("photo", error.message)
            else:
                drafts.forget(request)
                return redirect("cases:sent", case_id=case.pk)
    else:
        form = forms.CaseForm(initial=draft)
    return render(
        request,
        "cases/check.html",
        {
            "summary": [*details.summary(), (_("It goes to"), office.name)],
            "form": form,
            "send_fields": [form[name] for name in forms.SEND_FIELDS],
            "kind": details.cleaned_data["kind"],
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def discard_draft(request):
    """Start again: the kept words are dropped."""
    drafts.forget(request)
    messages.info(request, _("The form is empty again."))
    return redirect("cases:new")


@login_required
def sent(request, case_id: int):
    """The confirmation after sending: the reference to quote, and what happens next (who, by
    when). Only for the resident who sent it; anyone else has the case page."""
    case = get_object_or_404(Case.objects.select_related("office", "topic"), pk=case_id)
    if case.submitted_by_id != request.user.pk:
        raise Http404
    return render(request, "cases/sent.html", {"case": case})


@login_required
def record(request):
    """Assisted entry: an official records a case for a resident at a desk, on the phone or
    from a letter, and hands the resident the claim code (shown once)."""
    if not is_any_official(request.user):
        raise PermissionDenied
    form = forms.AssistedCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.record_case_on_behalf(
                by=request.user, channel=form.cleaned_data["channel"], **form.case_fields()
            )
        except services.NotRoutable as error:
            form.add_error("topic", error.message)
        else:
            return render(
                request, "cases/recorded.html", {"case": entry.case, "code": entry.claim_code}
            )
    status = 400 if form.is_bound else 200
    return render(request, "cases/record.html", {"form": form}, status=status)


@login_required
def claim(request):
    form = forms.ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.claim_case(form.cleaned_data["code"], user=request.user)
        except services.InvalidClaimCode as error:
            form.add_error("code", error.message)
        else:
            messages.success(request, _("The case is now yours."))
            return redirect(case)
    status = 400 if form.is_bound else 200
    return render(request, "cases/claim.html", {"form": form}, status=status)


@login_required
def mine(request):
    cases = Case.objects.filter(submitted_by=request.user).select_related("topic", "office")
    page = page_by_id(cases, request.GET.get("before"), size=PAGE_SIZE)
    offices = list(offices_of(request.user))
    return render(
        request,
        "cases/mine.html",
        {"cases": page.items, "more": page.next_cursor, "offices": offices},
    )


@login_required
def following(request):
    """The cases I follow, newest follow first, paged by id."""
    page = page_by_id(followed_cases(request.user), request.GET.get("before"), size=PAGE_SIZE)
    return render(
        request,
        "cases/following.html",
        {"cases": [follow.case for follow in page.items], "more": page.next_cursor},
    )


@login_required
def my_inbox(request):
    """The header's "Inbox" link: an official of one office lands on its inbox; an official of
    several on the list of their offices' inboxes."""
    offices = list(offices_of(request.user)[:2])
    if not offices and request.user.role == Role.OFFICIAL:
        # The header offers the link by role; the offices come from the directory.
        messages.info(request, _("You are not an official of any office yet."))
        return redirect("cases:mine")
    if not offices:
        raise Http404
    if len(offices) == 1:
        return redirect("cases:inbox", office_slug=offices[0].slug)
    return redirect(reverse("cases:mine") + "#inboxes-heading")


def inbox(request, office_slug: str):
    office = get_object_or_404(Office.objects.select_related("parent"), slug=office_slug)
    if not can_view_inbox(request.user, office):
        raise Http404
    # An office answers for its parts: their cases are its work too, and its officials may act
    # on them (`is_official_of` looks up the tree).
    subtree = office.subtree()
    filters = forms.InboxFilterForm(request.GET or None, offices=subtree)
    cases = Case.objects.filter(office__in=[each.pk for each in subtree]).select_related(
        "topic", "area", "assigned_to", "office"
    )
    by_deadline = False
    if filters.is_valid():
        data = filters.cleaned_data
        if data["reference"]:
            cases = cases.filter(reference=data["reference"])
        if data.get("office"):
            chosen = next(each for each in subtree if each.slug == data["office"])
            cases = cases.filter(office__in=[each.pk for each in chosen.subtree()])
        if data["state"]:
            cases = cases.filter(state=data["state"])
        if data["topic"] is not None:
            cases = cases.filter(topic=data["topic"])
        if data["age"]:
            cases = cases.filter(created_at__lte=timezone.now() - timedelta(days=int(data["age"])))
        if data["overdue"]:
            cases = cases.filter(overdue())
        by_deadline = data["sort"] == "due"
    if by_deadline:
        # The backlog only (cases with a deadline pending), soonest first.
        cases = cases.filter(state__in=OPEN_STATES).annotate(due=next_deadline())
        page = page_by_moment(
            cases.filter(due__isnull=False), request.GET.get("after"), key="due", size=PAGE_SIZE
        )
    else:
        page = page_by_id(cases, request.GET.get("before"), size=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("before", None)
    query.pop("after", None)
    work = open_work([each.pk for each in subtree])

    def narrowed(**changes) -> str:
        """The inbox's query with one more condition: a count's link keeps the other filters."""
        linked = query.copy()
        for name, value in changes.items():
            linked[name] = value
        return linked.urlencode()

    work["states"] = [
        (state, label, count, narrowed(state=state)) for state, label, count in work["states"]
    ]
    work["overdue_link"] = narrowed(overdue="on")
    return render(
        request,
        "cases/inbox.html",
        {
            "office": office,
            "cases": page.items,
            "more": page.next_cursor,
            "cursor_name": "after" if by_deadline else "before",
            "by_deadline": by_deadline,
            "filters": filters,
            "query": query.urlencode(),
            "may_act": is_official_of(request.user, office),
            "work": work,
        },
    )


def accountability(request, office_slug: str | None = None):
    """Cases received and how fast they were answered, per office or overall, with a chart and
    the same figures as a table."""
    office = None
    if office_slug is not None:
        office = get_object_or_404(Office, slug=office_slug)
    periods = accountability_figures.all_periods(office=office)
    labels = {days: _("Last %(days)d days") % {"days": days} for days in PERIODS}
    rows = [
        {
            "label": labels[period.days],
            "received": period.received,
            "to_acknowledge": period.acknowledge_text,
            "to_answer": period.answer_text,
            "percent_in_time": period.percent_in_time,
            "too_few_due": period.too_few_due,
            "due": period.due,
            "transfers": (
                "—" if period.transfers_per_case is None else f"{period.transfers_per_case:.2f}"
            ),
        }
        for period in periods
    ]
    offices = []
    if office is None:
        spanish = current_language() == "es"
        offices = [
            {
                "slug": row["office__slug"],
                "name": (row["office__name_es"] if spanish else "") or row["office__name_en"],
                "received": row["received"],
            }
            for row in accountability_figures.offices_by_cases()
        ]
    bars = accountability_figures.chart_bars(periods, labels)
    return render(
        request,
        "cases/accountability.html",
        {
            "office": office,
            "rows": rows,
            "bars": bars,
            "chart_height": accountability_figures.chart_height(bars),
            "offices": offices,
            "sections": pages.ACCOUNTABILITY.sections(request, office),
        },
    )
