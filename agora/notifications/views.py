"""The notification list, marking all or one read, and the preferences page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agora.accounts.services import set_hide_counts
from agora.core.navigation import next_url
from agora.core.paging import page_by_time
from agora.notifications import services
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
        )
        messages.success(request, _("Your calm settings are saved."))
        return redirect("notifications:calm")
    return render(
        request,
        "notifications/calm.html",
        {"form": form, "paused_until": current.paused_until if paused else None},
    )
