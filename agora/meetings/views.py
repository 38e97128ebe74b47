"""Meeting pages: the meeting (place or link, agenda, access, registration, minutes), the
staff's page (who is on the list, attendance, minutes), and the calendars."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.accounts.models import User
from agora.directory.models import Office
from agora.meetings import calendars, queries, services
from agora.meetings.forms import AttendanceForm, MinutesForm
from agora.meetings.models import Meeting, Registration, RegistrationState
from agora.meetings.permissions import can_manage_meeting, can_register, can_view_meeting
from agora.processes.models import Process
from agora.processes.permissions import can_view_process


def _meeting(request, pk: int) -> Meeting:
    meeting = queries.meeting_for_page(pk)
    if not can_view_meeting(request.user, meeting):
        raise Http404
    return meeting


def detail(request, pk: int):
    meeting = _meeting(request, pk)
    registration = queries.registration_of(meeting, request.user)
    active = registration is not None and registration.state != RegistrationState.CANCELLED
    context = {
        "meeting": meeting,
        "registration": registration if active else None,
        "decision": can_register(request.user, meeting),
        "counts": services.attendance(meeting),
        "manages": can_manage_meeting(request.user, meeting),
        "feed_url": request.user.is_authenticated
        and reverse("meetings:person_feed", args=[calendars.feed_token(request.user)]),
    }
    return render(request, "meetings/detail.html", context)


@require_POST
@login_required
def register(request, pk: int):
    meeting = _meeting(request, pk)
    try:
        registration = services.register_for_meeting(meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if registration.state == RegistrationState.REGISTERED:
            messages.success(request, _("You are registered."))
        else:
            messages.success(
                request,
                _("Every seat is taken: you are on the waiting list. We tell you if one frees."),
            )
    return redirect(meeting)


@require_POST
@login_required
def cancel(request, pk: int):
    meeting = _meeting(request, pk)
    try:
        services.cancel_registration(meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("You are no longer on the list of this meeting."))
    return redirect(meeting)


@login_required
def manage(request, pk: int):
    meeting = _meeting(request, pk)
    if not can_manage_meeting(request.user, meeting):
        raise Http404
    registrations = list(
        Registration.objects.filter(meeting=meeting)
        .exclude(state=RegistrationState.CANCELLED)
        .select_related("person")
        .order_by("state", "queued_at", "pk")
    )
    attendance = AttendanceForm(
        registrations=[r for r in registrations if r.state == RegistrationState.REGISTERED],
        initial={
            "attended": [r.pk for r in registrations if r.attended],
            "unnamed": meeting.unnamed_attendance,
        },
    )
    minutes = MinutesForm(
        initial={"minutes_en": meeting.minutes_en, "minutes_es": meeting.minutes_es}
    )
    if request.method == "POST":
        if "unnamed" in request.POST:
            attendance = AttendanceForm(
                request.POST,
                registrations=[r for r in registrations if r.state == RegistrationState.REGISTERED],
            )
            if attendance.is_valid():
                services.record_attendance(
                    meeting,
                    by=request.user,
                    attended=set(attendance.cleaned_data["attended"]),
                    unnamed=attendance.cleaned_data["unnamed"],
                )
                messages.success(request, _("Attendance saved."))
                return redirect("meetings:manage", pk=meeting.pk)
        else:
            minutes = MinutesForm(request.POST)
            if minutes.is_valid():
                try:
                    services.publish_minutes(meeting, by=request.user, **minutes.cleaned_data)
                except ValidationError as error:
                    minutes.add_error(None, error)
                else:
                    messages.success(request, _("The minutes are published."))
                    return redirect(meeting)
    context = {
        "meeting": meeting,
        "registrations": registrations,
        "attendance": attendance,
        "minutes": minutes,
    }
    return render(request, "meetings/manage.html", context)


def _ics(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def meeting_ics(request, pk: int):
    meeting = _meeting(request, pk)
    return _ics(calendars.calendar([meeting], name=meeting.title), f"meeting-{meeting.pk}.ics")


def process_feed(request, slug: str):
    process = get_object_or_404(Process.objects.select_related("office"), slug=slug)
    if not can_view_process(request.user, process):
        raise Http404
    meetings = queries.for_feed(Meeting.objects.filter(process=process))
    return _ics(calendars.calendar(meetings, name=process.name), f"{process.slug}.ics")


def office_feed(request, slug: str):
    office = get_object_or_404(Office, slug=slug)
    meetings = queries.for_feed(
        Meeting.objects.filter(office=office)
        | Meeting.objects.filter(process__office=office, process__is_published=True)
    )
    return _ics(calendars.calendar(meetings, name=office.name), f"{office.slug}.ics")


def person_feed(request, token: str):
    """The meetings a person is registered or waiting for, at a secret address."""
    person = User.objects.filter(pk=calendars.person_of_token(token), is_active=True).first()
    if person is None:
        raise Http404
    meetings = queries.for_feed(
        Meeting.objects.filter(
            registrations__person=person,
            registrations__state__in=(RegistrationState.REGISTERED, RegistrationState.WAITING),
        )
    )
    return _ics(calendars.calendar(meetings, name=_("My meetings")), "my-meetings.ics")
