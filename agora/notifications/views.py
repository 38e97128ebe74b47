"""The notification list, marking all or one read, and the preferences page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from agora.accounts.services import set_hide_counts
from agora.core.navigation import next_url
from agora.core.paging import page_by_time
from agora.notifications import services, summary
from agora.notifications.forms import CalmForm, PreferencesForm
from agora.notifications.models import Calm, Preference
from agora.notifications.queries import PAGE_SIZE, notifications_for


@never_cache
@login_required
def notification_list(request):
    page = page_by_time(notifications_for(request.user), request.GET.get("before"), size=PAGE_SIZE)
    return render(request, "notifications/list.html", {"page": page})


@require_POST
@login_required
def mark_all_read(request):
    services.mark_read(request.user)
    messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:list")


@require_POST
@login_required
def mark_one_read(request, notification_id: int):
    """Mark one notification read, from its button on the list, and go back there (or to
    `next`, an address on this site)."""
    if services.mark_one_read(request.user, notification_id) is None:
        raise Http404
    return redirect(next_url(request, "notifications:list"))


@never_cache
@login_required
def preferences(request):
    current = dict(Preference.objects.filter(user=request.user).values_list("kind", "delivery"))
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        for kind, delivery in form.cleaned_data.items():
            services.set_preference(request.user, kind=kind, delivery=delivery)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@never_cache
@login_required
def calm(request):
    """The calm settings: counts hidden, one summary, quiet hours, a pause."""
    current = Calm.objects.filter(user=request.user).first() or Calm(user=request.user)
    paused = current.paused_until is not None and current.paused_until > timezone.now()
    initial = {
        "hide_counts": request.user.hide_counts,
        "digest_only": current.digest_only,
        "quiet_from": current.quiet_from,
        "quiet_until": current.quiet_until,
        "time_zone": current.time_zone,
        "weekly_summary": current.weekly_summary,
    }
    form = CalmForm(request.POST or None, initial=initial, paused=paused)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        set_hide_counts(request.user, data["hide_counts"])
        services.set_calm(
            request.user,
            digest_only=data["digest_only"],
            quiet_from=data["quiet_from"],
            quiet_until=data["quiet_until"],
            time_zone=data["time_zone"],
            pause_days=int(data["pause"]) if data["pause"] else None,
            resume=data.get("resume", False),
            weekly_summary=data["weekly_summary"],
        )
        messages.success(request, _("Your calm settings are saved."))
        return redirect("notifications:calm")
    return render(
        request,
        "notifications/calm.html",
        {"form": form, "paused_until": current.paused_until if paused else None},
    )


@never_cache
@csrf_exempt
def summary_stop(request, token: str):
    """Stop the weekly summary from the link in it, without signing in: the signed token is
    the proof. A visit shows a button (mail programs that open links must not stop it); a
    POST stops it, the button's or a mail program's one click (RFC 8058), hence no CSRF
    token. A token that is not ours answers 404."""
    person_id = summary.person_of_token(token)
    if person_id is None:
        raise Http404
    stopped = False
    if request.method == "POST":
        services.stop_weekly_summary(person_id)
        stopped = True
    return render(request, "notifications/summary_stop.html", {"stopped": stopped})
