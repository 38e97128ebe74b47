"""The result pages: a process's results (filtered by status, paged), a result (its status
and progress, updates newest first, origins and cases, the Follow button, and the update form
for its office), and making a result, pre-filled from what it comes from. Refusals say why;
forms keep what was typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agora.core.forms import add_errors
from agora.directory.models import Office
from agora.processes.models import Process
from agora.processes.permissions import can_view_process
from agora.results import origins, queries, services
from agora.results.forms import ResultForm, UpdateForm
from agora.results.models import Result, ResultStatus
from agora.results.permissions import can_create_result, can_update_result
from agora.social.queries import follow_state

PAGE_SIZE = 20


def _visible_process(request, slug: str) -> Process:
    process = get_object_or_404(Process.objects.select_related("office__parent"), slug=slug)
    if not can_view_process(request.user, process):
        raise Http404
    return process


def _visible_result(request, pk: int) -> Result:
    result = queries.for_page(Result.objects.filter(pk=pk)).first()
    if result is None or not can_view_process(request.user, result.process):
        raise Http404
    return result


def _refused(request, message: str, back: str):
    return render(request, "results/refused.html", {"message": message, "back": back}, status=403)


def process_results(request, slug: str):
    process = _visible_process(request, slug)
    status = request.GET.get("status", "")
    status = status if status in queries.STATUSES else ""
    page = queries.page(
        queries.of_process(process, status=status), request.GET.get("before"), size=PAGE_SIZE
    )
    counts = queries.counts_by_status(process)
    may_create = can_create_result(request.user, process)
    return render(
        request,
        "results/process.html",
        {
            "process": process,
            "results": page.items,
            "more": page.next_cursor,
            "status": status,
            "statuses": ResultStatus.choices,
            "counts": [(label, counts[value]) for value, label in ResultStatus.choices],
            "may_create": may_create,
            "waiting": [
                (kind, thing, kind.title_of(thing)) for kind, thing in origins.waiting_in(process)
            ]
            if may_create
            else [],
        },
    )


def result_detail(request, pk: int, update_form=None):
    result = _visible_result(request, pk)
    may_update = can_update_result(request.user, result)
    return render(
        request,
        "results/detail.html",
        {
            "result": result,
            "process": result.process,
            "updates": queries.updates_of(result),
            "cases": queries.cases_for(result, request.user),
            "origins": queries.origins_of(result, request.user),
            "follow": follow_state(request.user, result),
            "update_form": (update_form or UpdateForm()) if may_update else None,
        },
    )


def _origin(request, process):
    """The thing a new result comes from, named by `origin` and `id` in the query string or
    the form: None when none is named; 404 when it is unknown, unseen, or of another process."""
    key = request.POST.get("origin") or request.GET.get("origin")
    if not key:
        return None
    object_id = request.POST.get("origin_id") or request.GET.get("id")
    thing = origins.find(key, object_id)
    kind = origins.kind_named(key)
    if thing is None or not kind.visible_to(request.user, thing):
        raise Http404
    if kind.process_of(thing).pk != process.pk:
        raise Http404
    return thing


def _cases_typed(value: str) -> list[str]:
    return [part for part in value.replace("\n", ",").split(",") if part.strip()]


@never_cache
@login_required
def new_result(request, slug: str):
    process = _visible_process(request, slug)
    decision = can_create_result(request.user, process)
    if not decision:
        return _refused(request, decision.message, process.get_absolute_url())
    thing = _origin(request, process)
    kind = origins.kind_of(thing) if thing is not None else None
    if thing is not None and request.method != "POST":
        existing = queries.result_of(thing)
        if existing is not None:
            messages.info(request, _("This has its result already."))
            return redirect(existing)
    offices = Office.objects.order_by("name_en")
    initial = {"office": process.office, "status": ResultStatus.PLANNED, "progress": 0}
    if thing is not None:
        initial.update(kind.prefill(thing))
    posted = request.method == "POST"
    form = ResultForm(request.POST if posted else None, initial=initial, offices=offices)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.create_result(
                process,
                by=request.user,
                title=data["title"],
                description=data["description"],
                office=data["office"],
                status=data["status"],
                progress=data["progress"],
                reason=data["reason"],
                cases=services.find_cases(_cases_typed(data["cases"])),
                origins_of=[thing] if thing is not None else [],
            )
        except PermissionDenied as error:
            return _refused(request, str(error), process.get_absolute_url())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The result is published: residents can follow it."))
            return redirect(result)
    return render(
        request,
        "results/new.html",
        {
            "form": form,
            "process": process,
            "origin": thing,
            "origin_kind": kind,
            "origin_title": kind.title_of(thing) if thing is not None else "",
        },
    )


@require_POST
@login_required
def post_update(request, pk: int):
    result = _visible_result(request, pk)
    form = UpdateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_update(
                result,
                by=request.user,
                body=data["body"],
                status=data["status"],
                progress=data["progress"],
                reason=data["reason"],
            )
        except PermissionDenied as error:
            return _refused(request, str(error), result.get_absolute_url())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The update is published; the followers are told."))
            return redirect(f"{result.get_absolute_url()}#updates-heading")
    return result_detail(request, pk, update_form=form)
