"""The person's "Your data" settings page: ask for a download, fetch it, delete the account;
and the public transparency report of data requests.
Views parse, check access, call one service function and render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agora.core.navigation import next_url
from agora.privacy import consent, figures, services
from agora.privacy.forms import DeleteAccountForm
from agora.privacy.middleware import SESSION_KEY
from agora.privacy.models import Consent, Export, Outcome, Requester


def _page(request, form, status=200):
    exports = Export.objects.filter(person=request.user).order_by("-requested_at")[:5]
    consents = Consent.objects.filter(person=request.user).order_by("-accepted_at")[:10]
    return render(
        request,
        "privacy/your_data.html",
        {
            "exports": exports,
            "consents": consents,
            "form": form,
            "grace_days": settings.AGORA_DELETION_GRACE_DAYS,
            "keep_days": settings.AGORA_EXPORT_KEEP_DAYS,
            "now": timezone.now(),
        },
        status=status,
    )


@never_cache
@login_required
def your_data(request):
    return _page(request, DeleteAccountForm(request.user))


@require_POST
@login_required
def request_export(request):
    _export, created = services.request_export(by=request.user)
    if created:
        messages.success(
            request,
            _("We are preparing your data. We will email you a link when it is ready."),
        )
    else:
        messages.info(request, _("Your data is already being prepared; we will email you."))
    return redirect("privacy:your_data")


@never_cache
@login_required
def download(request, token: str):
    # Somebody else's link, an expired one and a made-up one all answer the same 404.
    export = services.downloadable(token, request.user)
    if export is None:
        raise Http404
    try:
        handle = storages["exports"].open(export.file_name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"my-data-{export.finished_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )


@never_cache
@require_POST
@login_required
def delete_account(request):
    form = DeleteAccountForm(request.user, request.POST)
    if not form.is_valid():
        return _page(request, form)
    pending = services.request_deletion(request.user, keep_public_writing=form.keep_public_writing)
    logout(request)
    if pending is None:
        messages.success(request, _("Your account is deleted. Thank you for taking part."))
    else:
        messages.success(
            request,
            _(
                "Your account will be deleted on %(date)s. Sign in before then if you change "
                "your mind."
            )
            % {"date": formats.date_format(pending.due_at, "DATE_FORMAT")},
        )
    return redirect("site:home")


@never_cache
@login_required
def consent_page(request):
    """Accept the new version of the house rules or the privacy notice."""
    pending = consent.to_accept(request.user)
    if request.method == "POST":
        consent.accept_current(request.user)
        request.session.pop(SESSION_KEY, None)
        messages.success(request, _("Thank you. You accepted the current versions."))
        return redirect(next_url(request, "site:home"))
    return render(
        request,
        "privacy/consent.html",
        {"pending": pending, "next": request.GET.get("next", "")},
    )


#: The chart's colours, one per kind of requester (contrast 3:1 or more on white).
REQUESTER_COLOURS = {"police": "#1f4e8c", "court": "#8c3b1f", "tax": "#2e6b30", "other": "#5a4a8a"}
BAR_WIDTH = 320


def transparency(request):
    """The public transparency report: requests for people's data from authorities by
    half-year, kind of requester and outcome, with the exports and deletions people made;
    from the monthly counts (one query, however many requests there were)."""
    halves = []
    for half, counted in figures.by_half_year():
        by_requester = [
            (kind, label, counted["request"].get(kind, 0)) for kind, label in Requester.choices
        ]
        halves.append(
            {
                "half": half,
                "requests": sum(count for _kind, _label, count in by_requester),
                "by_requester": by_requester,
                "by_outcome": [
                    (label, counted["outcome"].get(kind, 0)) for kind, label in Outcome.choices
                ],
                "accounts": sum(counted["accounts"].values()),
                "gagged": counted["gagged"].get("", 0),
                "exports": counted["export"].get("", 0),
                "deletions": counted["deletion"].get("", 0),
            }
        )
    most = max((half["requests"] for half in halves), default=0) or 1
    for row, half in enumerate(halves):
        x, bars = 0, []
        for kind, label, count in half["by_requester"]:
            width = round(count * BAR_WIDTH / most)
            if width:
                colour = REQUESTER_COLOURS[kind]
                bars.append(
                    {"x": x, "width": width, "fill": colour, "label": label, "count": count}
                )
            x += width
        half["bars"], half["y"] = bars, row * 32 + 8
    context = {
        "halves": halves,
        "requesters": [(label, REQUESTER_COLOURS[kind]) for kind, label in Requester.choices],
        "outcomes": Outcome.choices,
        "chart_height": len(halves) * 32 + 16,
    }
    return render(request, "privacy/transparency.html", context)
