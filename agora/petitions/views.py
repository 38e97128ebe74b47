"""The petition pages: the list, a petition (its response, debate, signatures by area as a
table and a chart, and the buttons each reader may use), starting one, co-sponsoring by the
private link, confirming a signature, moderation (publish, reject, the signatures' integrity
and invalidation) and the office's response and debate. Each asks the services, which ask the
rules, and keeps what was typed when refused."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agora.core.forms import act_and_return, add_errors
from agora.core.pagecache import PageCache
from agora.moderation.models import ModerationState
from agora.petitions import queries, resulting, services
from agora.petitions.forms import (
    DebateForm,
    InvalidateForm,
    PetitionForm,
    PublishForm,
    RejectForm,
    ResponseForm,
    SignForm,
)
from agora.petitions.models import Petition, PetitionState, Signature, Threshold
from agora.petitions.permissions import can_moderate, can_respond, signing_rule


def _visible(request, pk: int, *, to_sign: bool = False) -> Petition:
    """A published petition for everyone (unless moderation hid it: then its author only);
    one not published for its author and the moderators."""
    if to_sign:
        petition = queries.to_sign(pk)
        if petition is None:
            raise Http404
    else:
        petition = get_object_or_404(
            Petition.objects.select_related("author", "office", "authority", "process"), pk=pk
        )
    user = request.user
    mine = user.is_authenticated and petition.author_id == user.pk
    if petition.is_public:
        if petition.moderation_state != ModerationState.VISIBLE and not mine:
            raise Http404
        return petition
    if mine or can_moderate(user):
        return petition
    raise Http404


def _refused(request, message: str, back: str):
    return render(request, "petitions/refused.html", {"message": message, "back": back}, status=403)


def petition_list(request):
    state = request.GET.get("state", "")
    mine = request.GET.get("mine") == "1" and request.user.is_authenticated
    rows = queries.listed(request.user, state=state, mine=mine)
    found = queries.page(rows, request.GET.get("after"))
    return render(
        request,
        "petitions/list.html",
        {
            "petitions": found.items,
            "more": found.next_cursor,
            "state": state if state in PetitionState.values else "",
            "mine": mine,
            "may_moderate": can_moderate(request.user),
        },
    )


def _thresholds(petition) -> list:
    """The authority's thresholds, each with when this petition reached it (or None)."""
    reached = dict(petition.reached.values_list("threshold_id", "reached_at"))
    found = Threshold.objects.filter(authority_id=petition.authority_id).order_by("count")
    return [(threshold, reached.get(threshold.pk)) for threshold in found]


# A petition's page for visitors who are not signed in, kept for a few seconds: in a surge,
# thousands of readers reload it while it is signed many times a second. The key holds what
# changes the page besides its count (the state, the response, the debate, the day), so only
# the counts and the chart may lag, by at most READERS_PAGE_SECONDS.
READERS_PAGE_SECONDS = 5
# Each process also answers cookieless visitors from its own copy for HOT_SECONDS more, before
# the middleware stack (core.pagecache.HotPagesMiddleware): a petition moderators hide leaves
# those visitors' screens within that time.
HOT_SECONDS = 2
READERS_PAGES = PageCache("petition-readers", max_age=READERS_PAGE_SECONDS, hot_seconds=HOT_SECONDS)


def petition_detail(request, pk: int, **forms):
    petition = _visible(request, pk)
    if not request.user.is_authenticated and not forms:
        key = (
            petition.state,
            petition.moderation_state,
            petition.responded_at,
            petition.debate_published_at,
            petition.closes_on,
            timezone.localdate(),
        )
        return READERS_PAGES.page(
            request, lambda extra: _petition_page(request, petition, extra), parts=key
        )
    return _petition_page(request, petition, {}, **forms)


def _petition_page(request, petition, extra: dict, **forms):
    user = request.user
    signature = (
        Signature.objects.filter(petition=petition, person=user).first()
        if user.is_authenticated
        else None
    )
    bars = queries.by_area(petition) if petition.is_public else []
    moderating = can_moderate(user) and petition.state == PetitionState.AWAITING_MODERATION
    responding = can_respond(user, petition) and petition.is_public
    context = {
        "petition": petition,
        "mine": user.is_authenticated and petition.author_id == user.pk,
        "signature": signature,
        "rule": signing_rule(user, petition),
        "closed": petition.is_closed(),
        "sign_form": forms.get("sign_form") or SignForm(),
        "bars": bars,
        "chart_height": queries.chart_height(bars),
        "names": queries.shown_names(petition) if petition.is_public else [],
        "thresholds": _thresholds(petition) if petition.is_public else [],
        "cosponsor_link": request.build_absolute_uri(
            f"{petition.get_absolute_url()}cosponsor/{petition.cosponsor_token}/"
        ),
        "publish_form": (forms.get("publish_form") or PublishForm(petition=petition))
        if moderating
        else None,
        "reject_form": (forms.get("reject_form") or RejectForm()) if moderating else None,
        "response_form": (forms.get("response_form") or ResponseForm())
        if responding and not petition.responded_at
        else None,
        "debate_form": (forms.get("debate_form") or DebateForm())
        if responding and not petition.debate_published_at
        else None,
        "may_check": can_moderate(user) and petition.is_public,
        **resulting.page_context(request, petition),
        **extra,
    }
    return render(request, "petitions/detail.html", context)


