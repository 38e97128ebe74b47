"""Meeting pages: the meeting (place or link, agenda, access, registration, minutes, what it
discussed), the staff's pages (a new meeting, a change; who is on the list, attendance,
minutes, what it discussed), and the calendars."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agora.accounts.models import User
from agora.core.forms import add_errors
from agora.directory.models import Office
from agora.meetings import calendars, queries, services
from agora.meetings.forms import AttendanceForm, FindForm, MeetingForm, MinutesForm
from agora.meetings.models import Meeting, Registration, RegistrationState
from agora.meetings.permissions import (
    can_create_meeting,
    can_manage_meeting,
    can_register,
    can_view_meeting,
)
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
        "discussed": queries.discussed(meeting),
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
                    attended=set(attendance.cleaned_data.get("attended", ())),
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
    finder = FindForm(request.GET or None)
    found = None
    if finder.is_valid():
        found = queries.find_discussable(meeting, finder.cleaned_data["find"])
    context = {
        "meeting": meeting,
        "registrations": registrations,
        "attendance": attendance,
        "minutes": minutes,
        "discussed": queries.discussed(meeting),
        "finder": finder,
        "found": found,
    }
    return render(request, "meetings/manage.html", context)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


@require_POST
@login_required
def discussed(request, pk: int):
    """Link or unlink a proposal or a result the meeting discussed (the staff's page)."""
    meeting = _meeting(request, pk)
    if not can_manage_meeting(request.user, meeting):
        raise Http404
    ids = {
        "proposal_id": _int_or_none(request.POST.get("proposal")),
        "result_id": _int_or_none(request.POST.get("result")),
    }
    if ids == {"proposal_id": None, "result_id": None}:
        messages.error(request, _("Choose a proposal or a result."))
    elif request.POST.get("remove"):
        services.unlink_discussed(meeting, by=request.user, **ids)
        messages.success(request, _("It is no longer listed as discussed."))
    else:
        try:
            services.link_discussed(meeting, by=request.user, **ids)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("It is listed as discussed at this meeting."))
    return redirect(reverse("meetings:manage", args=[meeting.pk]) + "#discussed-heading")


def _edit(request, *, meeting=None, process=None, office=None):
    form = MeetingForm(
        request.POST or None,
        instance=meeting or Meeting(process=process, office=office),
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in MeetingForm.Meta.fields}
        try:
            if meeting is None:
                meeting = services.create_meeting(
                    by=request.user, process=process, office=office, **fields
                )
                messages.success(request, _("The meeting is added."))
            else:
                services.update_meeting(meeting, by=request.user, **fields)
                messages.success(request, _("The meeting is changed."))
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(meeting)
    context = {
        "form": form,
        "meeting": meeting,
        "owner": meeting.process or meeting.office if meeting else process or office,
    }
    return render(request, "meetings/edit.html", context)


@never_cache
@login_required
def new_for_process(request, slug: str):
    process = get_object_or_404(Process.objects.select_related("office"), slug=slug)
    if not can_create_meeting(request.user, process=process):
        raise Http404
    return _edit(request, process=process)


@never_cache
@login_required
def new_for_office(request, slug: str):
    office = get_object_or_404(Office, slug=slug)
    if not can_create_meeting(request.user, office=office):
        raise Http404
    return _edit(request, office=office)


@never_cache
@login_required
def edit(request, pk: int):
    meeting = _meeting(request, pk)
    if not can_manage_meeting(request.user, meeting):
        raise Http404
    return _edit(request, meeting=meeting)


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
