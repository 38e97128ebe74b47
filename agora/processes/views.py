"""The process pages: the list (open now, upcoming, past), a process with the timeline of its
phases and what can be done now, creating and changing one with its phases, its image, and
the news its office posts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agora.accounts.permissions import writing_shown
from agora.core.images import image_response
from agora.core.paging import page_by_id
from agora.core.ratelimit import RateLimited
from agora.directory.permissions import is_official_of
from agora.processes import features, pages, queries, services
from agora.processes.forms import NewsForm, PhaseFormSet, ProcessForm, phase_initial
from agora.processes.models import Process, ProcessState
from agora.processes.permissions import (
    can_create_process,
    can_manage_process,
    can_view_process,
    offices_managed_by,
)
from agora.social.models import Post
from agora.social.models.posts import Visibility
from agora.social.permissions import can_post_as, post_as_refusal
from agora.social.queries import follow_state

PAGE_SIZE = 20
NEWS_SHOWN = 5
BLANK_PHASE_ROWS = 3


def process_list(request):
    state = request.GET.get("state", "")
    if state not in queries.STATES:
        state = ""
    processes = queries.for_list(queries.in_state(queries.visible_processes(request.user), state))
    page = page_by_id(processes, request.GET.get("before"), size=PAGE_SIZE)
    now = timezone.now()
    rows = [(process, features.current_phase(process, now)) for process in page.items]
    return render(
        request,
        "processes/list.html",
        {
            "rows": rows,
            "more": page.next_cursor,
            "state": state,
            "states": ProcessState.choices,
            "can_create": can_create_process(request.user),
        },
    )


def _visible_process(request, slug: str) -> Process:
    process = get_object_or_404(queries.for_page(Process.objects.all()), slug=slug)
    if not can_view_process(request.user, process):
        raise Http404
    return process


def timeline(process: Process, now) -> list[dict]:
    """Each phase with whether it is past, current or upcoming, and what it allows."""
    return [
        {
            "phase": phase,
            "timing": phase.timing(now),
            "allows": features.allowed_in(phase.kind),
        }
        for phase in process.phases.all()
    ]


def process_detail(request, slug: str):
    """For visitors not signed in, the page is kept a few seconds (`pages.VISITORS_PAGES`):
    one query reads whether the process may be shown, and a kept page answers without more."""
    if not request.user.is_authenticated:
        found = Process.objects.filter(slug=slug).values_list("pk", "is_published").first()
        if found is None or not found[1]:
            raise Http404  # a draft is for those who may change it, never for a visitor
        return pages.VISITORS_PAGES.page(
            request,
            lambda extra: _process_page(request, _visible_process(request, slug), extra),
            parts=(found[0],),
            query=pages.SHARED_QUERY,
        )
    return _process_page(request, _visible_process(request, slug), {})


def _process_page(request, process: Process, extra: dict):
    now = timezone.now()
    news = Post.objects.filter(
        writing_shown(), process_link__process=process, visibility=Visibility.PUBLIC
    ).order_by("-created_at", "-pk")[:NEWS_SHOWN]
    # Only an official acting for the office (a question kept on the person for the request,
    # asked by the page anyway) may be one of that very office: most readers ask no more.
    may_post = is_official_of(request.user, process.office) and can_post_as(
        request.user, process.office
    )
    return render(
        request,
        "processes/detail.html",
        {
            "process": process,
            "timeline": timeline(process, now),
            "current": features.current_phase(process, now),
            "state": process.state_at(now),
            "now": features.what_now(request.user, process, now),
            "follow": follow_state(request.user, process),
            "may_manage": can_manage_process(request.user, process),
            "news": list(news),
            "news_form": NewsForm() if may_post else None,
            "top_sections": pages.PROCESS_TOP.sections(request, process),
            "body_sections": pages.PROCESS_BODY.sections(request, process),
            **extra,
        },
    )


def _edit(request, process: Process | None):
    offices = offices_managed_by(request.user)
    posted = request.method == "POST"
    form = ProcessForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        instance=process,
        offices=offices,
    )
    phases = PhaseFormSet(
        request.POST if posted else None,
        initial=None if posted else phase_initial(process, BLANK_PHASE_ROWS),
        prefix="phases",
        published=posted and request.POST.get("is_published") == "on",
    )
    if posted and form.is_valid() and phases.is_valid():
        values = {
            "by": request.user,
            "phases": phases.phases(),
            "areas": form.cleaned_data["areas"],
            "topics": form.cleaned_data["topics"],
            "image": form.cleaned_data.get("image"),
            **form.service_fields(),
        }
        try:
            if process is None:
                process = services.create_process(**values)
                messages.success(request, _("The process is created."))
            else:
                values["remove_image"] = form.cleaned_data.get("remove_image", False)
                process = services.change_process(process, **values)
                messages.success(request, _("The process is saved."))
            return redirect(process)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, error.messages)
    return render(
        request,
        "processes/edit.html",
        {"form": form, "phases": phases, "process": process},
    )


@never_cache
@login_required
def create_process(request):
    if not can_create_process(request.user):
        raise PermissionDenied
    return _edit(request, None)


@never_cache
@login_required
def edit_process(request, slug: str):
    process = _visible_process(request, slug)
    if not can_manage_process(request.user, process):
        raise PermissionDenied
    return _edit(request, process)


def image(request, slug: str):
    """A process's image, through here so a draft's image stays as private as the draft."""
    return image_response(_visible_process(request, slug).image)


@require_POST
@login_required
def post_news(request, slug: str):
    process = _visible_process(request, slug)
    if not can_post_as(request.user, process.office):
        refusal = post_as_refusal(request.user)
        if refusal and is_official_of(request.user, process.office):
            # An official whose account is political: told why (`accounts.kinds`).
            messages.error(request, refusal)
            return redirect(f"{process.get_absolute_url()}#news-heading")
        raise PermissionDenied
    form = NewsForm(request.POST)
    if form.is_valid():
        try:
            services.post_process_news(process, by=request.user, body=form.cleaned_data["body"])
        except (ValidationError, RateLimited) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("The news is posted; the process’s followers see it."))
    else:
        messages.error(request, _("Write the news before posting it."))
    return redirect(f"{process.get_absolute_url()}#news-heading")