@never_cache
@login_required
def start(request):
    chosen = request.GET.get("process", "")
    initial = {"process": chosen} if chosen.isdigit() else {}
    form = PetitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            petition = services.start_petition(by=request.user, **form.service_arguments())
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Your petition is saved as a draft. Ask for co-sponsors when ready.")
            )
            return redirect(petition)
    return render(request, "petitions/start.html", {"form": form})


def _act(request, petition, verb, done: str, anchor: str, **arguments):
    back = f"{petition.get_absolute_url()}#{anchor}"
    return act_and_return(request, verb, petition, done=done, back=back, **arguments)


@require_POST
@login_required
def collect(request, pk: int):
    petition = _visible(request, pk)
    return _act(
        request,
        petition,
        services.ask_for_cosponsors,
        _("Share the private link with the people who co-sponsor your petition."),
        "cosponsors-heading",
    )


@never_cache
@login_required
def cosponsor(request, pk: int, token: str):
    petition = get_object_or_404(
        Petition.objects.select_related("author", "office", "authority"), pk=pk
    )
    if not constant_time_compare(token, petition.cosponsor_token):
        raise Http404
    if request.method == "POST":
        try:
            added = services.cosponsor(petition, token=token, by=request.user)
        except PermissionDenied as error:
            messages.error(request, str(error))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("You co-sponsor this petition.") if added else _("You co-sponsor it already."),
            )
        return redirect(request.path)
    petition.refresh_from_db()
    return render(
        request,
        "petitions/cosponsor.html",
        {
            "petition": petition,
            "rule": signing_rule(request.user, petition, phase=False),
            "already": petition.cosponsors.filter(person=request.user).exists(),
        },
    )


@require_POST
@login_required
def sign(request, pk: int):
    petition = _visible(request, pk, to_sign=True)
    form = SignForm(request.POST)
    if not form.is_valid():
        return petition_detail(request, pk, sign_form=form)
    try:
        signature = services.sign_petition(
            petition,
            by=request.user,
            show_name=form.cleaned_data["show_name"],
            address=get_adapter().get_client_ip(request),
        )
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        if signature is None:
            messages.info(request, _("You signed this petition already."))
        elif signature.confirmed_at is None:
            messages.success(
                request, _("Check your email: your signature counts once you confirm it.")
            )
        else:
            messages.success(request, _("Thank you: your signature is counted."))
    return redirect(f"{petition.get_absolute_url()}#sign-heading")


@never_cache
def confirm(request, token: str):
    """The emailed link shows a button, so that a mail scanner following links confirms
    nothing."""
    signature = get_object_or_404(Signature.objects.select_related("petition"), confirm_token=token)
    if request.method == "POST":
        try:
            services.confirm_signature(token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your signature is confirmed and counted."))
        return redirect(signature.petition)
    return render(request, "petitions/confirm.html", {"signature": signature})


@require_POST
@login_required
def publish(request, pk: int):
    petition = _visible(request, pk)
    form = PublishForm(request.POST, petition=petition)
    if form.is_valid():
        try:
            services.publish_petition(petition, by=request.user, office=form.cleaned_data["office"])
        except PermissionDenied as error:
            return _refused(request, str(error), petition.get_absolute_url())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The petition is published; its author is told."))
            return redirect(petition)
    return petition_detail(request, pk, publish_form=form)


@require_POST
@login_required
def reject(request, pk: int):
    petition = _visible(request, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.reject_petition(petition, by=request.user, reason=form.cleaned_data["reason"])
        except PermissionDenied as error:
            return _refused(request, str(error), petition.get_absolute_url())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The petition is rejected; its author is told why."))
            return redirect(petition)
    return petition_detail(request, pk, reject_form=form)


def _office_form(request, pk: int, form_class, verb, name: str, done: str):
    petition = _visible(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            verb(petition, by=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            return _refused(request, str(error), petition.get_absolute_url())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(f"{petition.get_absolute_url()}#outcome-heading")
    return petition_detail(request, pk, **{name: form})


@require_POST
@login_required
def respond(request, pk: int):
    return _office_form(
        request,
        pk,
        ResponseForm,
        services.respond_to_petition,
        "response_form",
        _("The response is published; the signers are told."),
    )


@require_POST
@login_required
def debate(request, pk: int):
    return _office_form(
        request,
        pk,
        DebateForm,
        services.record_debate,
        "debate_form",
        _("The debate's outcome is published; the signers are told."),
    )


@never_cache
@login_required
def integrity(request, pk: int):
    petition = _visible(request, pk)
    if not can_moderate(request.user):
        raise PermissionDenied
    found = queries.integrity(petition)
    form = InvalidateForm(
        request.POST or None, domains=found["domains"], networks=found["networks"]
    )
    if request.method == "POST" and form.is_valid():
        try:
            invalidation = services.invalidate_signatures(
                petition,
                by=request.user,
                reason=form.cleaned_data["reason"],
                **form.service_arguments(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)d signatures are invalidated; the count is %(total)d now.")
                % {"count": invalidation.count, "total": petition.signature_count},
            )
            return redirect(request.path)
    return render(
        request,
        "petitions/integrity.html",
        {
            "petition": petition,
            "form": form,
            "chart_height": queries.chart_height(found["hours"]),
            **found,
        },
    )
